import Executor
import Foundation
import Logging
import NightshiftTesting
import Scheduler
import Store
import Synchronization
import Testing
import Workflow

/// The wall clock jumping under a running scheduler (an NTP step, a suspended VM): back an hour, then forward a day.
/// No schedule tick runs twice, and the missed day's ticks are handled as `catchup` says: the latest one, or every one.
@Suite struct ClockJumpTests {
    static func hourly(catchup: Bool) -> DAG {
        DAG("clock_jump_\(catchup)", schedule: .cron("0 * * * *"), catchup: catchup) {
            TaskDefinition("noop") { _ in }
        }
    }

    @Test(arguments: [false, true])
    func noTickTwiceAndMissedTicksAsCatchupSays(_ catchup: Bool) async throws {
        try await withTestStore(.walFile) { store, home in
            let dag = Self.hourly(catchup: catchup)
            let bag = try DAGBag([dag])
            let t0 = try #require(ISO8601DateFormatter().date(from: "2026-05-14T10:30:00Z"))
            let clock = Mutex<Date>(t0)
            var configuration = SchedulerConfiguration()
            configuration.pollInterval = .milliseconds(10)
            configuration.now = { clock.withLock { $0 } }
            let scheduler = SchedulerService(
                bag: bag, store: store, executor: InlineExecutor(bag: bag, store: store, home: home.home), home: home.home,
                configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let running = Task { try await scheduler.run() }
            defer { running.cancel() }

            func scheduledRuns() async throws -> [DAGRunRecord] {
                try await store.runs(dagID: dag.id, limit: 1000).filter { $0.runType == .scheduled }
            }
            func settle() async throws { try await Task.sleep(for: .milliseconds(300)) }  // ~30 passes at the new time

            try await settle()
            #expect(try await scheduledRuns().isEmpty, "nothing is due before the first tick after registration")
            // The waits are for passes of an in-process scheduler that shares two cores with the rest of the suite's
            // processes (a fresh CI run once starved it past 20 s); what is checked is which runs appear, not how fast.
            clock.withLock { $0 = t0.addingTimeInterval(30 * 60 + 5) }  // 11:00:05
            #expect(try await eventually(timeout: .seconds(90)) { try await scheduledRuns().count == 1 })

            clock.withLock { $0 = t0.addingTimeInterval(-30 * 60 + 5) }  // back an hour: 10:00:05
            try await settle()
            #expect(try await scheduledRuns().count == 1, "the clock going back creates nothing")
            clock.withLock { $0 = t0.addingTimeInterval(30 * 60 + 5) }  // and returning to 11:00:05
            try await settle()
            #expect(try await scheduledRuns().count == 1, "the 11:00 tick is not run a second time")

            clock.withLock { $0 = t0.addingTimeInterval(24 * 3600 + 30 * 60 + 5) }  // forward a day: next day 11:00:05
            let expected = catchup ? 1 + 24 : 2
            #expect(try await eventually(timeout: .seconds(90)) { try await scheduledRuns().count == expected }, "catchup \(catchup)")
            try await settle()
            let runs = try await scheduledRuns()
            #expect(runs.count == expected)
            #expect(Set(runs.map(\.logicalDate)).count == runs.count, "one run per tick")
            running.cancel()
        }
    }
}
