import GRDB

/// A store operation that cannot be done, with the id it is about.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unknownRun(String)
        case duplicateRun(String)
        case unknownTask(run: String, task: String)
        case taskRunning(run: String, task: String)
        case cannotOpen(path: String, reason: String)
        case duplicateBatch(batch: String)
        case backupFailed(path: String, reason: String)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .unknownRun(let run): return "unknown run id '\(run)'"
        case .duplicateRun(let run): return "a run '\(run)' already exists"
        case .unknownTask(let run, let task): return "run '\(run)' has no task '\(task)'"
        case .taskRunning(let run, let task): return "task '\(task)' of run '\(run)' is running; wait for it to finish"
        case .cannotOpen(let path, let reason): return "cannot open the store at \(path): \(reason)"
        case .duplicateBatch(let batch): return "archive batch '\(batch)' is already published"
        case .backupFailed(let path, let reason): return "cannot back up the store to \(path): \(reason)"
        }
    }
}

extension StoreError {
    /// A sentence for a write the disk had no room for (SQLite's `SQLITE_FULL`: the transaction was rolled back), or
    /// nil for any other error.
    public static func diskFullSentence(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL else { return nil }
        return "the store's disk is full (SQLite: \(error.message ?? "database or disk is full")): nothing was written; free space and retry"
    }
}
