public import Foundation

/// English descriptions for the dashboard and the CLI.
extension CronExpression {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    /// Identifiers of the zero-offset zone, all written `UTC`.
    static let utcAliases: Set<String> = ["GMT", "UTC", "UCT", "Etc/GMT", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Describes when the expression fires, in English, naming the time zone for wall-clock times
    /// (the zero-offset zone is always written `UTC`).
    ///
    /// Examples: `every minute`, `every 15 minutes`, `every hour at minute 0`, `every day at 03:00 UTC`,
    /// `every Monday to Friday at 02:30 Europe/Berlin`, `on day 1 of every month at 00:00 UTC`.
    /// Expressions with no short honest phrasing come back as `at cron '5,35 1-4 */2 * *' (UTC)`.
    /// - Parameter timeZone: the zone the expression is read in; its identifier ends the phrase.
    public func describe(in timeZone: TimeZone) -> String {
        // Foundation on Linux reports `TimeZone(identifier: "UTC")` as "GMT"; schedules say UTC.
        let zone = Self.utcAliases.contains(timeZone.identifier) ? "UTC" : timeZone.identifier
        return phrase(zone: zone) ?? "at cron '\(Self.tokens(of: text).joined(separator: " "))' (\(zone))"
    }

    /// The English phrase, or nil when the expression has no short one.
    func phrase(zone: String) -> String? {
        guard let days = dayPhrase() else { return nil }
        let everyMinute = minutes.containsAll(0...59)
        let everyHour = hours.containsAll(0...23)
        if days == "every day" {
            if everyMinute && everyHour {
                return "every minute"
            }
            if everyHour, let step = Self.evenStep(minutes, period: 60) {
                return "every \(step) minutes"
            }
            if everyHour, let list = Self.list(minutes.values.map(String.init), limit: 4) {
                return "every hour at minute\(minutes.count > 1 ? "s" : "") \(list)"
            }
            if minutes.count == 1, let step = Self.evenStep(hours, period: 24) {
                return "every \(step) hours at minute \(minutes.values[0])"
            }
        }
        guard minutes.count * hours.count <= 4 else { return nil }
        let times = hours.values.flatMap { hour in minutes.values.map { Self.twoDigits(hour) + ":" + Self.twoDigits($0) } }
        guard let timeList = Self.list(times, limit: 4) else { return nil }
        return "\(days) at \(timeList) \(zone)"
    }

    /// `every day`, `every Monday to Friday`, `on day 1 of every month`, `every day in January`…;
    /// nil when the days have no short phrasing.
    func dayPhrase() -> String? {
        let everyDayOfMonth = daysOfMonth.containsAll(1...31)
        let everyDayOfWeek = daysOfWeek.containsAll(0...6)
        var filtersDayOfMonth = !everyDayOfMonth
        var filtersDayOfWeek = !everyDayOfWeek
        if dayOfMonthRestricted && dayOfWeekRestricted {
            // Either field matching is enough, so a full field means every day.
            guard everyDayOfMonth || everyDayOfWeek else { return nil }
            (filtersDayOfMonth, filtersDayOfWeek) = (false, false)
        }
        if filtersDayOfMonth && filtersDayOfWeek { return nil }
        var monthList: String?
        if !months.containsAll(1...12) {
            guard let list = Self.list(Self.runs(months.values) { Self.monthNames[$0 - 1] }, limit: 4) else { return nil }
            monthList = list
        }
        if filtersDayOfMonth {
            guard let list = Self.list(Self.runs(daysOfMonth.values, name: String.init), limit: 4) else { return nil }
            return "on day\(daysOfMonth.count > 1 ? "s" : "") \(list) of \(monthList ?? "every month")"
        }
        var phrase = "every day"
        if filtersDayOfWeek {
            // Monday first, so that `SAT,SUN` reads "Saturday and Sunday".
            let mondayFirst = daysOfWeek.values.map { $0 == 0 ? 7 : $0 }.sorted()
            guard let list = Self.list(Self.runs(mondayFirst) { Self.weekdayNames[$0 % 7] }, limit: 4) else { return nil }
            phrase = "every \(list)"
        }
        return monthList.map { "\(phrase) in \($0)" } ?? phrase
    }

    /// `n` when the set is exactly `0, n, 2n, …` below `period` with `n > 1` dividing `period`.
    static func evenStep(_ set: CronFieldSet, period: Int) -> Int? {
        let values = set.values
        guard values.count >= 2, values[0] == 0 else { return nil }
        let step = values[1]
        guard step > 1, period % step == 0, values == Array(stride(from: 0, to: period, by: step)) else { return nil }
        return step
    }

    /// Names sorted values, writing runs of three or more as `first to last`.
    static func runs(_ values: [Int], name: (Int) -> String) -> [String] {
        var items: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count && values[end + 1] == values[end] + 1 { end += 1 }
            if end - index >= 2 {
                items.append("\(name(values[index])) to \(name(values[end]))")
                index = end + 1
            } else {
                items.append(name(values[index]))
                index += 1
            }
        }
        return items
    }

    /// `a`, `a and b`, `a, b and c`; nil when there are more than `limit` items.
    static func list(_ items: [String], limit: Int) -> String? {
        guard !items.isEmpty, items.count <= limit else { return nil }
        guard let last = items.last, items.count > 1 else { return items.first }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }

    /// `7` as `07`.
    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
