public import Foundation

/// How a try ended, as the process or its supervisor saw it.
public enum TryOutcome: Sendable, Equatable {
    case success
    case failed(exitStatus: Int32?, error: String)
    case timedOut(after: Double)
    case processLost(String)

    /// True for a try killed at its timeout.
    public var isTimeout: Bool {
        if case .timedOut = self { return true }
        return false
    }

    /// The sentence recorded on the try.
    public var errorText: String? {
        switch self {
        case .success: return nil
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
    case scheduleRetry(at: Date)
    case markFailed
}
