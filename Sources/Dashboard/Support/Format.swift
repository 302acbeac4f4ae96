import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Dates, durations and numbers as people read them (UTC, like the CLI).
enum Format {
    /// `2026-11-23 20:41:03` (UTC), or `-`.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// `2026-11-23 20:41` (UTC).
    static func shortDate(_ date: Date?) -> String {
        let full = self.date(date)
        return full == "-" ? full : String(full.prefix(16))
    }

    /// `0.42 s`, `12.3 s`, `4 min 12 s`, `2 h 03 min`, or `-`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        if seconds < 10 { return String(format: "%.2f s", max(0, seconds)) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// ISO 8601 with a `Z`, for JSON.
    static func iso(_ date: Date?) -> String? {
        guard let date else { return nil }
        return self.date(date).replacingOccurrences(of: " ", with: "T") + "Z"
    }

    /// A number for an SVG coordinate (two decimals at most).
    static func coordinate(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
