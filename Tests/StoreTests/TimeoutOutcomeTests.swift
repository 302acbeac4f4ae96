import Foundation
import NightshiftTesting
import Store
import Testing
import Workflow

/// A try killed at its timeout: the child may record the death of its command first, but the cause kept is the timeout.
@Suite struct TimeoutOutcomeTests {
    @Test(arguments: StoreKind.allCases)
    func timeoutWinsOverTheChildsRecordedFailure(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: Fixtures.at(20))
            try await store.recordOutcome(
                runID: "run-1", taskID: "extract", tryNumber: 1, outcome: .failed(exitStatus: 143, error: "command killed by SIGTERM"),
                exitStatus: 1, now: Fixtures.at(26))
            let applied = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .timedOut(after: 5), exitStatus: 1, now: Fixtures.at(27)
            ) { _, _ in .markFailed }
            #expect(applied?.0 == .timedOut(after: 5))
            #expect(try await store.tries(runID: "run-1", taskID: "extract").first?.error == "timed out after 5 s")
            #expect(try await store.taskInstances(runID: "run-1").first { $0.taskID == "extract" }?.note == "timed out after 5 s")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSuccessRecordedBeforeTheTimeoutStands(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: Fixtures.at(20))
            try await store.recordOutcome(runID: "run-1", taskID: "extract", tryNumber: 1, outcome: .success, exitStatus: 0, now: Fixtures.at(24))
            let applied = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .timedOut(after: 5), exitStatus: nil, now: Fixtures.at(25)
            ) { outcome, _ in outcome == .success ? .markSuccess : .markFailed }
            #expect(applied?.0 == .success)
            #expect(applied?.1 == .markSuccess)
        }
    }
}

/// A run past its `runTimeout`: one transaction fails it, its running try and skips the rest; late ends change nothing.
@Suite struct RunTimeoutStoreTests {
    @Test(arguments: StoreKind.allCases)
    func timingOutARunFailsItsRunningTryAndSkipsTheRest(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: Fixtures.at(20))
            try await store.recordProcess(runID: "run-1", taskID: "extract", tryNumber: 1, pid: 4242, pgid: 4242, procStart: nil)
            let ended = try await store.timeOutRun(runID: "run-1", note: "timed out after 10 s", now: Fixtures.at(30))
            #expect(ended == [StateStore.TimedOutTry(taskID: "extract", tryNumber: 1, processGroup: 4242)])
            let run = try #require(try await store.run("run-1"))
            #expect(run.state == .failed)
            #expect(run.note == "timed out after 10 s")
            #expect(run.endDate == Fixtures.at(30))
            let states = Dictionary(uniqueKeysWithValues: try await store.taskInstances(runID: "run-1").map { ($0.taskID, $0.state) })
            #expect(states == ["extract": .failed, "load": .skipped, "report": .skipped])
            let attempt = try #require(try await store.tries(runID: "run-1", taskID: "extract").first)
            #expect(attempt.state == .failed && attempt.error == "timed out after 10 s" && attempt.durationSeconds == 10)

            // The killed try's own end, and the scheduler's, come too late to change anything.
            try await store.recordOutcome(
                runID: "run-1", taskID: "extract", tryNumber: 1, outcome: .failed(exitStatus: 143, error: "killed"), exitStatus: 143,
                now: Fixtures.at(31))
            let applied = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .failed(exitStatus: 143, error: "killed"), exitStatus: 143,
                now: Fixtures.at(31)) { _, _ in .markFailed }
            #expect(applied == nil)
            #expect(try await store.tries(runID: "run-1", taskID: "extract").first?.error == "timed out after 10 s")
            #expect(try await store.timeOutRun(runID: "run-1", note: "again", now: Fixtures.at(40)) == nil, "a finished run is left alone")
            #expect(try await store.events(limit: 5).contains { $0.kind == "run_timed_out" && $0.detail == "timed out after 10 s" })

            // Clearing it starts it again, clock and all.
            _ = try await store.clear(runID: "run-1", taskIDs: nil, maxTries: [:], actor: "test", now: Fixtures.at(50))
            let cleared = try #require(try await store.run("run-1"))
            #expect(cleared.note == nil && cleared.state == .running && cleared.startDate == Fixtures.at(50))
        }
    }
}
