import Foundation
import Testing

import Scheduler
import Workflow

/// An instant on Thursday 2026-05-14 (UTC) given as `HH:MM` or `HH:MM:SS`.
private func may14(_ time: String) throws -> Date {
    try Fixtures.at("2026-05-14T\(time.count == 5 ? time + ":00" : time)Z")
}

private func hourlyDAG(catchup: Bool, startDate: Date? = nil) -> DAG {
    DAG("hourly", schedule: .cron("0 * * * *"), startDate: startDate, catchup: catchup) { Fixtures.task("a") }
}

/// The runs `dag` has due at `now`.
private func due(_ dag: DAG, last: Date? = nil, registeredAt: Date, now: Date) throws -> [RunRequest] {
    let cron = try #require(try dag.cron())
    return RunFactory.dueRuns(of: dag, cron: cron, lastLogicalDate: last, registeredAt: registeredAt, now: now)
}

/// A scheduled run at `tick` whose data interval starts at `previous`.
private func scheduled(_ tick: Date, after previous: Date) -> RunRequest {
    RunRequest(runID: "scheduled__" + Template.timestamp(tick), logicalDate: tick, interval: DateInterval(start: previous, end: tick))
}

@Suite("RunFactory: scheduled runs")
struct RunFactoryDueRunTests {
    @Test
    func catchupOffCreatesOnlyTheLatestTick() throws {
        let runs = try due(hourlyDAG(catchup: false), registeredAt: may14("10:30"), now: may14("13:15"))
        #expect(runs == [scheduled(try may14("13:00"), after: try may14("12:00"))])
        #expect(runs.first?.runID == "scheduled__2026-05-14T13:00:00+00:00")
    }

    @Test
    func catchupOnCreatesEveryMissedTickInOrder() throws {
        let runs = try due(hourlyDAG(catchup: true), registeredAt: may14("10:30"), now: may14("13:15"))
        #expect(
            runs == [
                scheduled(try may14("11:00"), after: try may14("10:00")),
                scheduled(try may14("12:00"), after: try may14("11:00")),
                scheduled(try may14("13:00"), after: try may14("12:00")),
            ])
    }

    /// Registered at 10:30: the 10:00 tick is never due; a tick at exactly `now` is.
    @Test(arguments: [
        ("10:45", [], []),
        ("10:59:59", [], []),
        ("11:00", ["11:00"], ["11:00"]),
        ("11:00:30", ["11:00"], ["11:00"]),
        ("12:59", ["12:00"], ["11:00", "12:00"]),
        ("13:15", ["13:00"], ["11:00", "12:00", "13:00"]),
    ] as [(String, [String], [String])])
    func nothingIsDueBeforeRegistration(_ now: String, _ catchupOff: [String], _ catchupOn: [String]) throws {
        let registered = try may14("10:30")
        let off = try due(hourlyDAG(catchup: false), registeredAt: registered, now: may14(now))
        let on = try due(hourlyDAG(catchup: true), registeredAt: registered, now: may14(now))
        #expect(off.map(\.logicalDate) == (try catchupOff.map(may14)))
        #expect(on.map(\.logicalDate) == (try catchupOn.map(may14)))
    }

    @Test(arguments: [false, true])
    func tickAtTheRegistrationInstantIsDue(_ catchup: Bool) throws {
        let runs = try due(hourlyDAG(catchup: catchup), registeredAt: may14("10:00"), now: may14("10:00"))
        #expect(runs == [scheduled(try may14("10:00"), after: try may14("09:00"))])
    }

    @Test
    func startDateReplacesTheRegistrationTime() throws {
        let registered = try may14("10:30")
        let early = try may14("08:00")
        #expect(
            try due(hourlyDAG(catchup: true, startDate: early), registeredAt: registered, now: may14("10:45")).map(\.logicalDate)
                == [try may14("08:00"), try may14("09:00"), try may14("10:00")])
        #expect(
            try due(hourlyDAG(catchup: false, startDate: early), registeredAt: registered, now: may14("10:45")).map(\.logicalDate)
                == [try may14("10:00")])

        let late = try may14("12:00")
        for catchup in [false, true] {
            #expect(try due(hourlyDAG(catchup: catchup, startDate: late), registeredAt: registered, now: may14("11:30")) == [])
        }
        #expect(
            try due(hourlyDAG(catchup: true, startDate: late), registeredAt: registered, now: may14("13:15")).map(\.logicalDate)
                == [try may14("12:00"), try may14("13:00")])
        #expect(
            try due(hourlyDAG(catchup: false, startDate: late), registeredAt: registered, now: may14("13:15")).map(\.logicalDate)
                == [try may14("13:00")])
    }

    /// `lastLogicalDate` is the latest scheduled run: it is never created again.
    @Test(arguments: [
        (false, "13:00", []),
        (true, "13:00", []),
        (false, "12:00", ["13:00"]),
        (true, "12:00", ["13:00"]),
        (false, "11:00", ["13:00"]),
        (true, "11:00", ["12:00", "13:00"]),
    ] as [(Bool, String, [String])])
    func lastLogicalDateIsNotDuplicated(_ catchup: Bool, _ last: String, _ expected: [String]) throws {
        let runs = try due(hourlyDAG(catchup: catchup), last: may14(last), registeredAt: may14("10:30"), now: may14("13:15"))
        #expect(runs.map(\.logicalDate) == (try expected.map(may14)))
    }

    @Test
    func catchupStopsAtTheLimitAndContinuesNextPass() throws {
        let dag = DAG("minutely", schedule: .cron("* * * * *"), startDate: try Fixtures.at("2026-05-01T00:00:00Z"), catchup: true) {
            Fixtures.task("a")
        }
        let start = try Fixtures.at("2026-05-01T00:00:00Z")
        let now = try Fixtures.at("2026-05-14T00:00:00Z")
        let first = try due(dag, registeredAt: now, now: now)
        #expect(RunFactory.catchupLimit == 1000)
        #expect(first.count == 1000)
        #expect(first.map(\.logicalDate) == (0..<1000).map { start.addingTimeInterval(Double($0) * 60) })

        let last = try #require(first.last?.logicalDate)
        let second = try due(dag, last: last, registeredAt: now, now: now)
        #expect(second.count == 1000)
        #expect(second.first?.logicalDate == start.addingTimeInterval(1000 * 60))
    }

    @Test
    func dataIntervalRunsFromThePreviousTick() throws {
        // Weekdays at 03:00: Monday's interval starts on Friday.
        let dag = DAG("weekdays", schedule: .cron("0 3 * * 1-5"), catchup: true) { Fixtures.task("a") }
        let runs = try due(dag, registeredAt: Fixtures.at("2026-05-14T00:00:00Z"), now: Fixtures.at("2026-05-19T04:00:00Z"))
        let day = { (date: String) in try Fixtures.at("2026-05-\(date)T03:00:00Z") }
        #expect(
            runs == [
                scheduled(try day("14"), after: try day("13")),
                scheduled(try day("15"), after: try day("14")),
                scheduled(try day("18"), after: try day("15")),
                scheduled(try day("19"), after: try day("18")),
            ])
    }

    @Test
    func ticksFollowTheScheduleTimeZoneAcrossDaylightSaving() throws {
        // Berlin moves to summer time on 2026-03-29: 03:00 is 02:00Z the day before and 01:00Z that day.
        let dag = DAG("berlin", schedule: .cron("0 3 * * *", timeZone: "Europe/Berlin"), catchup: true) { Fixtures.task("a") }
        let runs = try due(dag, registeredAt: Fixtures.at("2026-03-28T00:00:00Z"), now: Fixtures.at("2026-03-29T12:00:00Z"))
        #expect(
            runs == [
                scheduled(try Fixtures.at("2026-03-28T02:00:00Z"), after: try Fixtures.at("2026-03-27T02:00:00Z")),
                scheduled(try Fixtures.at("2026-03-29T01:00:00Z"), after: try Fixtures.at("2026-03-28T02:00:00Z")),
            ])
    }
}

@Suite("RunFactory: backfill, manual runs, next run")
struct RunFactoryOtherTests {
    static let daily = DAG("daily", schedule: .cron("0 3 * * *")) { Fixtures.task("a") }
    static let manual = DAG("manual") { Fixtures.task("a") }

    private func backfill(_ dag: DAG, from: String, to: String) throws -> [RunRequest] {
        RunFactory.backfillRuns(of: dag, cron: try dag.cron(), from: try Fixtures.at(from), to: try Fixtures.at(to))
    }

    @Test
    func backfillIncludesBothEnds() throws {
        let runs = try backfill(Self.daily, from: "2026-05-01T03:00:00Z", to: "2026-05-03T03:00:00Z")
        let ticks = try ["01", "02", "03"].map { try Fixtures.at("2026-05-\($0)T03:00:00Z") }
        #expect(runs.map(\.logicalDate) == ticks)
        #expect(runs.map(\.runID) == ["01", "02", "03"].map { "backfill__2026-05-\($0)T03:00:00+00:00" })
        #expect(runs.map(\.interval.start) == [try Fixtures.at("2026-04-30T03:00:00Z")] + ticks.dropLast())
        #expect(runs.map(\.interval.end) == ticks)
    }

    @Test(arguments: [
        ("2026-05-01T03:00:01Z", "2026-05-03T02:59:59Z", ["2026-05-02T03:00:00Z"]),
        ("2026-05-01T00:00:00Z", "2026-05-01T02:59:00Z", []),
        ("2026-05-03T03:00:00Z", "2026-05-01T03:00:00Z", []),
    ] as [(String, String, [String])])
    func backfillOnlyCoversTicksInsideTheRange(_ from: String, _ to: String, _ expected: [String]) throws {
        #expect(try backfill(Self.daily, from: from, to: to).map(\.logicalDate) == (try expected.map(Fixtures.at)))
    }

    @Test
    func backfillFollowsTheScheduleTimeZone() throws {
        let dag = DAG("berlin", schedule: .cron("0 3 * * *", timeZone: "Europe/Berlin")) { Fixtures.task("a") }
        let runs = try backfill(dag, from: "2026-05-01T00:00:00Z", to: "2026-05-02T23:00:00Z")
        #expect(runs.map(\.runID) == ["backfill__2026-05-01T01:00:00+00:00", "backfill__2026-05-02T01:00:00+00:00"])
    }

    @Test
    func backfillOfAManualDAGIsOneRunAtTheStart() throws {
        let from = try Fixtures.at("2026-05-01T00:00:00Z")
        #expect(
            try backfill(Self.manual, from: "2026-05-01T00:00:00Z", to: "2026-05-09T00:00:00Z")
                == [RunRequest(runID: "backfill__2026-05-01T00:00:00+00:00", logicalDate: from, interval: DateInterval(start: from, end: from))])
    }

    @Test
    func backfillStopsAtTheCatchupLimit() throws {
        let minutely = DAG("minutely", schedule: .cron("* * * * *")) { Fixtures.task("a") }
        #expect(try backfill(minutely, from: "2026-05-01T00:00:00Z", to: "2026-05-03T00:00:00Z").count == RunFactory.catchupLimit)
    }

    @Test
    func manualRunIntervalStartsAtThePreviousTick() throws {
        let hourly = hourlyDAG(catchup: false)
        let at = try may14("12:34:56").addingTimeInterval(0.5)
        #expect(
            RunFactory.manualRun(of: hourly, cron: try hourly.cron(), logicalDate: at, suffix: "ab12")
                == RunRequest(runID: "manual__2026-05-14T12:34:56.500000Z_ab12", logicalDate: at, interval: DateInterval(start: try may14("12:00"), end: at)))

        let onTick = try may14("13:00")
        let run = RunFactory.manualRun(of: hourly, cron: try hourly.cron(), logicalDate: onTick, suffix: "x")
        #expect(run.runID == "manual__2026-05-14T13:00:00.000000Z_x")
        #expect(run.interval == DateInterval(start: try may14("12:00"), end: onTick))
    }

    @Test
    func manualRunOfAManualDAGHasAnEmptyInterval() throws {
        let at = try may14("12:34:56").addingTimeInterval(0.25)
        let run = RunFactory.manualRun(of: Self.manual, cron: nil, logicalDate: at, suffix: "s")
        #expect(run == RunRequest(runID: "manual__2026-05-14T12:34:56.250000Z_s", logicalDate: at, interval: DateInterval(start: at, end: at)))
    }

    @Test(arguments: [
        ("13:00", nil, "13:15", "2026-05-14T14:00:00Z"),
        (nil, nil, "10:40", "2026-05-14T11:00:00Z"),
        (nil, "2026-06-01T00:00:00Z", "13:15", "2026-06-01T00:00:00Z"),
        (nil, "2026-06-01T00:30:00Z", "13:15", "2026-06-01T01:00:00Z"),
        (nil, "2026-05-01T00:00:00Z", "13:15", "2026-05-14T14:00:00Z"),
    ] as [(String?, String?, String, String)])
    func nextRunDateIsTheFirstTickAfterEverythingKnown(_ last: String?, _ start: String?, _ now: String, _ expected: String) throws {
        let dag = hourlyDAG(catchup: false, startDate: try start.map(Fixtures.at))
        let next = RunFactory.nextRunDate(
            of: dag, cron: try #require(try dag.cron()), lastLogicalDate: try last.map(may14), registeredAt: try may14("10:30"), now: try may14(now))
        #expect(next == (try Fixtures.at(expected)))
    }
}
