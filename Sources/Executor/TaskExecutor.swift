public import Store

/// One try for an executor to run: which task instance, which try, where its log goes, how long it may take.
public struct TryLaunch: Sendable, Equatable {
    public var dagID: String
    public var runID: String
    public var taskID: String
    public var tryNumber: Int
    public var logPath: String
    /// The try's execution timeout (nil: none).
    public var timeout: Duration?

    public init(dagID: String, runID: String, taskID: String, tryNumber: Int, logPath: String, timeout: Duration?) {
        self.dagID = dagID
        self.runID = runID
        self.taskID = taskID
        self.tryNumber = tryNumber
        self.logPath = logPath
        self.timeout = timeout
    }
}

/// How a try ended as its supervisor saw it; the store prefers what the try recorded itself.
public struct ExecutedTry: Sendable, Equatable {
    public var observed: TryOutcome
    /// The process exit code (128 + signal when killed), nil when there was no process.
    public var exitStatus: Int32?

    public init(observed: TryOutcome, exitStatus: Int32?) {
        self.observed = observed
        self.exitStatus = exitStatus
    }
}

/// Runs task tries. The scheduler starts a try in the store, calls ``execute(_:)`` and applies the result.
public protocol TryExecutor: Sendable {
    /// Runs one try to its end, enforcing its timeout.
    /// - Returns: how it ended, or nil when the calling task was cancelled first and the try was left running (a
    ///   scheduler shutting down); the next scheduler adopts it.
    func execute(_ launch: TryLaunch) async -> ExecutedTry?
}
