public import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`) or a preset such as `@daily`.
///
/// Fields accept lists (`1,5,9`), ranges (`1-5`), steps (`*/15`, `1-30/5`, `5/10` meaning `5-max/10`),
/// `*`, and `?` (an alias of `*` in day-of-month and day-of-week). Months accept `JAN`-`DEC` and days of
/// the week `SUN`-`SAT` (case-insensitive); day-of-week 0 and 7 are both Sunday.
///
/// As in Vixie cron, when both day-of-month and day-of-week are restricted (their text does not start
/// with `*` or `?`), a day matching either fires; otherwise a day must match both.
///
/// Fire times are computed on wall-clock fields in a time zone. Each matching wall time fires once:
/// a wall time skipped by a daylight-saving gap fires at the end of the gap, and a wall time that
/// occurs twice fires at its first occurrence.
///
/// ```swift
/// let cron = try CronExpression("30 2 * * 1-5")
/// let next = cron.nextFireDate(after: now, in: TimeZone(identifier: "Europe/Berlin")!)
/// cron.describe(in: .gmt)   // "every Monday to Friday at 02:30 UTC"
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression exactly as it was given.
    public let text: String

    /// Matching minutes, 0...59.
    let minutes: CronFieldSet
    /// Matching hours, 0...23.
    let hours: CronFieldSet
    /// Matching days of the month, 1...31.
    let daysOfMonth: CronFieldSet
    /// Matching months, 1...12.
    let months: CronFieldSet
    /// 0 = Sunday … 6 = Saturday (7 is folded into 0).
    let daysOfWeek: CronFieldSet
    /// Whether the day-of-month text does not start with `*` or `?`.
    let dayOfMonthRestricted: Bool
    /// Whether the day-of-week text does not start with `*` or `?`.
    let dayOfWeekRestricted: Bool

    /// How far `nextFireDate` and `previousFireDate` search before giving up, in years.
    static let searchYears = 8

    /// Parses a five-field expression or a preset (`@hourly`, `@daily`, `@midnight`, `@weekly`,
    /// `@monthly`, `@yearly`, `@annually`).
    /// - Parameter text: the expression; fields are separated by any run of spaces or tabs.
    /// - Throws: `CronError` naming the field and the offending value.
    public init(_ text: String) throws(CronError) {
        self = try Self.parse(text)
    }

    /// An expression from already-parsed fields.
    init(
        text: String, minutes: CronFieldSet, hours: CronFieldSet, daysOfMonth: CronFieldSet, months: CronFieldSet,
        daysOfWeek: CronFieldSet, dayOfMonthRestricted: Bool, dayOfWeekRestricted: Bool
    ) {
        self.text = text
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.daysOfWeek = daysOfWeek
        self.dayOfMonthRestricted = dayOfMonthRestricted
        self.dayOfWeekRestricted = dayOfWeekRestricted
    }

    /// The expression text.
    public var description: String { text }

    /// The first fire instant strictly after `date`, or nil if none falls within about eight years.
    ///
    /// Fire instants have zero seconds. A wall time in a daylight-saving gap fires at the end of the gap;
    /// a repeated wall time fires only at its first occurrence.
    /// - Parameters:
    ///   - date: the instant to search after.
    ///   - timeZone: the zone whose wall clock the fields are read on.
    public func nextFireDate(after date: Date, in timeZone: TimeZone) -> Date? {
        let reference = date.timeIntervalSince1970
        guard reference.isFinite, abs(reference) < 1e12 else { return nil }
        let instant = Int(reference.rounded(.down))
        let local = instant + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
        // Every wall time before `local` maps to an instant at or before `date`, so start there.
        var cursor = CronWallTime(localSeconds: local)
        let lastYear = cursor.year + Self.searchYears
        while let match = nextMatch(atOrAfter: cursor, throughYear: lastYear) {
            let fire = Self.instant(forLocalSeconds: match.localSeconds, in: timeZone)
            if Double(fire) > reference {
                return Date(timeIntervalSince1970: Double(fire))
            }
            cursor = CronWallTime(localSeconds: match.localSeconds + 60)
        }
        return nil
    }

    /// The last fire instant strictly before `date`, or nil if none falls within about eight years.
    ///
    /// Consistent with `nextFireDate(after:in:)`: for consecutive fire instants `f1 < f2`,
    /// `previousFireDate(before: f2)` is `f1` and `nextFireDate(after: f1)` is `f2`.
    /// - Parameters:
    ///   - date: the instant to search before.
    ///   - timeZone: the zone whose wall clock the fields are read on.
    public func previousFireDate(before date: Date, in timeZone: TimeZone) -> Date? {
        let reference = date.timeIntervalSince1970
        guard reference.isFinite, abs(reference) < 1e12 else { return nil }
        let instant = Int(reference.rounded(.down))
        let offsets = Self.nearbyOffsets(aroundInstant: instant, in: timeZone)
        // Every wall time after `instant + largest offset` maps to an instant after `date`.
        var cursor = CronWallTime(localSeconds: instant + (offsets.max() ?? 0))
        let firstYear = cursor.year - Self.searchYears
        while let match = previousMatch(atOrBefore: cursor, throughYear: firstYear) {
            let fire = Self.instant(forLocalSeconds: match.localSeconds, in: timeZone)
            if Double(fire) < reference {
                return Date(timeIntervalSince1970: Double(fire))
            }
            cursor = CronWallTime(localSeconds: match.localSeconds - 60)
        }
        return nil
    }
}
