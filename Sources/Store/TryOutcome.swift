public import Foundation

/// How a try ended, as the process or its supervisor saw it.
public enum TryOutcome: Sendable, Equatable {
    case success
    case failed(exitStatus: Int32?, error: String)
    case timedOut(after: Double)
    case processLost(String)
    /// The task skipped itself (it threw `TaskSkipped`).
    case skipped(reason: String)

    /// True for a try killed at its timeout.
    public var isTimeout: Bool {
        if case .timedOut = self { return true }
        return false
    }

    /// True when the try did its job: it succeeded or skipped itself.
    public var isClean: Bool {
        switch self {
        case .success, .skipped: return true
        default: return false
        }
    }

    /// The sentence recorded on the try: the error, or why it skipped itself.
    public var errorText: String? {
        switch self {
        case .success: return nil
        case .skipped(let reason): return reason
        case .failed(_, let error): return error
        case .timedOut(let seconds): return "timed out after \(Self.format(seconds)) s"
        case .processLost(let reason): return reason
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

/// What happens to a task instance after a try: the scheduler's retry policy decides it.
public enum TryAction: Sendable, Equatable {
    case markSuccess
    /// The task skipped itself: the instance ends `skipped`, with the reason as its note.
    case markSkipped
    case scheduleRetry(at: Date)
    case markFailed
}
