import Foundation
import Testing

@testable import Workflow

/// Parses an ISO 8601 instant with an explicit offset, such as `2026-03-29T03:00:00+02:00`.
private func instant(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}

/// The zone named `identifier`, which the test machine must know.
private func zone(_ identifier: String) throws -> TimeZone {
    try #require(TimeZone(identifier: identifier))
}

/// The first `count` fire instants after `start`.
private func fires(_ expression: String, in timeZone: String, after start: String, count: Int) throws -> [Date] {
    let cron = try CronExpression(expression)
    let timeZone = try zone(timeZone)
    var result: [Date] = []
    var cursor = try instant(start)
    for _ in 0..<count {
        let next = try #require(cron.nextFireDate(after: cursor, in: timeZone))
        result.append(next)
        cursor = next
    }
    return result
}

/// Expects `text` to be rejected with exactly this field, value and message.
private func expectRejected(
    _ text: String, field: String, value: String, message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: CronError.self, sourceLocation: sourceLocation) { _ = try CronExpression(text) }
    #expect(error?.expression == text, sourceLocation: sourceLocation)
    #expect(error?.field == field, sourceLocation: sourceLocation)
    #expect(error?.value == value, sourceLocation: sourceLocation)
    #expect(error?.description == message, sourceLocation: sourceLocation)
}

@Suite("Cron: next fire times")
struct CronNextFireTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let expression: String
        let zone: String
        let after: String
        let next: String
        var testDescription: String { "'\(expression)' in \(zone) after \(after)" }
    }

    static let cases: [Case] = [
        Case(expression: "* * * * *", zone: "UTC", after: "2026-05-14T10:20:30Z", next: "2026-05-14T10:21:00Z"),
        Case(expression: "* * * * *", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2026-05-14T10:21:00Z"),
        Case(expression: "0 3 * * *", zone: "UTC", after: "2026-05-14T02:59:59Z", next: "2026-05-14T03:00:00Z"),
        Case(expression: "0 3 * * *", zone: "UTC", after: "2026-05-14T03:00:00Z", next: "2026-05-15T03:00:00Z"),
        Case(expression: "*/15 * * * *", zone: "UTC", after: "2026-05-14T10:07:00Z", next: "2026-05-14T10:15:00Z"),
        Case(expression: "*/15 * * * *", zone: "UTC", after: "2026-05-14T23:45:00Z", next: "2026-05-15T00:00:00Z"),
        Case(expression: "1-30/5 * * * *", zone: "UTC", after: "2026-05-14T10:27:00Z", next: "2026-05-14T11:01:00Z"),
        Case(expression: "5/10 * * * *", zone: "UTC", after: "2026-05-14T10:56:00Z", next: "2026-05-14T11:05:00Z"),
        Case(expression: "0 22 * * *", zone: "UTC", after: "2026-12-31T22:00:00Z", next: "2027-01-01T22:00:00Z"),
        Case(expression: "0 0 31 * *", zone: "UTC", after: "2026-04-01T00:00:00Z", next: "2026-05-31T00:00:00Z"),
        // 2026-01-30 is the last weekday of January; 2026-07-01 is a Wednesday.
        Case(expression: "0 9 * JAN,jul MON-FRI", zone: "UTC", after: "2026-01-30T09:00:00Z", next: "2026-07-01T09:00:00Z"),
        Case(expression: "0 9 * jan-Mar/2 *", zone: "UTC", after: "2026-01-31T09:00:00Z", next: "2026-03-01T09:00:00Z"),
        // 2026-05-14 is a Thursday.
        Case(expression: "0 12 * * SUN", zone: "UTC", after: "2026-05-14T00:00:00Z", next: "2026-05-17T12:00:00Z"),
        Case(expression: "0 12 * * 7", zone: "UTC", after: "2026-05-14T00:00:00Z", next: "2026-05-17T12:00:00Z"),
        Case(expression: "0 12 * * 5-7", zone: "UTC", after: "2026-05-15T12:00:00Z", next: "2026-05-16T12:00:00Z"),
        Case(expression: "0 0 ? * MON", zone: "UTC", after: "2026-05-14T00:00:00Z", next: "2026-05-18T00:00:00Z"),
        Case(expression: "\t0  3\t* *   * ", zone: "UTC", after: "2026-05-14T04:00:00Z", next: "2026-05-15T03:00:00Z"),
        Case(expression: "@hourly", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2026-05-14T11:00:00Z"),
        Case(expression: "@daily", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2026-05-15T00:00:00Z"),
        Case(expression: "@midnight", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2026-05-15T00:00:00Z"),
        Case(expression: "@weekly", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2026-05-17T00:00:00Z"),
        Case(expression: "@monthly", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2026-06-01T00:00:00Z"),
        Case(expression: "@yearly", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2027-01-01T00:00:00Z"),
        Case(expression: "@ANNUALLY", zone: "UTC", after: "2026-05-14T10:20:00Z", next: "2027-01-01T00:00:00Z"),
        Case(expression: "0 0 29 2 *", zone: "UTC", after: "2025-01-01T00:00:00Z", next: "2028-02-29T00:00:00Z"),
        Case(expression: "0 0 29 2 *", zone: "UTC", after: "2096-03-01T00:00:00Z", next: "2104-02-29T00:00:00Z"),
        Case(
            expression: "30 2 * * 1-5", zone: "Europe/Berlin", after: "2026-05-14T00:00:00Z",
            next: "2026-05-14T02:30:00+02:00"),
        Case(
            expression: "30 2 * * 1-5", zone: "Europe/Berlin", after: "2026-05-15T02:30:00+02:00",
            next: "2026-05-18T02:30:00+02:00"),
        Case(
            expression: "0 9 * * *", zone: "America/New_York", after: "2026-07-01T12:00:00Z",
            next: "2026-07-01T09:00:00-04:00"),
        Case(expression: "0 0 * * *", zone: "Asia/Kolkata", after: "2026-01-01T00:00:00Z", next: "2026-01-02T00:00:00+05:30"),
    ]

    @Test(arguments: cases)
    func nextFireDate(_ row: Case) throws {
        let cron = try CronExpression(row.expression)
        let next = try #require(cron.nextFireDate(after: try instant(row.after), in: try zone(row.zone)))
        #expect(next == (try instant(row.next)))
    }

    @Test(arguments: cases)
    func previousFireDateOfTheNextFireDateIsAtOrBeforeTheStart(_ row: Case) throws {
        let cron = try CronExpression(row.expression)
        let timeZone = try zone(row.zone)
        let after = try instant(row.after)
        let next = try instant(row.next)
        let previous = try #require(cron.previousFireDate(before: next, in: timeZone))
        #expect(previous <= after)
        #expect(cron.nextFireDate(after: previous, in: timeZone) == next)
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 FEB ?"])
    func impossibleDatesNeverFire(_ expression: String) throws {
        let cron = try CronExpression(expression)
        let start = try instant("2026-01-01T00:00:00Z")
        #expect(cron.nextFireDate(after: start, in: .gmt) == nil)
        #expect(cron.previousFireDate(before: start, in: .gmt) == nil)
    }

    @Test
    func february29WalksLeapYears() throws {
        let dates = try fires("0 0 29 2 *", in: "UTC", after: "2025-01-01T00:00:00Z", count: 3)
        #expect(dates == [try instant("2028-02-29T00:00:00Z"), try instant("2032-02-29T00:00:00Z"), try instant("2036-02-29T00:00:00Z")])
        let cron = try CronExpression("0 0 29 2 *")
        #expect(cron.previousFireDate(before: try instant("2028-01-01T00:00:00Z"), in: .gmt) == (try instant("2024-02-29T00:00:00Z")))
    }

    @Test
    func fireTimesHaveZeroSeconds() throws {
        let cron = try CronExpression("*/7 * * * *")
        let next = try #require(cron.nextFireDate(after: try instant("2026-05-14T10:20:31Z").addingTimeInterval(0.25), in: .gmt))
        #expect(next == (try instant("2026-05-14T10:21:00Z")))
        #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
        let previous = try #require(cron.previousFireDate(before: try instant("2026-05-14T10:21:00Z").addingTimeInterval(0.5), in: .gmt))
        #expect(previous == (try instant("2026-05-14T10:21:00Z")))
    }
}

@Suite("Cron: day-of-month and day-of-week")
struct CronDayRuleTests {
    @Test
    func bothRestrictedFiresOnEitherDay() throws {
        // Vixie: the 13th of any month, and every Friday.
        let dates = try fires("0 0 13 * 5", in: "UTC", after: "2026-02-01T00:00:00Z", count: 12)
        let expected = [
            "2026-02-06", "2026-02-13", "2026-02-20", "2026-02-27", "2026-03-06", "2026-03-13",
            "2026-03-20", "2026-03-27", "2026-04-03", "2026-04-10", "2026-04-13", "2026-04-17",
        ]
        #expect(dates == (try expected.map { try instant($0 + "T00:00:00Z") }))
    }

    @Test
    func starPrefixedDayOfMonthIsUnrestrictedSoBothMustMatch() throws {
        // `*/2` starts with `*`, so only Fridays that fall on odd days fire.
        let dates = try fires("0 0 */2 * 5", in: "UTC", after: "2026-02-01T00:00:00Z", count: 6)
        let expected = ["2026-02-13", "2026-02-27", "2026-03-13", "2026-03-27", "2026-04-03", "2026-04-17"]
        #expect(dates == (try expected.map { try instant($0 + "T00:00:00Z") }))
    }

    @Test(arguments: [
        ("0 0 ? * 5", ["2026-02-06", "2026-02-13", "2026-02-20"]),
        ("0 0 * * 5", ["2026-02-06", "2026-02-13", "2026-02-20"]),
        ("0 0 13 * ?", ["2026-02-13", "2026-03-13", "2026-04-13"]),
        ("0 0 13 * *", ["2026-02-13", "2026-03-13", "2026-04-13"]),
        // Both restricted and day-of-month covers every day: every day fires.
        ("0 0 1-31 * 5", ["2026-02-02", "2026-02-03", "2026-02-04"]),
    ])
    func unrestrictedDayFieldMatchesEveryDay(_ expression: String, _ days: [String]) throws {
        let dates = try fires(expression, in: "UTC", after: "2026-02-01T00:00:00Z", count: days.count)
        #expect(dates == (try days.map { try instant($0 + "T00:00:00Z") }))
    }

    @Test
    func namesAndStepsSelectWeekdaysOfJanuaryAndJuly() throws {
        let cron = try CronExpression("0 9 * JAN,jul MON-FRI")
        var dates: [Date] = []
        var cursor = try instant("2025-12-31T23:59:00Z")
        while let next = cron.nextFireDate(after: cursor, in: .gmt), next < (try instant("2027-01-01T00:00:00Z")) {
            dates.append(next)
            cursor = next
        }
        // January 2026 has 22 weekdays and July 2026 has 23.
        #expect(dates.count == 45)
        #expect(dates.first == (try instant("2026-01-01T09:00:00Z")))
        #expect(dates[21] == (try instant("2026-01-30T09:00:00Z")))
        #expect(dates[22] == (try instant("2026-07-01T09:00:00Z")))
        #expect(dates.last == (try instant("2026-07-31T09:00:00Z")))
    }

    @Test
    func parsedFieldsExpandListsRangesStepsAndNames() throws {
        let cron = try CronExpression("1-30/5,59 */6 5/10 jan,JUL-sep/2 sun,7,MON-wed")
        #expect(cron.minutes.values == [1, 6, 11, 16, 21, 26, 59])
        #expect(cron.hours.values == [0, 6, 12, 18])
        #expect(cron.daysOfMonth.values == [5, 15, 25])
        #expect(cron.months.values == [1, 7, 9])
        #expect(cron.daysOfWeek.values == [0, 1, 2, 3])
        #expect(cron.dayOfMonthRestricted && cron.dayOfWeekRestricted)
        let star = try CronExpression("* * * * *")
        #expect(star.daysOfWeek.values == Array(0...6))
        #expect(!star.dayOfMonthRestricted && !star.dayOfWeekRestricted)
    }

    @Test(arguments: [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@Daily", "0 0 * * *"),
    ])
    func presetsExpandToTheirFields(_ preset: String, _ fields: String) throws {
        let a = try CronExpression(preset)
        let b = try CronExpression(fields)
        #expect(a.text == preset)
        #expect(a.description == preset)
        #expect([a.minutes, a.hours, a.daysOfMonth, a.months, a.daysOfWeek] == [b.minutes, b.hours, b.daysOfMonth, b.months, b.daysOfWeek])
        #expect(a.dayOfMonthRestricted == b.dayOfMonthRestricted && a.dayOfWeekRestricted == b.dayOfWeekRestricted)
    }
}

@Suite("Cron: daylight saving time")
struct CronDaylightSavingTests {
    @Test(arguments: [
        // Europe/Berlin springs forward on 2026-03-29 at 02:00 CET to 03:00 CEST: 02:30 does not exist.
        ("Europe/Berlin", "2026-03-27T12:00:00Z", ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
        // Europe/Berlin falls back on 2026-10-25 at 03:00 CEST to 02:00 CET: 02:30 happens twice.
        ("Europe/Berlin", "2026-10-23T12:00:00Z", ["2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
        // America/New_York springs forward on 2026-03-08 at 02:00 EST to 03:00 EDT.
        ("America/New_York", "2026-03-06T12:00:00Z", ["2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]),
        // America/New_York falls back on 2026-11-01 at 02:00 EDT to 01:00 EST: 02:30 happens once, in EST.
        ("America/New_York", "2026-10-30T12:00:00Z", ["2026-10-31T02:30:00-04:00", "2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00"]),
    ])
    func dailyJobFiresOnceOnTransitionDays(_ zoneID: String, _ start: String, _ expected: [String]) throws {
        let dates = try fires("30 2 * * *", in: zoneID, after: start, count: 3)
        #expect(dates == (try expected.map(instant)))
        let cron = try CronExpression("30 2 * * *")
        let timeZone = try zone(zoneID)
        #expect(cron.previousFireDate(before: dates[2], in: timeZone) == dates[1])
        #expect(cron.previousFireDate(before: dates[1], in: timeZone) == dates[0])
    }

    @Test
    func repeatedWallTimeFiresAtItsFirstOccurrenceOnly() throws {
        let cron = try CronExpression("30 2 * * *")
        let berlin = try zone("Europe/Berlin")
        // 01:15Z is 02:15 CET, in the second pass of the repeated hour: 02:30 already fired at 00:30Z.
        let secondPass = try instant("2026-10-25T02:15:00+01:00")
        #expect(cron.nextFireDate(after: secondPass, in: berlin) == (try instant("2026-10-26T02:30:00+01:00")))
        #expect(cron.previousFireDate(before: secondPass, in: berlin) == (try instant("2026-10-25T02:30:00+02:00")))
        let afterSecondPass = try instant("2026-10-25T02:45:00+01:00")
        #expect(cron.previousFireDate(before: afterSecondPass, in: berlin) == (try instant("2026-10-25T02:30:00+02:00")))

        let newYork = try zone("America/New_York")
        let early = try CronExpression("30 1 * * *")
        let dates = try fires("30 1 * * *", in: "America/New_York", after: "2026-11-01T00:00:00-04:00", count: 2)
        #expect(dates == [try instant("2026-11-01T01:30:00-04:00"), try instant("2026-11-02T01:30:00-05:00")])
        #expect(early.nextFireDate(after: try instant("2026-11-01T01:10:00-05:00"), in: newYork) == dates[1])
    }

    @Test(arguments: [
        ("Europe/Berlin", "2026-03-28T23:30:00Z", ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"]),
        // Local 02:00 in its second pass (01:00Z) is not fired again.
        ("Europe/Berlin", "2026-10-24T23:30:00Z", ["2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00"]),
        ("America/New_York", "2026-03-08T05:30:00Z", ["2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"]),
        ("America/New_York", "2026-11-01T04:30:00Z", ["2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00"]),
    ])
    func hourlyJobAcrossTransitions(_ zoneID: String, _ start: String, _ expected: [String]) throws {
        let dates = try fires("0 * * * *", in: zoneID, after: start, count: 3)
        #expect(dates == (try expected.map(instant)))
    }

    @Test
    func wallTimesInTheGapCollapseToTheTransitionInstant() throws {
        // 02:00, 02:15, 02:30 and 02:45 do not exist in Berlin on 2026-03-29; with 03:00 they fire once, at 01:00Z.
        let dates = try fires("*/15 * * * *", in: "Europe/Berlin", after: "2026-03-29T01:40:00+01:00", count: 3)
        #expect(dates == [try instant("2026-03-29T01:45:00+01:00"), try instant("2026-03-29T01:00:00Z"), try instant("2026-03-29T03:15:00+02:00")])
        let cron = try CronExpression("*/15 * * * *")
        let berlin = try zone("Europe/Berlin")
        #expect(cron.previousFireDate(before: dates[2], in: berlin) == dates[1])
        #expect(cron.previousFireDate(before: dates[1], in: berlin) == dates[0])
        // A job only inside the gap fires at the transition.
        let gapOnly = try CronExpression("45 2 * * *")
        #expect(gapOnly.nextFireDate(after: try instant("2026-03-29T00:00:00Z"), in: berlin) == (try instant("2026-03-29T03:00:00+02:00")))
    }

    @Test
    func quarterHourlyJobSkipsTheSecondPassOfTheRepeatedHour() throws {
        let dates = try fires("*/15 * * * *", in: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00", count: 2)
        #expect(dates == [try instant("2026-10-25T02:45:00+02:00"), try instant("2026-10-25T03:00:00+01:00")])
    }
}

@Suite("Cron: next and previous agree")
struct CronConsistencyTests {
    @Test(arguments: [
        ("*/15 * * * *", "Europe/Berlin", "2026-10-24T20:00:00Z"),
        ("*/15 * * * *", "Europe/Berlin", "2026-03-28T20:00:00Z"),
        ("30 2 * * *", "Europe/Berlin", "2026-01-01T00:00:00Z"),
        ("0 * * * *", "America/New_York", "2026-10-30T00:00:00Z"),
        ("0 * * * *", "America/New_York", "2026-03-05T00:00:00Z"),
        ("0 1-3 * * *", "America/New_York", "2026-01-01T00:00:00Z"),
        ("5,35 1-4 */2 * *", "UTC", "2026-01-01T00:00:00Z"),
        ("0 0 13 * 5", "Asia/Kolkata", "2026-01-01T00:00:00Z"),
        ("0 0 29 2 *", "Australia/Lord_Howe", "2000-01-01T00:00:00Z"),
        ("*/30 2 * * *", "Australia/Lord_Howe", "2026-01-01T00:00:00Z"),
    ])
    func walkingForwardAndBackMeetsEveryFire(_ expression: String, _ zoneID: String, _ start: String) throws {
        let cron = try CronExpression(expression)
        let timeZone = try zone(zoneID)
        let dates = try fires(expression, in: zoneID, after: start, count: 200)
        for (earlier, later) in zip(dates, dates.dropFirst()) {
            #expect(earlier < later)
            #expect(cron.previousFireDate(before: later, in: timeZone) == earlier)
            #expect(cron.previousFireDate(before: later.addingTimeInterval(-0.5), in: timeZone) == earlier)
            #expect(cron.nextFireDate(after: earlier.addingTimeInterval(0.5), in: timeZone) == later)
        }
        for date in dates {
            #expect(date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
            #expect(cron.previousFireDate(before: date.addingTimeInterval(1), in: timeZone) == date)
            #expect(cron.nextFireDate(after: date.addingTimeInterval(-1), in: timeZone) == date)
        }
    }

    @Test(arguments: ["*/7 * * * *", "0 9-17 * * MON-FRI", "0 0 13 * 5", "15 */3 1,15 * *", "0 12 * FEB,AUG *"])
    func matchesABruteForceMinuteScanInUTC(_ expression: String) throws {
        let cron = try CronExpression(expression)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let start = try instant("2026-01-25T00:00:00Z")
        let spec = expression.split(separator: " ").map(String.init)
        func matches(_ values: String, _ value: Int, names: [String: Int] = [:]) -> Bool {
            values.split(separator: ",").contains { element in
                let parts = element.split(separator: "/")
                let step = parts.count == 2 ? Int(parts[1])! : 1
                let bounds = parts[0] == "*" ? ["0", "99"] : parts[0].split(separator: "-").map(String.init)
                let number = { (token: String) in Int(token) ?? names[token]! }
                let low = number(bounds[0])
                let high = bounds.count == 2 ? number(bounds[1]) : (parts.count == 2 ? 99 : low)
                return value >= low && value <= high && (value - low) % step == 0
            }
        }
        let weekdays = ["MON": 1, "FRI": 5]
        let monthNames = ["FEB": 2, "AUG": 8]
        var expected: [Date] = []
        for minute in 1...(60 * 24 * 40) {
            let date = start.addingTimeInterval(Double(minute * 60))
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
            let dayOfMonth = matches(spec[2], c.day!)
            let dayOfWeek = matches(spec[4], c.weekday! - 1, names: weekdays)
            let day = spec[2] != "*" && spec[4] != "*" ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek
            if matches(spec[0], c.minute!) && matches(spec[1], c.hour!) && matches(spec[3], c.month!, names: monthNames) && day {
                expected.append(date)
            }
        }
        var actual: [Date] = []
        var cursor = start
        while let next = cron.nextFireDate(after: cursor, in: .gmt), next <= start.addingTimeInterval(Double(60 * 24 * 40 * 60)) {
            actual.append(next)
            cursor = next
        }
        #expect(!expected.isEmpty)
        #expect(actual == expected)
    }
}

@Suite("Cron: descriptions")
struct CronDescribeTests {
    @Test(arguments: [
        ("0 3 * * *", "UTC", "every day at 03:00 UTC"),
        ("0 3 * * *", "GMT", "every day at 03:00 UTC"),
        ("0 3 * * *", "Etc/UTC", "every day at 03:00 UTC"),
        ("0 3 * * *", "Asia/Kolkata", "every day at 03:00 Asia/Kolkata"),
        ("0 2 * * 0", "UTC", "every Sunday at 02:00 UTC"),
        ("30 2 * * 1-5", "Europe/Berlin", "every Monday to Friday at 02:30 Europe/Berlin"),
        ("0 * * * *", "UTC", "every hour at minute 0"),
        ("*/15 * * * *", "UTC", "every 15 minutes"),
        ("0 0 1 * *", "UTC", "on day 1 of every month at 00:00 UTC"),
        ("* * * * *", "UTC", "every minute"),
        ("5,35 1-4 */2 * *", "UTC", "at cron '5,35 1-4 */2 * *' (UTC)"),
        ("5,35  1-4\t*/2 * *", "UTC", "at cron '5,35 1-4 */2 * *' (UTC)"),
        ("0 0 13 * 5", "UTC", "at cron '0 0 13 * 5' (UTC)"),
        ("*/5 9-17 * * *", "UTC", "at cron '*/5 9-17 * * *' (UTC)"),
        ("@yearly", "UTC", "on day 1 of January at 00:00 UTC"),
        ("@weekly", "UTC", "every Sunday at 00:00 UTC"),
        ("@daily", "America/New_York", "every day at 00:00 America/New_York"),
        ("@hourly", "UTC", "every hour at minute 0"),
        ("0 9 * JAN,jul MON-FRI", "UTC", "every Monday to Friday in January and July at 09:00 UTC"),
        ("0 9 * 1-3 *", "UTC", "every day in January to March at 09:00 UTC"),
        ("0 6,18 * * *", "UTC", "every day at 06:00 and 18:00 UTC"),
        ("0,30 9 * * *", "UTC", "every day at 09:00 and 09:30 UTC"),
        ("0 */2 * * *", "UTC", "every 2 hours at minute 0"),
        ("0,30 * * * *", "UTC", "every 30 minutes"),
        ("10,40 * * * *", "UTC", "every hour at minutes 10 and 40"),
        ("0 0 1,15 * *", "UTC", "on days 1 and 15 of every month at 00:00 UTC"),
        ("0 0 1-7 * *", "UTC", "on days 1 to 7 of every month at 00:00 UTC"),
        ("0 0 * * SAT,SUN", "UTC", "every Saturday and Sunday at 00:00 UTC"),
        ("0 0 * * 1,3,5", "UTC", "every Monday, Wednesday and Friday at 00:00 UTC"),
        ("0 0 1-31 * 1-5", "UTC", "every day at 00:00 UTC"),
    ])
    func describe(_ expression: String, _ zoneID: String, _ expected: String) throws {
        let description = try CronExpression(expression).describe(in: try zone(zoneID))
        #expect(description == expected)
    }
}

@Suite("Cron: malformed expressions")
struct CronErrorTests {
    @Test(arguments: [
        ("61 * * * *", "minute", "61", "minute value '61' is out of range 0-59"),
        ("0 24 * * *", "hour", "24", "hour value '24' is out of range 0-23"),
        ("0 0 0 * *", "day-of-month", "0", "day-of-month value '0' is out of range 1-31"),
        ("0 0 * 13 *", "month", "13", "month value '13' is out of range 1-12"),
        ("0 0 * 1-13 *", "month", "13", "month value '13' is out of range 1-12"),
        ("0 0 * * 8", "day-of-week", "8", "day-of-week value '8' is out of range 0-7"),
        ("99999999999999999999 * * * *", "minute", "99999999999999999999", "minute value '99999999999999999999' is out of range 0-59"),
    ])
    func valueOutOfRange(_ text: String, _ field: String, _ value: String, _ reason: String) {
        expectRejected(text, field: field, value: value, message: "invalid cron expression '\(text)': \(reason)")
    }

    @Test(arguments: [
        ("* * * *", "* * * *", 4),
        ("* * * * * *", "* * * * * *", 6),
        ("", "", 0),
        ("@daily 5", "@daily 5", 2),
    ])
    func wrongFieldCount(_ text: String, _ value: String, _ count: Int) {
        expectRejected(
            text, field: "expression", value: value,
            message: "invalid cron expression '\(text)': expected 5 fields (minute hour day-of-month month day-of-week), got \(count)")
    }

    @Test(arguments: [
        ("0 0 * * FOO", "day-of-week", "FOO", "day-of-week value 'FOO' is not a number or a name (SUN-SAT)"),
        ("0 0 * FOO *", "month", "FOO", "month value 'FOO' is not a number or a name (JAN-DEC)"),
        ("x * * * *", "minute", "x", "minute value 'x' is not a number"),
        ("0 MON * * *", "hour", "MON", "hour value 'MON' is not a number"),
        ("0 0 +1 * *", "day-of-month", "+1", "day-of-month value '+1' is not a number"),
    ])
    func valueIsNotANumberOrName(_ text: String, _ field: String, _ value: String, _ reason: String) {
        expectRejected(text, field: field, value: value, message: "invalid cron expression '\(text)': \(reason)")
    }

    @Test(arguments: [
        ("0 0 * */0 *", "month", "0", "month step '0' must be a positive integer"),
        ("*/x * * * *", "minute", "x", "minute step 'x' must be a positive integer"),
        ("*/ * * * *", "minute", "", "minute step '' must be a positive integer"),
        ("0 1-5/-2 * * *", "hour", "-2", "hour step '-2' must be a positive integer"),
    ])
    func stepIsNotAPositiveInteger(_ text: String, _ field: String, _ value: String, _ reason: String) {
        expectRejected(text, field: field, value: value, message: "invalid cron expression '\(text)': \(reason)")
    }

    @Test(arguments: [
        ("0 5-2 * * *", "hour", "5-2", "hour range '5-2' is reversed"),
        ("0 0 * * FRI-MON", "day-of-week", "FRI-MON", "day-of-week range 'FRI-MON' is reversed"),
    ])
    func rangeIsReversed(_ text: String, _ field: String, _ value: String, _ reason: String) {
        expectRejected(text, field: field, value: value, message: "invalid cron expression '\(text)': \(reason)")
    }

    @Test(arguments: [
        ("1-2-3 * * * *", "minute", "1-2-3", "minute range '1-2-3' is malformed (expected start-end)"),
        ("0 -5 * * *", "hour", "-5", "hour range '-5' is malformed (expected start-end)"),
        ("0 0 1- * *", "day-of-month", "1-", "day-of-month range '1-' is malformed (expected start-end)"),
    ])
    func rangeIsMalformed(_ text: String, _ field: String, _ value: String, _ reason: String) {
        expectRejected(text, field: field, value: value, message: "invalid cron expression '\(text)': \(reason)")
    }

    @Test
    func wildcardAsRangeBound() {
        expectRejected(
            "*-5 * * * *", field: "minute", value: "*",
            message: "invalid cron expression '*-5 * * * *': minute value '*' cannot be a range bound")
    }

    @Test(arguments: [
        ("1,,2 * * * *", "minute", "1,,2"),
        ("0 0 * 1, *", "month", "1,"),
        ("0 0 * * ,MON", "day-of-week", ",MON"),
    ])
    func emptyListElement(_ text: String, _ field: String, _ value: String) {
        expectRejected(
            text, field: field, value: value,
            message: "invalid cron expression '\(text)': \(field) list '\(value)' has an empty element")
    }

    @Test
    func moreThanOneStep() {
        expectRejected(
            "1/2/3 * * * *", field: "minute", value: "1/2/3",
            message: "invalid cron expression '1/2/3 * * * *': minute element '1/2/3' has more than one step")
    }

    @Test(arguments: [("? * * * *", "minute"), ("0 ? * * *", "hour"), ("0 0 * ? *", "month")])
    func questionMarkOutsideDayFields(_ text: String, _ field: String) {
        expectRejected(
            text, field: field, value: "?",
            message: "invalid cron expression '\(text)': \(field) value '?' is only allowed in day-of-month and day-of-week")
    }

    @Test(arguments: ["@fortnightly", "@reboot", "@"])
    func unknownPreset(_ text: String) {
        expectRejected(text, field: "expression", value: text, message: "invalid cron expression '\(text)': unknown preset '\(text)'")
    }

    @Test
    func errorCarriesTheExpressionAsGiven() throws {
        let error = CronError(expression: "61 * * * *", field: "minute", value: "61", reason: "minute value '61' is out of range 0-59")
        #expect(throws: error) { _ = try CronExpression("61 * * * *") }
        #expect("\(error)" == "invalid cron expression '61 * * * *': minute value '61' is out of range 0-59")
    }
}
