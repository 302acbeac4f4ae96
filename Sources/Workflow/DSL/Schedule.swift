/// When a DAG runs by itself: a cron expression in an IANA time zone, or only when triggered.
///
/// `.cron` only stores its text, so DAGs can be `static let`; `DAG.validate()` parses it.
public struct Schedule: Sendable, Hashable, Codable {
    /// The cron expression or preset, or nil for a manual-only DAG.
    public let expression: String?
    /// The IANA time zone the expression is read in (default UTC).
    public let timeZone: String

    /// Runs on a cron expression (five fields or a preset such as `@daily`), read in `timeZone`.
    public static func cron(_ expression: String, timeZone: String = "UTC") -> Schedule {
        Schedule(expression: expression, timeZone: timeZone)
    }

    /// Runs only when triggered (CLI, API, backfill).
    public static let manual = Schedule(expression: nil, timeZone: "UTC")
    /// At minute 0 of every hour.
    public static let hourly = Schedule.cron("@hourly")
    /// At 00:00 every day.
    public static let daily = Schedule.cron("@daily")
    /// At 00:00 every Sunday.
    public static let weekly = Schedule.cron("@weekly")
    /// At 00:00 on the first day of every month.
    public static let monthly = Schedule.cron("@monthly")
    /// At 00:00 on January 1st.
    public static let yearly = Schedule.cron("@yearly")
}
