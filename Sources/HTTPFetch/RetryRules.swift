import Foundation

/// The pure retry rules: which statuses retry, the backoff schedule and `Retry-After` parsing. No I/O, no clock.
enum RetryRules {
    /// 5xx and 429 are worth another try; other statuses are final.
    static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }

    /// The wait before try `next` (2, 3, …): the server's `Retry-After` when given, else exponential backoff
    /// base·2ⁿ⁻² scaled by 1 + jitter·(2r − 1); either way capped at `retryMaxDelay`.
    static func delay(beforeAttempt next: Int, retryAfter: Duration?, configuration: HTTPClient.Configuration) -> Duration {
        let cap = max(.zero, configuration.retryMaxDelay)
        if let retryAfter { return min(max(.zero, retryAfter), cap) }
        let exponent = min(max(next - 2, 0), 40)
        let base = Double(max(.zero, configuration.retryBaseDelay).wholeNanoseconds) * pow(2, Double(exponent))
        let jitter = min(max(configuration.jitter, 0), 1)
        let sample = min(max(configuration.random(), 0), 1)
        let scaled = base * (1 + jitter * (2 * sample - 1))
        let capNanoseconds = Double(cap.wholeNanoseconds)
        return scaled >= capNanoseconds ? cap : .nanoseconds(Int64(scaled.rounded()))
    }

    /// Parses a `Retry-After` value: delta seconds (`120`) or an HTTP-date (IMF-fixdate, RFC 850 or asctime),
    /// relative to `now`. A date in the past gives zero; anything unparseable gives nil.
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let text = value.trimmedWhitespace()
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
            return Int64(text).map { .seconds($0) } ?? .seconds(Int64.max)   // absurdly long: capped by the caller
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                let seconds = date.timeIntervalSince(now)
                return seconds > 0 ? .milliseconds(Int64((seconds * 1000).rounded())) : .zero
            }
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
