public import Foundation
import GRDB

extension StateStore {
    /// Adds a notification (an `notify_add` audit event records who).
    /// - Returns: the row as stored, its id filled in.
    public func addNotification(_ record: NotificationRecord) async throws -> NotificationRecord {
        try await writer.write { db in
            var record = record
            try record.insert(db)
            let scope = record.dagID.map { "DAG \($0)" } ?? "every DAG"
            var event = EventRecord(
                at: record.createdAt, dagID: record.dagID, runID: nil, taskID: nil, kind: "notify_add", actor: record.createdBy,
                detail: "#\(record.id!) on \(record.event.rawValue) of \(scope): \(record.kind.rawValue) \(record.target)")
            try event.insert(db)
            return record
        }
    }

    /// Every notification, oldest first.
    public func notifications() async throws -> [NotificationRecord] {
        try await writer.read { db in try NotificationRecord.order(Column("id")).fetchAll(db) }
    }

    /// The notifications an `event` of `dagID` sends.
    public func notifications(for event: NotificationEvent, dagID: String) async throws -> [NotificationRecord] {
        try await writer.read { db in
            try NotificationRecord.filter(Column("event") == event.rawValue && (Column("dag_id") == nil || Column("dag_id") == dagID))
                .order(Column("id")).fetchAll(db)
        }
    }

    /// Removes notification `id` (a `notify_remove` audit event records who).
    /// - Returns: whether it existed.
    @discardableResult
    public func removeNotification(id: Int64, actor: String, now: Date) async throws -> Bool {
        try await writer.write { db in
            guard let record = try NotificationRecord.fetchOne(db, key: id) else { return false }
            try NotificationRecord.deleteOne(db, key: id)
            var event = EventRecord(
                at: now, dagID: record.dagID, runID: nil, taskID: nil, kind: "notify_remove", actor: actor,
                detail: "#\(id): \(record.kind.rawValue) \(record.target)")
            try event.insert(db)
            return true
        }
    }
}
