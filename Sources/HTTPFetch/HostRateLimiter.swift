/// Politeness: spaces the starts of tries to one host by at least an interval.
///
/// Each call reserves the next free start slot for its host, so concurrent callers queue up one interval apart.
actor HostRateLimiter {
    private var nextStart: [String: ContinuousClock.Instant] = [:]

    /// Reserves a start for `host` and returns how long the caller must wait before starting (zero if none).
    func reserve(host: String, interval: Duration, now: ContinuousClock.Instant) -> Duration {
        let start = max(now, nextStart[host] ?? now)
        nextStart[host] = start + interval
        if nextStart.count > 1024 {
            nextStart = nextStart.filter { $0.value > now }   // forget hosts whose slot has passed
        }
        return start - now
    }
}
