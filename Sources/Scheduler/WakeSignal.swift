import Synchronization

/// Wakes the scheduler loop early: a try finished, a signal arrived, shutdown began. A signal sent while nobody waits
/// is kept, so the next wait returns at once.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on the next signal, or after `timeout`.
    func wait(timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation = state.withLock { state -> Int? in
                if state.pending {
                    state.pending = false
                    return nil
                }
                state.generation += 1
                state.waiter = continuation
                return state.generation
            }
            guard let generation else {
                continuation.resume()
                return
            }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.generation == generation, let waiter = state.waiter else { return nil }
                    state.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
        }
    }
}

/// The tries this scheduler process is watching (launched or adopted), by "run/task/try".
final class TryTracker: Sendable {
    private let keys = Mutex(Set<String>())

    static func key(_ runID: String, _ taskID: String, _ tryNumber: Int) -> String { "\(runID)/\(taskID)/\(tryNumber)" }

    /// Inserts `key`; false when it was already tracked.
    func insert(_ key: String) -> Bool { keys.withLock { $0.insert(key).inserted } }
    func remove(_ key: String) { _ = keys.withLock { $0.remove(key) } }
    func contains(_ key: String) -> Bool { keys.withLock { $0.contains(key) } }
    var count: Int { keys.withLock { $0.count } }
}
