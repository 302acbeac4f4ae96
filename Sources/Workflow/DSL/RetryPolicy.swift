import Foundation

/// How failed tries are retried: how many times, and how long to wait before each retry.
///
/// The delay before retry `k` (try `k + 1`) is `delay × multiplier^(k-1)`, capped at `maxDelay`, then spread by
/// `jitter`: with jitter `j` and a sample `u` in [0, 1) the delay is scaled by `1 - j + 2·j·u`. The sample comes
/// from the caller (the scheduler's injected random source), so tests are exact.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Retries after the first try; `0` means a failed try fails the task.
    public var retries: Int
    /// The delay before the first retry.
    public var delay: Duration
    /// Growth of the delay per retry (1 = fixed delay).
    public var multiplier: Double
    /// The longest delay exponential growth may reach.
    public var maxDelay: Duration
    /// The fraction (0...1) by which a delay is spread at random.
    public var jitter: Double

    /// A policy with every knob spelled out.
    public init(retries: Int, delay: Duration, multiplier: Double = 1, maxDelay: Duration = .seconds(3600), jitter: Double = 0) {
        self.retries = retries
        self.delay = delay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// A failed try fails the task.
    public static let none = RetryPolicy(retries: 0, delay: .zero)

    /// `retries` more tries, each after the same `delay`.
    public static func fixed(retries: Int, delay: Duration) -> RetryPolicy {
        RetryPolicy(retries: retries, delay: delay)
    }

    /// `retries` more tries with exponentially growing delays: `base`, `2·base`, `4·base`, … up to `cap`, spread by `jitter`.
    public static func exponential(retries: Int, base: Duration = .seconds(30), cap: Duration = .seconds(3600), jitter: Double = 0.1)
        -> RetryPolicy
    {
        RetryPolicy(retries: retries, delay: base, multiplier: 2, maxDelay: cap, jitter: jitter)
    }

    /// The total number of tries this policy allows.
    public var maxTries: Int { retries + 1 }

    /// The delay before try `nextTry` (2 for the first retry), or nil when no try is left.
    /// - Parameters:
    ///   - nextTry: the number of the try about to be scheduled (tries count from 1).
    ///   - jitterSample: a number in [0, 1) from the caller's random source.
    public func delay(beforeTry nextTry: Int, jitterSample: Double) -> Duration? {
        guard nextTry >= 2, nextTry <= maxTries else { return nil }
        return backoff(retry: nextTry - 1, jitterSample: jitterSample)
    }

    /// The delay before retry number `retry` (1 for the first), whatever the retry budget.
    public func backoff(retry: Int, jitterSample: Double) -> Duration {
        let base = delay.seconds * pow(multiplier, Double(max(retry, 1) - 1))
        let capped = min(base, maxDelay.seconds)
        let spread = max(0, min(jitter, 1))
        let scaled = capped * (1 - spread + 2 * spread * min(max(jitterSample, 0), 1))
        return .milliseconds(Int64((scaled * 1000).rounded()))
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension Duration {
    /// The duration as people read it in notes and logs: "6 h", "10 min", "3 s", "0.4 s" (whole hours or minutes when it
    /// is one, else seconds).
    public var spoken: String {
        let seconds = self.seconds
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600)) h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60)) min" }
        return seconds.rounded() == seconds ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }

    /// `minutes` minutes (`.minutes(90)`), for timeouts and sensor intervals.
    public static func minutes(_ minutes: Int) -> Duration { .seconds(minutes * 60) }
    /// `hours` hours (`.hours(6)`).
    public static func hours(_ hours: Int) -> Duration { .seconds(hours * 3600) }
}
