public import Foundation

/// How a try ended, as the process or its supervisor saw it.
public enum TryOutcome: Sendable, Equatable {
    case success
    case failed(exitStatus: Int32?, error: String)
    case timedOut(after: Double)
    case processLost(String)
    /// The task skipped itself (it threw `TaskSkipped`).
    case skipped(reason: String)
    /// A sensor in reschedule mode poked and its condition did not hold (`waiting` says what for); `firstPoke` is when
    /// its current wait began (filled in by the store from the try rows; the child records nil).
    case notReady(firstPoke: Date?, waiting: String)

    /// True for a try killed at its timeout.
    public var isTimeout: Bool {
        if case .timedOut = self { return true }
        return false
    }

    /// True when the try did its job: it succeeded or skipped itself.
    public var isClean: Bool {
        switch self {
        case .success, .skipped, .notReady: return true
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
        case .notReady(_, let waiting): return waiting
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
    /// A sensor pokes again at `at` (its instance is `up_for_reschedule` until then; the poke uses none of its tries).
    case reschedule(at: Date)
    /// A sensor passed its timeout: the instance fails, or skips (`softFail`), with `note`; it is not retried.
    case sensorTimedOut(skip: Bool, note: String)
}

/// A try the supervisor saw end, to be applied with ``StateStore/finishAndSchedule(_:now:host:logPath:plan:)``.
public struct FinishedTry: Sendable {
    public var runID: String
    public var taskID: String
    public var tryNumber: Int
    /// What the supervisor saw; the outcome the child recorded wins.
    public var observed: TryOutcome
    public var exitStatus: Int32?
    /// Turns the outcome into the instance's next state (the retry policy).
    public var decide: @Sendable (TryOutcome, TaskInstanceRecord) -> TryAction
    /// The task's outlets: a success records an event for each (in the same transaction).
    public var outlets: [String]

    public init(
        runID: String, taskID: String, tryNumber: Int, observed: TryOutcome, exitStatus: Int32?, outlets: [String] = [],
        decide: @escaping @Sendable (TryOutcome, TaskInstanceRecord) -> TryAction
    ) {
        self.outlets = outlets
        self.runID = runID
        self.taskID = taskID
        self.tryNumber = tryNumber
        self.observed = observed
        self.exitStatus = exitStatus
        self.decide = decide
    }
}
