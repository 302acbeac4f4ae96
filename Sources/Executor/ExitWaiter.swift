import Synchronization

typealias ExitStatus = ChildProcess.ExitStatus

/// Waits for a child process once (on the process's own waiter thread) and lets any number of callers await the
/// result; a caller whose task is cancelled stops waiting (gets nil) without disturbing the process. That is how a
/// scheduler shutting down leaves running tries behind for the next start to adopt.
final class ExitWaiter: Sendable {
    private struct State {
        var status: ExitStatus?
        var waiters: [Int: CheckedContinuation<ExitStatus?, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    convenience init(_ child: ChildProcess) {
        self.init { await child.waitForExit() }
    }

    /// Waits with `wait` (once, in a detached task).
    init(_ wait: @escaping @Sendable () async -> ExitStatus) {
        Task.detached { [self] in
            let status = await wait()
            let waiters = self.state.withLock { state in
                state.status = status
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
    }

    /// The exit status, or nil when the calling task is cancelled first.
    func value() async -> ExitStatus? {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: ExitStatus?? = state.withLock { state in
                    if let status = state.status { return .some(status) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in state.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }
}
