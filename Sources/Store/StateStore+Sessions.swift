public import Foundation
public import GRDB

/// A dashboard login as stored: the SHA-256 of the cookie's token (never the token), the CSRF token its forms carry,
/// who logged in from where, and when it expires (pushed forward while it is used).
public struct SessionRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "dashboard_sessions"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var tokenHash: String
    public var csrf: String
    public var user: String
    public var address: String
    public var createdAt: Date
    public var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case csrf, user, address
        case tokenHash = "token_hash", createdAt = "created_at", expiresAt = "expires_at"
    }

    public init(tokenHash: String, csrf: String, user: String, address: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.csrf = csrf
        self.user = user
        self.address = address
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Dashboard sessions: created at login, looked up on every request, ended by logout or expiry.
extension StateStore {
    /// Stores a new session and removes the expired ones.
    public func createSession(_ session: SessionRecord, now: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE expires_at <= ?", arguments: [now.timeIntervalSince1970])
            try session.insert(db)
        }
    }

    /// The live session with this token hash, or nil (an expired one is treated as absent).
    public func session(tokenHash: String, now: Date) async throws -> SessionRecord? {
        try await writer.read { db in
            try SessionRecord.filter(Column("token_hash") == tokenHash && Column("expires_at") > now.timeIntervalSince1970).fetchOne(db)
        }
    }

    /// Moves a live session's expiry to `expiresAt`.
    public func extendSession(tokenHash: String, expiresAt: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE dashboard_sessions SET expires_at = ? WHERE token_hash = ?", arguments: [expiresAt.timeIntervalSince1970, tokenHash])
        }
    }

    /// Ends one session.
    public func removeSession(tokenHash: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    /// Ends every session of `user` ("log out everywhere"); returns how many there were.
    @discardableResult
    public func removeSessions(user: String) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE user = ?", arguments: [user])
            return db.changesCount
        }
    }

    /// The live sessions of `user`, newest first.
    public func sessions(user: String, now: Date) async throws -> [SessionRecord] {
        try await writer.read { db in
            try SessionRecord.filter(Column("user") == user && Column("expires_at") > now.timeIntervalSince1970)
                .order(Column("created_at").desc).fetchAll(db)
        }
    }
}
