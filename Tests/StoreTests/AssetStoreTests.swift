import Foundation
import GRDB
import NightshiftTesting
import Testing
import Workflow

@testable import Store

/// Asset events and the runs they cause, in the store: recorded by a successful try of a task with outlets (in the
/// try's own transaction), consumed once per DAG however many schedulers look.
@Suite("Asset events in the store")
struct AssetStoreTests {
    typealias F = Fixtures

    static let producer = DAG("producer") { TaskDefinition.shell("publish", "true", outlets: ["data.csv", "data.meta"]) }
    static let consumer = DAG("consumer", schedule: .assets(["data.csv"])) { TaskDefinition.shell("read", "true") }
    static let both = DAG("both", schedule: .assets(["data.csv", "data.meta"])) { TaskDefinition.shell("read", "true") }

    /// Runs `publish` of a new producer run to success (after `say`, what the try told about its events).
    private func publish(_ store: StateStore, run: String, say: [String: String] = [:], at seconds: Double) async throws {
        try await store.seedRun(Self.producer, runID: run, logicalDate: F.at(seconds), now: F.at(seconds))
        let attempt = try await store.startRunningTry(run, "publish", now: F.at(seconds))
        for (asset, json) in say {
            try await store.pushXCom(dagID: "producer", runID: run, taskID: "publish", key: AssetEvent.xcomKey(asset, tryNumber: 1), json: json, now: F.at(seconds))
        }
        let applied = try await store.finishTry(
            runID: run, taskID: "publish", tryNumber: attempt.tryNumber, observed: .success, exitStatus: 0, outlets: ["data.csv", "data.meta"],
            now: F.at(seconds)
        ) { _, _ in .markSuccess }
        #expect(applied?.1 == .markSuccess)
    }

    @Test func aSuccessRecordsOneEventPerOutletWithItsExtraUnlessTheTrySkippedIt() async throws {
        let store = try StateStore()
        try await publish(
            store, run: "p1", say: ["data.csv": #"{"extra": {"rows": 3}}"#, "data.meta": #"{"skip": "unchanged"}"#], at: 1)
        let csv = try await store.assetEvents(of: "data.csv")
        #expect(csv.count == 1)
        #expect(csv.first?.extra == .object(["rows": .number(3)]))
        #expect(csv.first?.runID == "p1" && csv.first?.taskID == "publish" && csv.first?.tryNumber == 1)
        #expect(try await store.assetEvents(of: "data.meta").isEmpty, "the try said data.meta did not change")
        // A failed try records none.
        try await store.seedRun(Self.producer, runID: "p2", logicalDate: F.at(2), now: F.at(2))
        let attempt = try await store.startRunningTry("p2", "publish", now: F.at(2))
        try await store.finishTry(
            runID: "p2", taskID: "publish", tryNumber: attempt.tryNumber, observed: .failed(exitStatus: 1, error: "x"), exitStatus: 1,
            outlets: ["data.csv"], now: F.at(2)
        ) { _, _ in .markFailed }
        #expect(try await store.assetEvents(of: "data.csv").count == 1)
    }

    @Test func twoSchedulersSeeingOneEventCreateOneRun() async throws {
        try await withTemporaryHome("assets") { home in
            let first = try home.home.openStore()
            let second = try StateStore(path: home.home.databasePath)
            try await first.register(try DAGBag([Self.producer, Self.consumer]), now: F.t0)
            try await publish(first, run: "p1", at: 10)
            let made = try await withThrowingTaskGroup(of: [DAGRunRecord].self) { group in
                for (index, store) in [first, second, first, second].enumerated() {
                    group.addTask { try await store.createAssetRuns(of: [Self.consumer], now: F.at(20 + Double(index) * 0.001)) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(made.count == 1, "one run for one event, whichever pass saw it first")
            let run = try #require(made.first)
            #expect(run.runType == .assetTriggered && run.dagID == "consumer")
            #expect(try await first.assetEvents(causing: run.runID).map(\.runID) == ["p1"])
            #expect(try await second.createAssetRuns(of: [Self.consumer], now: F.at(30)).isEmpty, "nothing new: nothing to run")
            #expect(try await second.mayHaveAssetRuns(for: [Self.consumer]) == false, "an idle pass need not take the write lock")
            #expect(try await second.mayHaveAssetRuns(for: [Self.both]) == true, "`both` has no cursor yet")
            // Two new events before the next look: one run for the batch.
            try await publish(first, run: "p2", at: 40)
            try await publish(second, run: "p3", at: 41)
            #expect(try await first.mayHaveAssetRuns(for: [Self.consumer]) == true)
            let batch = try await second.createAssetRuns(of: [Self.consumer], now: F.at(50))
            #expect(batch.count == 1)
            #expect(try await first.assetEvents(causing: batch[0].runID).map(\.runID) == ["p2", "p3"])
            #expect(batch[0].intervalStart == F.at(40) && batch[0].intervalEnd == F.at(50))
        }
    }

    @Test func aDAGOnTwoAssetsRunsOnceBothHaveNewEvents() async throws {
        let store = try StateStore()
        try await store.register(try DAGBag([Self.producer, Self.both]), now: F.t0)
        try await publish(store, run: "p1", say: ["data.meta": #"{"skip": "unchanged"}"#], at: 1)
        #expect(try await store.createAssetRuns(of: [Self.both], now: F.at(2)).isEmpty, "data.meta has no event yet")
        try await publish(store, run: "p2", say: ["data.csv": #"{"skip": "unchanged"}"#], at: 3)
        let runs = try await store.createAssetRuns(of: [Self.both], now: F.at(4))
        #expect(runs.count == 1)
        #expect(try await store.assetEvents(causing: runs[0].runID).map(\.asset) == ["data.csv", "data.meta"])
    }

    @Test func eventsFromBeforeTheDAGWasRegisteredAndPausedDAGsDoNotRun() async throws {
        let store = try StateStore()
        try await store.register(try DAGBag([Self.producer]), now: F.t0)
        try await publish(store, run: "p1", at: 1)
        try await store.register(try DAGBag([Self.producer, Self.consumer]), now: F.at(5))
        #expect(try await store.createAssetRuns(of: [Self.consumer], now: F.at(6)).isEmpty, "p1's event came before the consumer existed")
        try await store.setPaused("consumer", true, structure: DAGStructure(Self.consumer), actor: "test", now: F.at(7))
        try await publish(store, run: "p2", at: 8)
        #expect(try await store.createAssetRuns(of: [Self.consumer], now: F.at(9)).isEmpty, "paused")
        try await store.setPaused("consumer", false, structure: DAGStructure(Self.consumer), actor: "test", now: F.at(10))
        let runs = try await store.createAssetRuns(of: [Self.consumer], now: F.at(11))
        #expect(try await store.assetEvents(causing: runs.first?.runID ?? "").map(\.runID) == ["p2"], "the events a pause held back")
    }
}
