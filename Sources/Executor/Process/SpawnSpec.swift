/// What to start: the executable, its arguments and environment, where it runs, and where its output goes.
///
/// ```swift
/// let spec = SpawnSpec(
///     executable: "/bin/sh", arguments: ["-c", "echo hello"],
///     environment: ProcessInfo.processInfo.environment,
///     output: .appendToFile("/var/lib/nightshift/logs/run-1/task-a/try-1.log"))
/// let child = try ChildProcess.spawn(spec)
/// ```
public struct SpawnSpec: Sendable {
    /// Where the child's stdout and stderr go. Its stdin is always `/dev/null`.
    public enum Output: Sendable, Equatable {
        /// The child writes to the parent's stdout and stderr.
        case inherit
        /// Both stdout and stderr are appended to this file, which is created (mode 0644, parent directories
        /// included) when missing.
        case appendToFile(String)
    }

    /// An absolute path, a path relative to `workingDirectory` (when it contains a `/`), or a bare name looked up
    /// in the `PATH` of `environment` (the parent's `PATH` when `environment` has none).
    public var executable: String
    /// The arguments after `argv[0]`; `argv[0]` is the path executed (`executable` after the `PATH` lookup).
    public var arguments: [String]
    /// The complete environment of the child: nothing is inherited implicitly.
    public var environment: [String: String]
    /// The directory the child starts in, or `nil` for the parent's current directory.
    public var workingDirectory: String?
    /// Where stdout and stderr go.
    public var output: Output
    /// Whether the child leads a new process group (its pgid is its pid), so that `ChildProcess.signalGroup(_:)`
    /// and `ProcessTable.killGroup(_:grace:)` reach its descendants too.
    public var newProcessGroup: Bool

    /// Creates a spawn specification.
    /// - Parameters:
    ///   - executable: an absolute path, or a name resolved through `PATH`.
    ///   - arguments: the arguments after `argv[0]`.
    ///   - environment: the full environment of the child (pass `ProcessInfo.processInfo.environment` to inherit).
    ///   - workingDirectory: the child's starting directory; `nil` keeps the parent's.
    ///   - output: where stdout and stderr go.
    ///   - newProcessGroup: whether the child leads its own process group.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String],
        workingDirectory: String? = nil,
        output: Output = .inherit,
        newProcessGroup: Bool = true
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.output = output
        self.newProcessGroup = newProcessGroup
    }

    /// This spec rewritten to change directory through `/bin/sh`, for C libraries without
    /// `posix_spawn_file_actions_addchdir_np` (glibc before 2.29).
    ///
    /// The shell runs `cd -- "$0" && exec "$@"` with the directory as `$0`, so neither the directory nor the
    /// arguments are ever parsed as shell text.
    func changingDirectoryThroughShell() -> SpawnSpec {
        guard let directory = workingDirectory else { return self }
        var wrapped = self
        wrapped.executable = "/bin/sh"
        wrapped.arguments = ["-c", #"cd -- "$0" && exec "$@""#, directory, executable] + arguments
        wrapped.workingDirectory = nil
        return wrapped
    }
}
