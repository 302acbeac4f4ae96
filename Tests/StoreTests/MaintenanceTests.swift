import Foundation
import GRDB
import NightshiftTesting
import Store
import Testing
import Workflow

@Suite("Store maintenance: retention, backup, check")
struct MaintenanceTests {
    static let day: TimeInterval = 86_400

    /// Four runs of the two-task DAG, each with a try, XCom, a metric, an attachment and files in logs/ and scratch/:
    /// `old` finished at t0, `recent` 40 days later, `archived` at t0 but named by an archive batch, `running` queued at
    /// t0 and still going. Plus an event at t0 and one 40 days later.
    static func seed(_ store: StateStore, home: NightshiftHome) async throws {
        let t0 = Fixtures.t0
        for (runID, finished) in [("old", t0), ("recent", t0.addingTimeInterval(40 * day)), ("archived", t0), ("running", nil as Date?)] {
            try await store.seedRun(runID: runID, now: t0)
            _ = try await store.startRunningTry(runID, "extract")
            try await store.pushXCom(dagID: "two_tasks", runID: runID, taskID: "extract", key: "rows", json: "3", now: t0)
            try await store.recordMetric(TaskMetricRecord(
                dagID: "two_tasks", runID: runID, taskID: "extract", tryNumber: 1, name: "loss", step: 0, value: 1, recordedAt: t0.timeIntervalSince1970))
            try await store.addAttachment(AttachmentRecord(
                dagID: "two_tasks", runID: runID, taskID: "extract", tryNumber: 1, name: "sheet", path: "/tmp/x.png", mediaType: "image/png",
                createdAt: t0))
            for area in ["logs", "scratch"] {
                let directory = home.root.appendingPathComponent("\(area)/two_tasks/\(runID)/extract")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(repeating: 65, count: 100).write(to: directory.appendingPathComponent("try-1.log"))
            }
            if let finished {
                try await store.writer.write { db in
                    try db.execute(sql: "UPDATE dag_runs SET state = 'success', start_date = ?, end_date = ? WHERE run_id = ?",
                                   arguments: [finished.timeIntervalSince1970 - 10, finished.timeIntervalSince1970, runID])
                }
            }
        }
        try await store.publishBatch(
            ArchiveBatchRecord(batch: "b1", dagID: "two_tasks", runID: "archived", snapshotID: "s", modelVersions: [:], entries: 0, createdAt: t0),
            entries: [], moveIntoPlace: {})
        _ = try await store.recordEvent(kind: "pause", actor: "tests", detail: "", at: t0)
        _ = try await store.recordEvent(kind: "unpause", actor: "tests", detail: "", at: t0.addingTimeInterval(40 * day))
    }

    static func counts(_ store: StateStore, run: String) async throws -> [Int] {
        try await store.writer.read { db in
            try ["dag_runs", "task_tries", "xcom", "task_metrics", "task_attachments"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0) WHERE run_id = ?", arguments: [run]) ?? 0
            } + [Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_instances WHERE run_id = ?", arguments: [run]) ?? 0]
        }
    }

    @Test("clean removes a finished run past the retention with all its rows and files; a dry run counts the same and removes nothing",
          arguments: StoreKind.allCases)
    func cleanRemovesExpiredRuns(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, temporary in
            let home = temporary.home
            try await Self.seed(store, home: home)
            let cutoff = Fixtures.t0.addingTimeInterval(30 * Self.day)
            let now = Fixtures.t0.addingTimeInterval(60 * Self.day)

            let oldEvents = try await store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE at < ?", arguments: [cutoff.timeIntervalSince1970]) ?? 0
            }
            #expect(oldEvents >= 1)
            let preview = try await store.clean(home: home, olderThan: cutoff, dryRun: true, actor: "tests", now: now)
            #expect(try await Self.counts(store, run: "old") == [1, 1, 1, 1, 1, 3])
            #expect(FileManager.default.fileExists(atPath: home.root.appendingPathComponent("logs/two_tasks/old").path))

            let report = try await store.clean(home: home, olderThan: cutoff, dryRun: false, actor: "tests", now: now, batchSize: 1)
            var expected = CleanReport(cutoff: cutoff, dryRun: false)
            (expected.runs, expected.taskInstances, expected.tries, expected.xcom, expected.metrics, expected.attachments) = (1, 3, 1, 1, 1, 1)
            (expected.events, expected.files, expected.fileBytes, expected.keptForArchive) = (oldEvents, 2, 200, 1)
            #expect(report == expected)
            var previewed = preview
            previewed.dryRun = false
            #expect(previewed == expected, "the dry run counts what the clean removes")

            #expect(try await Self.counts(store, run: "old") == [0, 0, 0, 0, 0, 0])
            for kept in ["recent", "archived", "running"] {
                #expect(try await Self.counts(store, run: kept) == [1, 1, 1, 1, 1, 3], "run \(kept) must stay")
                #expect(FileManager.default.fileExists(atPath: home.root.appendingPathComponent("logs/two_tasks/\(kept)/extract/try-1.log").path))
            }
            for area in ["logs", "scratch"] {
                #expect(!FileManager.default.fileExists(atPath: home.root.appendingPathComponent("\(area)/two_tasks/old").path))
            }
            let events = try await store.events(limit: 100)
            #expect(!events.contains { $0.at < cutoff }, "events before the cutoff are removed")
            #expect(events.contains { $0.kind == "unpause" }, "a later event stays")
            let clean = try #require(events.first { $0.kind == "db_clean" })
            #expect(clean.actor == "tests" && clean.detail.contains("1 runs"), "\(clean.detail)")

            let again = try await store.clean(home: home, olderThan: cutoff, dryRun: false, actor: "tests", now: now)
            #expect(again.runs == 0 && again.tries == 0 && again.files == 0, "a second clean finds nothing")
        }
    }

    @Test("A queued or running run is never removed, however old", arguments: StoreKind.allCases)
    func cleanKeepsUnfinishedRuns(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, temporary in
            try await store.seedRun(runID: "queued-old")
            try await store.seedRun(runID: "running-old", logicalDate: Fixtures.at(60))
            _ = try await store.startRunningTry("running-old", "extract")
            let report = try await store.clean(
                home: temporary.home, olderThan: Fixtures.t0.addingTimeInterval(365 * Self.day), dryRun: false, actor: "tests")
            #expect(report.runs == 0)
            #expect(try await store.run("queued-old") != nil)
            #expect(try await store.run("running-old") != nil)
        }
    }

    @Test("backup writes a copy that opens, passes integrity_check and holds the runs")
    func backupCopies() async throws {
        try await withTemporaryHome("backup") { temporary in
            let store = try temporary.home.openStore()
            try await Self.seed(store, home: temporary.home)
            let path = temporary.home.root.appendingPathComponent("copy.db").path
            let report = try store.backup(to: path)
            #expect(report.pages > 0 && report.bytes > 0)
            let check = try StateStore.check(path: path)
            #expect(check.problems.isEmpty, "\(check.problems)")
            let copy = try StateStore(path: path)
            #expect(try await copy.runs(limit: 10).map(\.runID).sorted() == ["archived", "old", "recent", "running"])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.contains("partial") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test("backup never overwrites: an existing file or a missing directory is an error naming the path")
    func backupRefusesExistingFile() async throws {
        try await withTemporaryHome("backup") { temporary in
            let store = try temporary.home.openStore()
            let existing = temporary.home.root.appendingPathComponent("mine.txt")
            try Data("keep me".utf8).write(to: existing)
            #expect {
                try store.backup(to: existing.path)
            } throws: { error in
                "\(error)".contains(existing.path) && "\(error)".contains("exists")
            }
            #expect(try String(contentsOf: existing, encoding: .utf8) == "keep me")
            let missing = temporary.home.root.appendingPathComponent("no/such/dir/copy.db").path
            #expect {
                try store.backup(to: missing)
            } throws: { error in
                "\(error)".contains(missing) && "\(error)".contains("does not exist")
            }
        }
    }

    @Test("check reports a sound database, a corrupt file and a missing one, without changing the file")
    func checkFindsCorruption() async throws {
        try await withTemporaryHome("check") { temporary in
            let store = try temporary.home.openStore()
            try await Self.seed(store, home: temporary.home)
            let sound = try StateStore.check(path: temporary.home.databasePath)
            #expect(sound.problems.isEmpty && sound.migrations.count >= 4, "\(sound)")

            // A database whose pages were overwritten in the middle: SQLite opens it, integrity_check finds the damage.
            let damaged = temporary.home.root.appendingPathComponent("damaged.db").path
            _ = try store.backup(to: damaged)
            let handle = try #require(FileHandle(forUpdatingAtPath: damaged))
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: 4096 * 2)
            try handle.write(contentsOf: Data(repeating: 0x5A, count: Int(min(4096 * 3, size - 4096 * 2))))
            try handle.close()
            let before = try Data(contentsOf: URL(fileURLWithPath: damaged))
            let result = Result { try StateStore.check(path: damaged) }
            switch result {
            case .success(let report): #expect(!report.problems.isEmpty, "damage not found: \(report)")
            case .failure(let error): #expect("\(error)".contains(damaged), "\(error)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: damaged)) == before, "check must not change the file")

            // Not a database at all.
            let garbage = temporary.home.root.appendingPathComponent("garbage.db").path
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
            #expect {
                try StateStore.check(path: garbage)
            } throws: { error in
                "\(error)".contains(garbage) && "\(error)".contains("not a database")
            }
            let missing = temporary.home.root.appendingPathComponent("none.db").path
            #expect {
                try StateStore.check(path: missing)
            } throws: { error in
                "\(error)".contains(missing) && "\(error)".contains("no such file")
            }
            #expect(!FileManager.default.fileExists(atPath: missing), "check must not create a database")
        }
    }
}
