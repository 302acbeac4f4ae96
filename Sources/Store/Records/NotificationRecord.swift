public import Foundation
public import GRDB

/// When a notification is sent.
public enum NotificationEvent: String, Sendable, Codable, CaseIterable {
    /// A task instance failed for good (no retry left), or its run was marked failed by a run timeout.
    case failure
    /// A try failed and another is scheduled.
    case retry
    /// A task instance succeeded.
    case success
    /// A run outlived its DAG's `runTimeout`.
    case runTimeout = "run_timeout"
}

/// How a notification is delivered.
public enum NotifierKind: String, Sendable, Codable, CaseIterable {
    /// A JSON POST to a URL.
    case webhook
    /// A shell command, with the notification's JSON on standard input and its fields in the environment.
    case command
}

/// The body a webhook gets.
public enum NotificationFormat: String, Sendable, Codable, CaseIterable {
    /// The notification's fields as one JSON object.
    case json
    /// A Slack incoming-webhook body (`{"text": …}`).
    case slack
}

/// One row of `notifications`: an operator's subscription, made with `nightshift notify add`.
public struct NotificationRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "notifications"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var event: NotificationEvent
    /// Only this DAG's events (nil: every DAG's).
    public var dagID: String?
    public var kind: NotifierKind
    /// The webhook's URL or the command line.
    public var target: String
    public var format: NotificationFormat
    public var createdAt: Date
    public var createdBy: String

    public init(
        event: NotificationEvent, dagID: String?, kind: NotifierKind, target: String, format: NotificationFormat, createdAt: Date,
        createdBy: String
    ) {
        self.event = event
        self.dagID = dagID
        self.kind = kind
        self.target = target
        self.format = format
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    enum CodingKeys: String, CodingKey {
        case id, event, kind, target, format
        case dagID = "dag_id", createdAt = "created_at", createdBy = "created_by"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
