public import Foundation
import GRDB

/// The fake anime archive, task attachments and named variables.
extension StateStore {
    // MARK: Archive

    /// Publishes a batch: records the batch and its entries and calls `moveIntoPlace` (which renames the batch's
    /// staged directory into `archive/`) inside ONE transaction. When `moveIntoPlace` throws, or the process dies
    /// before the commit, nothing is recorded; a directory moved just before such a death has no row and is removed
    /// by the next publish (``orphanArchiveDirectories(in:)``).
    /// - Throws: `StoreError.Kind.duplicateBatch` when the batch id is already published.
    public func publishBatch(
        _ batch: ArchiveBatchRecord, entries: [ArchiveEntryRecord], moveIntoPlace: @escaping @Sendable () throws -> Void
    ) async throws {
        try await writer.write { db in
            if try ArchiveBatchRecord.exists(db, key: batch.batch) {
                throw StoreError(.duplicateBatch(batch: batch.batch))
            }
            try batch.insert(db)
            for var entry in entries {
                precondition(entry.batch == batch.batch, "entry of batch \(entry.batch) published in \(batch.batch)")
                try entry.insert(db)
            }
            try moveIntoPlace()
        }
    }

    /// Published batches, newest first.
    public func archiveBatches(limit: Int = 100, offset: Int = 0) async throws -> [ArchiveBatchRecord] {
        try await writer.read { db in
            try ArchiveBatchRecord.order(Column("created_at").desc, Column("batch").desc).limit(limit, offset: offset).fetchAll(db)
        }
    }

    /// The published batch `batch`, or nil.
    public func archiveBatch(_ batch: String) async throws -> ArchiveBatchRecord? {
        try await writer.read { db in try ArchiveBatchRecord.fetchOne(db, key: batch) }
    }

    /// The number of published batches and entries.
    public func archiveCounts() async throws -> (batches: Int, entries: Int) {
        try await writer.read { db in (try ArchiveBatchRecord.fetchCount(db), try ArchiveEntryRecord.fetchCount(db)) }
    }

    /// Entries of `batch` (all batches when nil, newest batch first), in entry order.
    public func archiveEntries(batch: String? = nil, limit: Int = 100, offset: Int = 0) async throws -> [ArchiveEntryRecord] {
        try await writer.read { db in
            var request = ArchiveEntryRecord.all()
            if let batch { request = request.filter(Column("batch") == batch) }
            return try request.order(Column("created_at").desc, Column("batch").desc, Column("entry"))
                .limit(limit, offset: offset).fetchAll(db)
        }
    }

    /// One entry, or nil.
    public func archiveEntry(batch: String, entry: Int) async throws -> ArchiveEntryRecord? {
        try await writer.read { db in
            try ArchiveEntryRecord.filter(Column("batch") == batch && Column("entry") == entry).fetchOne(db)
        }
    }

    /// A random entry (nil when the archive is empty): a random id between the smallest and largest, so the cost does
    /// not grow with the archive; pruned gaps make entries after a gap a little likelier.
    public func randomArchiveEntry() async throws -> ArchiveEntryRecord? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT min(id) AS low, max(id) AS high FROM archive"),
                let low: Int64 = row["low"], let high: Int64 = row["high"]
            else { return nil }
            let pick = Int64.random(in: low...high)
            return try ArchiveEntryRecord.filter(Column("id") >= pick).order(Column("id")).fetchOne(db)
        }
    }

    /// Removes all but the newest `count` batches from the store and returns the removed batch ids, oldest first
    /// (the caller deletes their directories).
    public func pruneArchive(keepingLatest count: Int) async throws -> [String] {
        precondition(count >= 0, "cannot keep \(count) batches")
        return try await writer.write { db in
            let doomed = try String.fetchAll(
                db, sql: "SELECT batch FROM archive_batches ORDER BY created_at DESC, batch DESC LIMIT -1 OFFSET ?",
                arguments: [count])
            for batch in doomed {
                try db.execute(sql: "DELETE FROM archive WHERE batch = ?", arguments: [batch])
                try db.execute(sql: "DELETE FROM archive_batches WHERE batch = ?", arguments: [batch])
            }
            return doomed.reversed()
        }
    }

    /// Names of directories in `archiveRoot` that belong to no published batch (left by a publish that died
    /// between moving its directory and committing, or by a prune that died after committing). Hidden entries
    /// (the `.staging` area) are not listed.
    public func orphanArchiveDirectories(in archiveRoot: URL) async throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: archiveRoot.path)) ?? []
        let published = Set(try await writer.read { db in try String.fetchAll(db, sql: "SELECT batch FROM archive_batches") })
        return names.filter { !$0.hasPrefix(".") && !published.contains($0) }.sorted()
    }

    // MARK: Attachments

    /// Records a file a task attached to its try.
    public func addAttachment(_ attachment: AttachmentRecord) async throws {
        try await writer.write { db in
            var attachment = attachment
            try attachment.insert(db)
        }
    }

    /// The files attached in a run, by task then time.
    public func attachments(runID: String) async throws -> [AttachmentRecord] {
        try await writer.read { db in
            try AttachmentRecord.filter(Column("run_id") == runID).order(Column("task_id"), Column("created_at"), Column("id")).fetchAll(db)
        }
    }

    // MARK: Variables

    /// The value stored under `key` (e.g. `anime.latest_snapshot`), or nil.
    public func variable(_ key: String) async throws -> String? {
        try await writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM variables WHERE key = ?", arguments: [key]) }
    }

    /// Stores `value` under `key`, replacing an earlier value.
    public func setVariable(_ key: String, _ value: String, now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO variables (key, value, updated_at) VALUES (?, ?, ?)",
                arguments: [key, value, now.timeIntervalSince1970])
        }
    }
}
