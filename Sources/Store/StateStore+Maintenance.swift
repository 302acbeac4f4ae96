public import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What ``StateStore/clean(home:olderThan:dryRun:actor:now:batchSize:)`` removed (or, in a dry run, would remove).
public struct CleanReport: Sendable, Equatable {
    /// Runs that finished before this instant (and everything of theirs) are removed; so are events before it.
    public var cutoff: Date
    public var dryRun: Bool
    public var runs = 0
    public var taskInstances = 0
    public var tries = 0
    public var xcom = 0
    public var metrics = 0
    public var attachments = 0
    public var events = 0
    /// Files under the removed runs' `logs/DAG/RUN` and `scratch/DAG/RUN` directories, and their bytes.
    public var files = 0
    public var fileBytes: Int64 = 0
    /// Finished runs past the retention kept because an archive batch names them (a fake anime's lineage stays).
    public var keptForArchive = 0

    public init(cutoff: Date, dryRun: Bool) {
        self.cutoff = cutoff
        self.dryRun = dryRun
    }

    /// The counts by name, in a fixed order, for tables and JSON.
    public var counts: [(name: String, count: Int64)] {
        [
            ("runs", Int64(runs)), ("task_instances", Int64(taskInstances)), ("tries", Int64(tries)), ("xcom", Int64(xcom)),
            ("metrics", Int64(metrics)), ("attachments", Int64(attachments)), ("events", Int64(events)), ("files", Int64(files)),
            ("file_bytes", fileBytes), ("kept_for_archive", Int64(keptForArchive)),
        ]
    }

    /// Adds counts of task instances, then ``StateStore``'s run tables (tries, XCom, metrics, attachments), then events.
    mutating func add(rows counts: [Int]) {
        guard !counts.isEmpty else { return }
        taskInstances += counts[0]
        tries += counts[1]
        xcom += counts[2]
        metrics += counts[3]
        attachments += counts[4]
        if counts.count > 5 { events += counts[5] }
    }

    public static func == (a: CleanReport, b: CleanReport) -> Bool {
        a.cutoff == b.cutoff && a.dryRun == b.dryRun && a.counts.elementsEqual(b.counts) { $0 == $1 }
    }
}

/// What ``StateStore/backup(to:)`` wrote.
public struct BackupReport: Sendable, Equatable {
    public var path: String
    public var pages: Int
    public var bytes: Int64
}

/// What ``StateStore/check(path:)`` found: `problems` is empty for a sound database.
public struct CheckReport: Sendable, Equatable {
    public var path: String
    public var pages: Int
    public var bytes: Int64
    /// The schema migrations applied, oldest first.
    public var migrations: [String]
    /// Lines of `integrity_check` and `foreign_key_check` other than "ok", and a schema that lacks migrations.
    public var problems: [String]
}

// MARK: - Retention

extension StateStore {
    /// Runs that finished (success or failed) before `cutoff`, except those an archive batch names. Never a queued or
    /// running run, whatever its age.
    private static let expiredRuns = """
        SELECT id, dag_id, run_id FROM dag_runs
        WHERE state IN ('success', 'failed') AND COALESCE(end_date, queued_at) < :cutoff
          AND run_id NOT IN (SELECT run_id FROM archive_batches)
        """

    /// The tables whose rows belong to a run by its `run_id`, in the order ``CleanReport/add(rows:)`` reads counts.
    private static let runTables = ["task_tries", "xcom", "task_metrics", "task_attachments"]

    /// Removes what is past the retention: every finished run that ended before `cutoff` with its task instances,
    /// tries, XCom, metrics and attachment rows, its `logs/DAG/RUN` and `scratch/DAG/RUN` directories, and the audit
    /// events recorded before `cutoff`. Runs are removed `batchSize` at a time, each batch one short transaction, so a
    /// scheduler writing meanwhile waits milliseconds, not for the whole clean. A dry run counts the same and removes
    /// nothing. The clean itself is recorded as a `db_clean` event.
    public func clean(
        home: NightshiftHome, olderThan cutoff: Date, dryRun: Bool, actor: String, now: Date = Date(), batchSize: Int = 200
    ) async throws -> CleanReport {
        precondition(batchSize > 0)
        var report = CleanReport(cutoff: cutoff, dryRun: dryRun)
        let limit = cutoff.timeIntervalSince1970
        report.keptForArchive = try await writer.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM dag_runs WHERE state IN ('success', 'failed') AND COALESCE(end_date, queued_at) < ?
                  AND run_id IN (SELECT run_id FROM archive_batches)
                """, arguments: [limit]) ?? 0
        }
        let arguments: StatementArguments = ["cutoff": limit]
        if dryRun {
            let (counts, runs) = try await writer.read { db -> ([Int], [(String, String)]) in
                let expired = "(\(Self.expiredRuns))"
                func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
                let counts = try [count("SELECT COUNT(*) FROM task_instances WHERE run_pk IN (SELECT id FROM \(expired))")]
                    + Self.runTables.map { try count("SELECT COUNT(*) FROM \($0) WHERE run_id IN (SELECT run_id FROM \(expired))") }
                    + [count("SELECT COUNT(*) FROM events WHERE at < :cutoff")]
                return (counts, try Row.fetchAll(db, sql: Self.expiredRuns, arguments: arguments).map { ($0["dag_id"], $0["run_id"]) })
            }
            report.runs = runs.count
            report.add(rows: counts)
            for (dagID, runID) in runs { Self.removeRunFiles(home: home, dagID: dagID, runID: runID, dryRun: true, into: &report) }
            return report
        }
        while true {
            let (counts, batch) = try await writer.write { db -> ([Int], [(String, String)]) in
                let rows = try Row.fetchAll(db, sql: Self.expiredRuns + " ORDER BY id LIMIT \(batchSize)", arguments: arguments)
                guard !rows.isEmpty else { return ([], []) }
                let keys = StatementArguments(rows.map { $0["id"] as Int64 })
                let runIDs = StatementArguments(rows.map { $0["run_id"] as String })
                let marks = databaseQuestionMarks(count: rows.count)
                var counts: [Int] = []
                try db.execute(sql: "DELETE FROM task_instances WHERE run_pk IN (\(marks))", arguments: keys)
                counts.append(db.changesCount)
                for table in Self.runTables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE run_id IN (\(marks))", arguments: runIDs)
                    counts.append(db.changesCount)
                }
                try db.execute(sql: "DELETE FROM dag_runs WHERE id IN (\(marks))", arguments: keys)
                return (counts, rows.map { ($0["dag_id"], $0["run_id"]) })
            }
            report.runs += batch.count
            report.add(rows: counts)
            // The rows are gone first: a crash between leaves files without rows (harmless), never rows without logs.
            for (dagID, runID) in batch { Self.removeRunFiles(home: home, dagID: dagID, runID: runID, dryRun: false, into: &report) }
            if batch.count < batchSize { break }
        }
        let summary = report
        report.events = try await writer.write { db in
            try db.execute(sql: "DELETE FROM events WHERE at < :cutoff", arguments: arguments)
            let removed = db.changesCount
            var event = EventRecord(
                at: now, dagID: nil, runID: nil, taskID: nil, kind: "db_clean", actor: actor,
                detail: "finished before \(ISO8601DateFormatter().string(from: cutoff)): \(summary.runs) runs, \(summary.tries) tries, \(removed) events, "
                    + "\(summary.files) files (\(summary.fileBytes) bytes) removed")
            try event.insert(db)
            return removed
        }
        return report
    }

    /// Counts (and unless `dryRun`, removes) a run's log and scratch directories.
    private static func removeRunFiles(home: NightshiftHome, dagID: String, runID: String, dryRun: Bool, into report: inout CleanReport) {
        let manager = FileManager.default
        for area in ["logs", "scratch"] {
            let directory = home.root.appendingPathComponent(area).appendingPathComponent(dagID).appendingPathComponent(runID)
            guard manager.fileExists(atPath: directory.path) else { continue }
            if let walker = manager.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) {
                for case let file as URL in walker {
                    guard let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
                    report.files += 1
                    report.fileBytes += Int64(values.fileSize ?? 0)
                }
            }
            if !dryRun { try? manager.removeItem(at: directory) }
        }
    }
}

// MARK: - Backup and check

extension StateStore {
    /// Copies the database to `path` with SQLite's online backup, from one read transaction: a consistent copy while a
    /// scheduler keeps writing. The copy is written beside `path` under a temporary name, passes `integrity_check`,
    /// and only then takes the name, which must not exist (nothing is overwritten).
    /// - Throws: ``StoreError`` naming the path: it exists, its directory does not, or SQLite failed.
    public func backup(to path: String) throws -> BackupReport {
        let manager = FileManager.default
        let destination = URL(fileURLWithPath: path).standardizedFileURL
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError(.backupFailed(path: destination.path, reason: "directory \(directory.path) does not exist"))
        }
        guard !manager.fileExists(atPath: destination.path) else {
            throw StoreError(.backupFailed(path: destination.path, reason: "the file exists; choose a new name (nothing is overwritten)"))
        }
        let partial = directory.appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? manager.removeItem(atPath: partial + suffix) } }
        let pages: Int
        do {
            let copy = try DatabaseQueue(path: partial)
            try writer.backup(to: copy)
            pages = try copy.read { db in
                let result = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard result == ["ok"] else {
                    throw StoreError(.backupFailed(path: destination.path, reason: "the copy fails integrity_check: \(result.prefix(5).joined(separator: "; "))"))
                }
                return try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            }
            // Back to a single file: the copy carries the source's WAL mode, which needs no -wal file once closed.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try copy.close()
        } catch let error as DatabaseError {
            throw StoreError(.backupFailed(path: destination.path, reason: error.message ?? "\(error)"))
        }
        // link(2) fails if the name appeared meanwhile: still nothing overwritten.
        guard link(partial, destination.path) == 0 else {
            throw StoreError(.backupFailed(path: destination.path, reason: String(cString: strerror(errno))))
        }
        let bytes = (try? manager.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupReport(path: destination.path, pages: pages, bytes: bytes)
    }

    /// Checks the database at `path` without changing it (read-only; no migration): `integrity_check`,
    /// `foreign_key_check` and whether every migration this binary knows has been applied.
    /// - Throws: ``StoreError`` naming the path when there is no database there or SQLite cannot read it at all.
    /// - Parameter quick: `quick_check` instead of `integrity_check` (linear time, skips index consistency): what a
    ///   scheduler runs at start.
    public static func check(path: String, quick: Bool = false) throws -> CheckReport {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.cannotOpen(path: path, reason: "no such file (the store is created by the first command that needs it)"))
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                var problems = try String.fetchAll(db, sql: quick ? "PRAGMA quick_check" : "PRAGMA integrity_check").filter { $0 != "ok" }
                for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                    problems.append("foreign key: row \(row[1] as Int64? ?? 0) of \(row[0] as String? ?? "?") refers to a missing row of \(row[2] as String? ?? "?")")
                }
                let applied = try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                let missing = Migrations.migrator.migrations.filter { !applied.contains($0) }
                if !missing.isEmpty { problems.append("schema: migrations not applied: \(missing.joined(separator: ", ")) (run `nightshift db migrate`)") }
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                return CheckReport(path: path, pages: pages, bytes: Int64(pages * pageSize), migrations: applied, problems: problems)
            }
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen(path: path, reason: error.message ?? "\(error)"))
        }
    }
}
