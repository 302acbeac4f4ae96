import Foundation
import Synchronization

/// A logged-in browser: the session id in its cookie and the CSRF token its forms carry.
struct Session: Sendable {
    var id: String
    var csrf: String
    var expires: Date
}

/// Sessions in memory (a restart logs everyone out, which is fine for a single-admin dashboard). Ids and CSRF tokens
/// are 32 random bytes; sessions expire after ``lifetime`` of inactivity.
final class SessionStore: Sendable {
    private let sessions = Mutex<[String: Session]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 12 * 3600) { self.lifetime = lifetime }

    /// Starts a session.
    func create(now: Date = Date()) -> Session {
        let session = Session(id: [UInt8].random(count: 32).hex, csrf: [UInt8].random(count: 32).hex, expires: now + lifetime)
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now }
            all[session.id] = session
        }
        return session
    }

    /// The live session with `id`, its expiry pushed forward; nil when unknown or expired.
    func session(_ id: String, now: Date = Date()) -> Session? {
        sessions.withLock { all in
            guard var session = all[id] else { return nil }
            guard session.expires > now else {
                all[id] = nil
                return nil
            }
            session.expires = now + lifetime
            all[id] = session
            return session
        }
    }

    /// Ends a session.
    func remove(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
