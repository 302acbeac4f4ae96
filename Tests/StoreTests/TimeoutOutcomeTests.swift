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
