import Foundation
import Hashing
import Store

/// A logged-in browser: the session token in its cookie, the CSRF token its forms carry, and who logged in.
struct Session: Sendable {
    var id: String
    var csrf: String
    var expires: Date
    var user: String
    var role: UserRole
}

/// Sessions in the home's store, so a restart (or a redeploy) keeps everyone logged in. Tokens and CSRF tokens are 32
/// random bytes; the store keeps only the token's SHA-256, so a copy of the database opens no session. A session
/// expires after ``lifetime`` of inactivity; its expiry is written forward at most once per ``touchInterval``, not on
/// every request.
final class SessionStore: Sendable {
    let store: StateStore
    let lifetime: TimeInterval
    let touchInterval: TimeInterval = 60

    init(store: StateStore, lifetime: TimeInterval = 12 * 3600) {
        self.store = store
        self.lifetime = lifetime
    }

    static func hash(_ token: String) -> String { SHA256.hex(Array(token.utf8)) }

    /// Starts a session for `user` with `role`, logging in from `address`.
    func create(user: String, role: UserRole, address: String, now: Date = Date()) async throws -> Session {
        let session = Session(
            id: [UInt8].random(count: 32).hex, csrf: [UInt8].random(count: 32).hex, expires: now + lifetime, user: user, role: role)
        try await store.createSession(
            SessionRecord(
                tokenHash: Self.hash(session.id), csrf: session.csrf, user: user, role: role, address: address, createdAt: now,
                expiresAt: session.expires),
            now: now)
        return session
    }

    /// The live session with token `id`, its expiry pushed forward; nil when unknown or expired.
    func session(_ id: String, now: Date = Date()) async throws -> Session? {
        let hash = Self.hash(id)
        guard var record = try await store.session(tokenHash: hash, now: now) else { return nil }
        if record.expiresAt < now + lifetime - touchInterval {
            record.expiresAt = now + lifetime
            try await store.extendSession(tokenHash: hash, expiresAt: record.expiresAt)
        }
        return Session(id: id, csrf: record.csrf, expires: record.expiresAt, user: record.user, role: record.role)
    }

    /// Ends a session.
    func remove(_ id: String) async throws {
        try await store.removeSession(tokenHash: Self.hash(id))
    }

    /// Ends every session of `user`, in every browser; returns how many there were.
    func removeAll(user: String) async throws -> Int {
        try await store.removeSessions(user: user)
    }
}
