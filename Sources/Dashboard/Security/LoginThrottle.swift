import Foundation
import Synchronization

/// Failed logins counted per user and per client address. After ``freeFailures`` failures in a row a key is locked for
/// an exponentially growing time (1 s, 2 s, 4 s, … up to ``maxDelay``) from its latest failure; while any key of an
/// attempt is locked the attempt is refused (429 with `Retry-After`) without checking the password, so guessing
/// cannot go on at full speed from one address nor against one user from many. A success clears the attempt's keys; a
/// key's count is forgotten ``forgetAfter`` after its latest failure.
final class LoginThrottle: Sendable {
    struct Entry: Sendable {
        var failures: Int
        var last: Date
        var lockedUntil: Date?
    }

    static let freeFailures = 5
    static let maxDelay: TimeInterval = 15 * 60
    static let forgetAfter: TimeInterval = 60 * 60
    private static let maxEntries = 10_000

    private let entries = Mutex<[String: Entry]>([:])
    /// A fixed time for tests; nil: the system clock.
    private let frozen = Mutex<Date?>(nil)

    /// The time the login route counts with.
    func now() -> Date { frozen.withLock { $0 } ?? Date() }

    /// Makes ``now()`` return `date` (tests: lock arithmetic without waiting on a loaded machine).
    func freeze(at date: Date?) { frozen.withLock { $0 = date } }

    /// The keys of one attempt.
    static func keys(user: String, address: String) -> [String] { ["user:\(user)", "address:\(address)"] }

    /// Seconds until the attempt's keys may try again, or nil when none is locked.
    func retryAfter(_ keys: [String], now: Date) -> TimeInterval? {
        entries.withLock { all in
            let waits = keys.compactMap { key -> TimeInterval? in
                guard let until = all[key]?.lockedUntil, until > now else { return nil }
                return until.timeIntervalSince(now)
            }
            return waits.max()
        }
    }

    /// Counts a failure for each key; returns the lock it starts (seconds), if it starts one.
    @discardableResult
    func recordFailure(_ keys: [String], now: Date) -> TimeInterval? {
        entries.withLock { all in
            if all.count > Self.maxEntries {
                all = all.filter { now.timeIntervalSince($0.value.last) < Self.forgetAfter }
            }
            var longest: TimeInterval?
            for key in keys {
                var entry = all[key] ?? Entry(failures: 0, last: now, lockedUntil: nil)
                if now.timeIntervalSince(entry.last) >= Self.forgetAfter { entry = Entry(failures: 0, last: now, lockedUntil: nil) }
                entry.failures += 1
                entry.last = now
                if entry.failures >= Self.freeFailures {
                    let delay = min(pow(2, Double(entry.failures - Self.freeFailures)), Self.maxDelay)
                    entry.lockedUntil = now.addingTimeInterval(delay)
                    longest = max(longest ?? 0, delay)
                }
                all[key] = entry
            }
            return longest
        }
    }

    /// A successful login clears its keys.
    func recordSuccess(_ keys: [String]) {
        entries.withLock { all in for key in keys { all[key] = nil } }
    }
}
