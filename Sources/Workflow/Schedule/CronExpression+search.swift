internal import Foundation

/// Wall-clock search and the mapping from wall times to instants.
extension CronExpression {
    /// Whether the expression fires on a calendar day (day-of-month, day-of-week and the Vixie OR rule).
    func matchesDay(year: Int, month: Int, day: Int) -> Bool {
        let dayOfMonthMatches = daysOfMonth.contains(day)
        let dayOfWeekMatches = daysOfWeek.contains(CronWallTime.weekday(year: year, month: month, day: day))
        if dayOfMonthRestricted && dayOfWeekRestricted {
            return dayOfMonthMatches || dayOfWeekMatches
        }
        return dayOfMonthMatches && dayOfWeekMatches
    }

    /// The first matching wall time at or after `start`, skipping whole months, days and hours
    /// that cannot match; nil after `lastYear`.
    func nextMatch(atOrAfter start: CronWallTime, throughYear lastYear: Int) -> CronWallTime? {
        var (year, month, day, hour, minute) = (start.year, start.month, start.day, start.hour, start.minute)
        while year <= lastYear {
            guard let matchingMonth = months.first(atOrAfter: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchingMonth != month {
                (month, day, hour, minute) = (matchingMonth, 1, 0, 0)
            }
            let daysInMonth = CronWallTime.daysInMonth(year: year, month: month)
            while day <= daysInMonth && !matchesDay(year: year, month: month, day: day) {
                (day, hour, minute) = (day + 1, 0, 0)
            }
            guard day <= daysInMonth else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                if month > 12 { (year, month) = (year + 1, 1) }
                continue
            }
            guard let matchingHour = hours.first(atOrAfter: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchingHour != hour {
                (hour, minute) = (matchingHour, 0)
            }
            guard let matchingMinute = minutes.first(atOrAfter: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return CronWallTime(year: year, month: month, day: day, hour: hour, minute: matchingMinute)
        }
        return nil
    }

    /// The last matching wall time at or before `start`, skipping whole months, days and hours
    /// that cannot match; nil before `firstYear`.
    func previousMatch(atOrBefore start: CronWallTime, throughYear firstYear: Int) -> CronWallTime? {
        var (year, month, day, hour, minute) = (start.year, start.month, start.day, start.hour, start.minute)
        while year >= firstYear {
            guard let matchingMonth = months.last(atOrBefore: month) else {
                (year, month, day, hour, minute) = (year - 1, 12, 31, 23, 59)
                continue
            }
            if matchingMonth != month {
                (month, day, hour, minute) = (matchingMonth, 31, 23, 59)
            }
            let daysInMonth = CronWallTime.daysInMonth(year: year, month: month)
            if day > daysInMonth {
                (day, hour, minute) = (daysInMonth, 23, 59)
            }
            while day >= 1 && !matchesDay(year: year, month: month, day: day) {
                (day, hour, minute) = (day - 1, 23, 59)
            }
            guard day >= 1 else {
                (month, day, hour, minute) = (month - 1, 31, 23, 59)
                if month < 1 { (year, month) = (year - 1, 12) }
                continue
            }
            guard let matchingHour = hours.last(atOrBefore: hour) else {
                (day, hour, minute) = (day - 1, 23, 59)
                continue
            }
            if matchingHour != hour {
                (hour, minute) = (matchingHour, 59)
            }
            guard let matchingMinute = minutes.last(atOrBefore: minute) else {
                (hour, minute) = (hour - 1, 59)
                continue
            }
            return CronWallTime(year: year, month: month, day: day, hour: hour, minute: matchingMinute)
        }
        return nil
    }

    /// The UTC offsets in effect a day before, at, and a day after `instant` (seconds since 1970).
    static func nearbyOffsets(aroundInstant instant: Int, in timeZone: TimeZone) -> Set<Int> {
        Set([-86_400, 0, 86_400].map { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant + $0))) })
    }

    /// The one instant (seconds since 1970) a wall time fires at.
    ///
    /// A wall time that occurs twice maps to its first occurrence; a wall time in a gap maps to the
    /// first instant after the gap (the transition itself). This mapping never decreases as the wall
    /// time increases, which is what lets the searches stop at the first match.
    static func instant(forLocalSeconds local: Int, in timeZone: TimeZone) -> Int {
        let offsets = nearbyOffsets(aroundInstant: local, in: timeZone)
        let valid = offsets.map { local - $0 }.filter { candidate in
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(candidate))) == local - candidate
        }
        if let first = valid.min() {
            return first
        }
        // A gap: find the first instant whose wall time is past `local`.
        func wallTime(_ instant: Int) -> Int {
            instant + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
        }
        var low = local - (offsets.max() ?? 0)  // wall time before the gap
        var high = local - (offsets.min() ?? 0)  // wall time after the gap
        guard wallTime(low) <= local, wallTime(high) > local else { return high }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if wallTime(middle) > local { high = middle } else { low = middle }
        }
        return high
    }
}
