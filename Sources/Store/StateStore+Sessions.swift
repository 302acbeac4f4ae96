public import Foundation
public import GRDB

/// What a dashboard user may do. A viewer reads everything behind the login; an operator also triggers, clears, marks
/// and pauses; an admin also manages users (and, later, notifications).
public enum UserRole: String, Sendable, Codable, CaseIterable, Comparable {
    case viewer, `operator`, admin

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: UserRole, b: UserRole) -> Bool { a.rank < b.rank }
}

/// A dashboard user other than the first (`admin`, kept in `HOME/dashboard/admin.json`): its role and its password hash
/// (opaque JSON written by the dashboard: salt, iterations, PBKDF2 hash).
public struct UserRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "dashboard_users"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var name: String
    public var role: UserRole
    public var password: String
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case name, role, password
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(name: String, role: UserRole, password: String, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.role = role
        self.password = password
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A dashboard login as stored: the SHA-256 of the cookie's token (never the token), the CSRF token its forms carry,
/// who logged in from where, and when it expires (pushed forward while it is used).
public struct SessionRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "dashboard_sessions"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var tokenHash: String
    public var csrf: String
    public var user: String
    public var role: UserRole
    public var address: String
    public var createdAt: Date
    public var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case csrf, user, role, address
        case tokenHash = "token_hash", createdAt = "created_at", expiresAt = "expires_at"
    }

    public init(tokenHash: String, csrf: String, user: String, role: UserRole, address: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.csrf = csrf
        self.user = user
        self.role = role
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

/// Dashboard users (other than `admin`): added, listed, re-passworded and removed by `nightshift users`.
extension StateStore {
    /// The user named `name`, or nil.
    public func user(_ name: String) async throws -> UserRecord? {
        try await writer.read { db in try UserRecord.fetchOne(db, key: name) }
    }

    /// Every user, by name.
    public func users() async throws -> [UserRecord] {
        try await writer.read { db in try UserRecord.order(Column("name")).fetchAll(db) }
    }

    /// Adds a user; false (and nothing written) when the name is taken. Records a `user_add` event.
    public func addUser(_ user: UserRecord, actor: String) async throws -> Bool {
        try await writer.write { db in
            guard try !UserRecord.exists(db, key: user.name) else { return false }
            try user.insert(db)
            var event = EventRecord(at: user.createdAt, dagID: nil, runID: nil, taskID: nil, kind: "user_add", actor: actor, detail: "\(user.name) as \(user.role.rawValue)")
            try event.insert(db)
            return true
        }
    }

    /// Replaces a user's password hash and ends its sessions; false when there is no such user. Records `user_passwd`.
    public func setPassword(user name: String, password: String, actor: String, now: Date) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "UPDATE dashboard_users SET password = ?, updated_at = ? WHERE name = ?", arguments: [password, now.timeIntervalSince1970, name])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE user = ?", arguments: [name])
            var event = EventRecord(at: now, dagID: nil, runID: nil, taskID: nil, kind: "user_passwd", actor: actor, detail: name)
            try event.insert(db)
            return true
        }
    }

    /// Removes a user and ends its sessions; false when there is no such user. Records `user_remove`.
    public func removeUser(_ name: String, actor: String, now: Date) async throws -> Bool {
        try await writer.write { db in
            guard try UserRecord.deleteOne(db, key: name) else { return false }
            try db.execute(sql: "DELETE FROM dashboard_sessions WHERE user = ?", arguments: [name])
            var event = EventRecord(at: now, dagID: nil, runID: nil, taskID: nil, kind: "user_remove", actor: actor, detail: name)
            try event.insert(db)
            return true
        }
    }
}
