import Foundation
import Testing

@testable import Workflow

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test
    func noneAllowsOneTryAndNoRetry() {
        #expect(RetryPolicy.none.maxTries == 1)
        #expect(RetryPolicy.none.delay(beforeTry: 2, jitterSample: 0.5) == nil)
    }

    @Test
    func fixedWaitsTheSameDelayBeforeEveryRetry() {
        let policy = RetryPolicy.fixed(retries: 3, delay: .seconds(5))
        #expect(policy.maxTries == 4)
        #expect(policy.multiplier == 1)
        #expect(policy.jitter == 0)
        for retry in 1...10 {
            #expect(policy.backoff(retry: retry, jitterSample: 0.9) == .seconds(5), "retry \(retry)")
        }
        #expect((2...4).map { policy.delay(beforeTry: $0, jitterSample: 0.3) } == [.seconds(5), .seconds(5), .seconds(5)])
    }

    @Test
    func exponentialDefaults() {
        let policy = RetryPolicy.exponential(retries: 4)
        #expect(policy == RetryPolicy(retries: 4, delay: .seconds(30), multiplier: 2, maxDelay: .seconds(3600), jitter: 0.1))
    }

    @Test(arguments: [(1, 30), (2, 60), (3, 120), (4, 240), (5, 300), (6, 300), (50, 300), (5000, 300)])
    func exponentialDoublesUpToTheCap(_ retry: Int, _ seconds: Int64) {
        let policy = RetryPolicy.exponential(retries: 10, base: .seconds(30), cap: .seconds(300), jitter: 0)
        #expect(policy.backoff(retry: retry, jitterSample: 0.77) == .seconds(seconds))
    }

    @Test
    func retryZeroOrNegativeCountsAsTheFirstRetry() {
        let policy = RetryPolicy.exponential(retries: 3, base: .seconds(10), jitter: 0)
        #expect(policy.backoff(retry: 0, jitterSample: 0) == .seconds(10))
        #expect(policy.backoff(retry: -4, jitterSample: 0) == .seconds(10))
    }

    /// Jitter `j` scales the delay by `1 - j + 2·j·u` for the sample `u`, clamped to [0, 1].
    @Test(arguments: [
        (0.0, 5_000),  // low end: delay × (1 - j)
        (0.25, 7_500),
        (0.5, 10_000),  // middle: the delay itself
        (0.9999, 14_999),  // high end: delay × (1 + j)
        (1.0, 15_000),
        (-3.0, 5_000),  // samples outside [0, 1] are clamped
        (7.0, 15_000),
    ])
    func jitterSpreadsTheDelayByTheInjectedSample(_ sample: Double, _ milliseconds: Int64) {
        let policy = RetryPolicy(retries: 3, delay: .seconds(10), jitter: 0.5)
        #expect(policy.backoff(retry: 1, jitterSample: sample) == .milliseconds(milliseconds))
    }

    @Test(arguments: [(0.0, 108_000), (0.5, 120_000), (0.75, 126_000)])
    func exponentialJitterAppliesToTheGrownDelay(_ sample: Double, _ milliseconds: Int64) {
        // Retry 3 of base 30 s: 120 s, spread by ±10 %.
        let policy = RetryPolicy.exponential(retries: 5, base: .seconds(30), jitter: 0.1)
        #expect(policy.backoff(retry: 3, jitterSample: sample) == .milliseconds(milliseconds))
    }

    @Test
    func jitterSpreadsTheCappedDelay() {
        // Retry 5 of base 30 s would be 480 s; capped at 100 s, then spread by ±20 %.
        let policy = RetryPolicy.exponential(retries: 10, base: .seconds(30), cap: .seconds(100), jitter: 0.2)
        #expect(policy.backoff(retry: 5, jitterSample: 0) == .seconds(80))
        #expect(policy.backoff(retry: 5, jitterSample: 0.5) == .seconds(100))
        #expect(policy.backoff(retry: 5, jitterSample: 0.9999) == .milliseconds(119_996))
    }

    @Test
    func delaysAreRoundedToMilliseconds() {
        let policy = RetryPolicy(retries: 1, delay: .seconds(1), jitter: 0.5)
        #expect(policy.backoff(retry: 1, jitterSample: 1.0 / 3.0) == .milliseconds(833))
        #expect(RetryPolicy.fixed(retries: 1, delay: .microseconds(1_500_400)).backoff(retry: 1, jitterSample: 0) == .milliseconds(1_500))
    }

    @Test(arguments: [(1, nil), (2, 10), (3, 20), (4, 40), (5, nil), (0, nil), (-1, nil)] as [(Int, Int64?)])
    func delayBeforeTryIsNilOutsideTheRetryBudget(_ nextTry: Int, _ seconds: Int64?) {
        let policy = RetryPolicy.exponential(retries: 3, base: .seconds(10), jitter: 0)
        #expect(policy.maxTries == 4)
        #expect(policy.delay(beforeTry: nextTry, jitterSample: 0.5) == seconds.map { .seconds($0) })
    }

    @Test
    func backoffIgnoresTheRetryBudget() {
        let policy = RetryPolicy.exponential(retries: 0, base: .seconds(10), jitter: 0)
        #expect(policy.delay(beforeTry: 2, jitterSample: 0) == nil)
        #expect(policy.backoff(retry: 3, jitterSample: 0) == .seconds(40))
    }

    @Test
    func durationSeconds() {
        #expect(Duration.milliseconds(1_500).seconds == 1.5)
        #expect(Duration.seconds(-2).seconds == -2)
        #expect(Duration.zero.seconds == 0)
    }

    @Test
    func policyRoundTripsThroughJSON() throws {
        let policy = RetryPolicy.exponential(retries: 2, base: .seconds(7), cap: .seconds(70), jitter: 0.25)
        let decoded = try JSONDecoder().decode(RetryPolicy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
    }
}
