import Glibc

/// A child process could not be started.
///
/// `description` is the sentence a user reads, for example
/// `cannot start '/no/such': No such file or directory` or
/// `cannot start 'train': working directory '/srv/x': Permission denied`.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    /// The step of `ChildProcess.spawn(_:)` that failed.
    public enum Stage: Sendable, Equatable {
        /// A bare executable name was not found in `PATH` (the associated value), or was not executable.
        case lookup(path: String)
        /// The working directory does not exist or is not accessible.
        case workingDirectory(String)
        /// The log file (or one of its parent directories) could not be created or opened.
        case logFile(String)
        /// `posix_spawn` itself failed, usually because the executable is missing or not executable.
        case spawn
    }

    /// The executable as written in the `SpawnSpec`.
    public let executable: String
    /// The step that failed.
    public let stage: Stage
    /// The `errno` value describing the failure.
    public let errnoCode: Int32

    /// Creates an error for `executable` failing at `stage` with `errnoCode`.
    public init(executable: String, stage: Stage, errnoCode: Int32) {
        self.executable = executable
        self.stage = stage
        self.errnoCode = errnoCode
    }

    /// The `strerror` text of `errnoCode`.
    public var reason: String {
        String(cString: strerror(errnoCode))
    }

    /// The sentence a user reads, naming the executable and, where relevant, the path involved.
    public var description: String {
        switch stage {
        case .spawn:
            "cannot start '\(executable)': \(reason)"
        case .lookup(let path):
            "cannot start '\(executable)': not found in PATH '\(path)': \(reason)"
        case .workingDirectory(let directory):
            "cannot start '\(executable)': working directory '\(directory)': \(reason)"
        case .logFile(let file):
            "cannot start '\(executable)': log file '\(file)': \(reason)"
        }
    }
}
