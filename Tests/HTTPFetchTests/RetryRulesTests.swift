import Foundation
@testable import HTTPFetch
import Testing

/// The pure retry rules, without a server.
@Suite struct RetryPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func httpDate(_ date: Date, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    @Test func retryAfterDeltaSeconds() {
        #expect(RetryRules.retryAfter("120", now: Self.now) == .seconds(120))
        #expect(RetryRules.retryAfter(" 0 ", now: Self.now) == .zero)
    }

    @Test(arguments: ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"])
    func retryAfterHTTPDate(format: String) {
        let value = Self.httpDate(Self.now.addingTimeInterval(90), format: format)
        #expect(RetryRules.retryAfter(value, now: Self.now) == .seconds(90), "\(value)")
        let past = Self.httpDate(Self.now.addingTimeInterval(-90), format: format)
        #expect(RetryRules.retryAfter(past, now: Self.now) == .zero, "\(past)")
    }

    @Test func retryAfterGarbageIsIgnored() {
        #expect(RetryRules.retryAfter("soon", now: Self.now) == nil)
        #expect(RetryRules.retryAfter("-5", now: Self.now) == nil)
    }

    @Test func backoffDoublesAndIsCapped() {
        var configuration = HTTPClient.Configuration()
        configuration.random = { 0.5 }
        configuration.retryBaseDelay = .seconds(1)
        configuration.retryMaxDelay = .seconds(5)
        let delays = (2...6).map { RetryRules.delay(beforeAttempt: $0, retryAfter: nil, configuration: configuration) }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test(arguments: [(0.0, 800), (0.5, 1000), (0.999_999_999, 1200)])
    func jitterSpansPlusMinusTheFraction(sample: Double, expectedMilliseconds: Int64) {
        var configuration = HTTPClient.Configuration()
        configuration.random = { sample }
        configuration.jitter = 0.2
        configuration.retryBaseDelay = .seconds(1)
        let delay = RetryRules.delay(beforeAttempt: 2, retryAfter: nil, configuration: configuration)
        #expect(abs((delay - .milliseconds(expectedMilliseconds)).wholeNanoseconds) < 1_000)
    }

    @Test func retryAfterReplacesBackoffButIsCapped() {
        var configuration = HTTPClient.Configuration()
        configuration.retryMaxDelay = .seconds(30)
        #expect(RetryRules.delay(beforeAttempt: 4, retryAfter: .seconds(3), configuration: configuration) == .seconds(3))
        #expect(RetryRules.delay(beforeAttempt: 2, retryAfter: .seconds(120), configuration: configuration) == .seconds(30))
    }

    @Test func retryableStatuses() {
        #expect([429, 500, 502, 503, 599].allSatisfy(RetryRules.isRetryable(status:)))
        #expect(![200, 304, 400, 403, 404, 410].contains(where: RetryRules.isRetryable(status:)))
    }
}
