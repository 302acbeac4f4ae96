import Foundation
import GRDB
import NightshiftTesting
import Testing
import Workflow

@testable import Store

/// Several stores over one WAL file, as the scheduler, the dashboard and the CLI open it from separate processes.
@Suite("StateStore over one WAL file")
struct ConcurrencyTests {
    typealias F = Fixtures

    static let storeCount = 4
    static let runsPerStore = 25

    @Test("Four stores on one file create 100 runs and 100 XComs at once without a lock error")
    func concurrentWriters() async throws {
        try await withTemporaryHome("concurrency") { home in
            let path = home.home.databasePath
            let first = try home.home.openStore()
            var stores = [first]
            for _ in 1..<Self.storeCount { stores.append(try StateStore(path: path)) }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for (s, store) in stores.enumerated() {
                    for i in 0..<Self.runsPerStore {
                        group.addTask {
                            // Every run is manual and at the same logical date: only the run ids tell them apart.
                            try await store.seedRun(runID: "s\(s)-r\(i)", logicalDate: F.t0, now: F.at(Double(i)))
                        }
                        group.addTask {
                            try await store.pushXCom(
                                dagID: "two_tasks", runID: "shared", taskID: "s\(s)", key: "k\(i)", json: "\(i)", now: F.at(Double(i)))
                        }
                    }
                }
                try await group.waitForAll()
            }

            let expected = Set((0..<Self.storeCount).flatMap { s in (0..<Self.runsPerStore).map { "s\(s)-r\($0)" } })
            // Read back through a store that did not write most of them.
            let runs = try await stores[Self.storeCount - 1].runs(limit: 1000)
            #expect(runs.count == 100)
            #expect(Set(runs.map(\.runID)) == expected)
            let instanceCount = try await first.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM task_instances") }
            #expect(instanceCount == 300)
            let xcoms = try await first.xcoms(runID: "shared")
            #expect(xcoms.count == 100)
            #expect(Set(xcoms.map { "\($0.taskID)/\($0.key)" }).count == 100)
            #expect(try await first.events(limit: 1000).filter { $0.kind == "run_created" }.count == 100)
        }
    }

    @Test("Concurrent scheduling passes and starts from four stores claim each instance exactly once")
    func concurrentClaims() async throws {
        try await withTemporaryHome("claims") { home in
            let path = home.home.databasePath
            var stores = [try home.home.openStore()]
            for _ in 1..<Self.storeCount { stores.append(try StateStore(path: path)) }
            for i in 0..<10 { try await stores[0].seedRun(runID: "run-\(i)") }

            // Every store queues every scheduled instance it sees; the store hands each one to exactly one of them.
            let queued = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for store in stores {
                    group.addTask {
                        try await store.schedule(now: F.t0) { snapshot in
                            PassPlan(
                                instanceChanges: snapshot.instances.filter { $0.state == .scheduled }.map {
                                    .init(instanceID: $0.id!, state: .queued)
                                })
                        }.map { $0.id! }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(queued.count == 30)
            #expect(Set(queued).count == 30)

            // Every store then tries to start every instance: one try each, never two.
            let started = try await withThrowingTaskGroup(of: TaskTryRecord?.self) { group in
                for (s, store) in stores.enumerated() {
                    for id in queued {
                        group.addTask {
                            try await store.startTry(instanceID: id, host: "store-\(s)", logPath: F.logPath, now: F.at(1))
                        }
                    }
                }
                return try await group.reduce(into: [TaskTryRecord]()) { if let attempt = $1 { $0.append(attempt) } }
            }
            #expect(started.count == 30)
            #expect(started.allSatisfy { $0.tryNumber == 1 })
            #expect(Set(started.map { "\($0.runID)/\($0.taskID)" }).count == 30)
            #expect(try await stores[1].runningInstances().count == 30)
        }
    }

    @Test("Opening a path under a regular file throws cannotOpen naming the path")
    func cannotOpen() async throws {
        try await withTemporaryHome("cannot-open") { home in
            let file = home.home.root.appendingPathComponent("not-a-directory")
            try Data("x".utf8).write(to: file)
            let path = file.appendingPathComponent("nightshift.db").path

            let error = try #require(throws: StoreError.self) { try StateStore(path: path) }
            guard case .cannotOpen(let named, let reason) = error.kind else {
                Issue.record("expected cannotOpen, got \(error.kind)")
                return
            }
            #expect(named == path)
            #expect(!reason.isEmpty)
            #expect(error.description.hasPrefix("cannot open the store at \(path): "))
        }
    }

    @Test("Opening the same file twice migrates once and keeps the data")
    func reopenMigratesOnce() async throws {
        try await withTemporaryHome("reopen") { home in
            let first = try home.home.openStore()
            try await first.seedRun()
            let second = try StateStore(path: home.home.databasePath)

            let applied = try await second.writer.read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
            #expect(applied == ["v1_initial", "v2_archive", "v3_dashboard", "v4_run_definitions", "v5_dashboard_users", "v6_run_note", "v7_notifications", "v8_assets"])
            #expect(try await second.run("run-1")?.runID == "run-1")
            #expect(try await second.taskInstances(runID: "run-1").count == 3)

            let tables = try await second.writer.read { db in
                try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            #expect(tables.isSuperset(of: ["dags", "dag_runs", "task_instances", "task_tries", "xcom", "task_metrics", "events"]))
        }
    }

    @Test("The file store is a WAL pool with a busy timeout")
    func walModeAndBusyTimeout() async throws {
        try await withTemporaryHome("wal") { home in
            let store = try home.home.openStore()
            #expect(store.writer is DatabasePool)
            let journal = try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(journal == "wal")
            let timeout = try await store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") }
            #expect(timeout == 60_000)
            #expect(FileManager.default.fileExists(atPath: home.home.databasePath + "-wal"))
        }
    }

    /// DatabaseMigrator reads `grdb_migrations` outside its IMMEDIATE transaction: a store that read "nothing applied"
    /// while another was migrating then runs `CREATE TABLE dags` after the winner committed and fails with "table dags
    /// already exists"; a single-connection store (CLI, task tries) may read the file before the migration table exists.
    /// The race is timing dependent, so the test opens 50 fresh files, half the stores with a single connection.
    @Test(
        "Stores opening a fresh file at once all succeed (scheduler and dashboard starting together)")
    func concurrentFirstOpen() async throws {
        for round in 0..<50 {
            try await withTemporaryHome("first-open-\(round)") { home in
                let path = home.home.databasePath
                let stores = try await withThrowingTaskGroup(of: StateStore.self) { group in
                    for index in 0..<Self.storeCount {
                        group.addTask { try StateStore(path: path, singleConnection: index % 2 == 1) }
                    }
                    return try await group.reduce(into: [StateStore]()) { $0.append($1) }
                }
                #expect(stores.count == Self.storeCount)
                for (i, store) in stores.enumerated() { try await store.seedRun(runID: "run-\(i)") }
                #expect(try await stores[0].runs().count == Self.storeCount)
            }
        }
    }
}
