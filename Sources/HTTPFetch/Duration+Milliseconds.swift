extension Duration {
    /// Whole milliseconds, truncated, never negative (what libcurl's `_MS` options take).
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000)
    }

    /// Whole nanoseconds, saturating instead of overflowing.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }
}
