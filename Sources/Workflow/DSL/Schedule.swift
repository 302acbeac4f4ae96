import Foundation

/// When the scheduler creates runs of a DAG: a cron expression or preset in a time zone, assets (data other DAGs
/// update), both, or never (manual).
public struct Schedule: Sendable, Hashable, Codable {
    /// The cron expression or preset, or nil for a DAG without a time schedule.
    public let expression: String?
    /// The IANA time zone the expression is read in (default UTC).
    public let timeZone: String
    /// Assets whose updates create runs: one run once every one of them has a new event (see ``assets(_:)``).
    public let assets: [String]

    public init(expression: String?, timeZone: String, assets: [String] = []) {
        self.expression = expression
        self.timeZone = timeZone
        self.assets = assets
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        expression = try container.decodeIfPresent(String.self, forKey: .expression)
        timeZone = try container.decode(String.self, forKey: .timeZone)
        assets = try container.decodeIfPresent([String].self, forKey: .assets) ?? []
    }

    /// Runs on a cron expression (five fields or a preset such as `@daily`), read in `timeZone`; with `assets`, also
    /// whenever those assets have been updated.
    public static func cron(_ expression: String, timeZone: String = "UTC", assets: [String] = []) -> Schedule {
        Schedule(expression: expression, timeZone: timeZone, assets: assets)
    }

    /// Runs when data changes: once every asset named has at least one new event (a successful try of a task that
    /// lists it in its `outlets`) since the DAG's last asset-triggered run, one run for the batch of events.
    public static func assets(_ names: [String]) -> Schedule {
        Schedule(expression: nil, timeZone: "UTC", assets: names)
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
