import Hummingbird
import Synchronization

/// What the fixture server saw: every request's path, headers and arrival time, per-path hit counts,
/// and the most handlers ever running at once on `/concurrent`.
final class Recorder: Sendable {
    struct Seen: Sendable {
        var path: String
        /// Lowercased names.
        var headers: [String: String]
        var at: ContinuousClock.Instant
    }

    private struct State {
        var seen: [Seen] = []
        var hits: [String: Int] = [:]
        var inFlight = 0
        var maxInFlight = 0
        var gateOpen = false
    }

    private let state = Mutex(State())

    /// Records a request and returns how many times its path has been hit, this one included.
    func record(_ request: Request) -> Int {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let seen = Seen(path: request.uri.path, headers: headers, at: .now)
        return state.withLock { state in
            state.seen.append(seen)
            state.hits[seen.path, default: 0] += 1
            return state.hits[seen.path]!
        }
    }

    func requests(to path: String) -> [Seen] { state.withLock { $0.seen.filter { $0.path == path } } }
    func hits(_ path: String) -> Int { state.withLock { $0.hits[path, default: 0] } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    /// Lets `/gate` handlers finish (they otherwise hold the response for up to 5 s).
    func openGate() { state.withLock { $0.gateOpen = true } }
    var gateOpen: Bool { state.withLock { $0.gateOpen } }

    func enter() { state.withLock { $0.inFlight += 1; $0.maxInFlight = max($0.maxInFlight, $0.inFlight) } }
    func leave() { state.withLock { $0.inFlight -= 1 } }
}
