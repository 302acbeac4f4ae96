import Foundation
import Glibc
import Synchronization

/// A process started with `posix_spawn`, owned by this process until it is reaped by `waitForExit()`.
///
/// ```swift
/// let child = try ChildProcess.spawn(SpawnSpec(
///     executable: "/usr/local/bin/nightshift", arguments: ["tasks", "run", "anime_nightly", "train_text"],
///     environment: ProcessInfo.processInfo.environment, output: .appendToFile(logPath)))
/// let status = await child.waitForExit()   // waits on a dedicated thread, never on the cooperative pool
/// ```
///
/// The child gets `/dev/null` as stdin, no file descriptors above 2 (glibc 2.34+), an empty signal mask and default dispositions
/// for `SIGHUP`, `SIGINT`, `SIGQUIT`, `SIGTERM`, `SIGPIPE` and `SIGCHLD`, whatever the parent ignores or blocks.
///
/// Until `waitForExit()` is called the child is never reaped, so once it ends it stays a zombie (which
/// `ProcessTable.isAlive(pid:startTime:)` reports as not alive). Every spawned child must eventually be waited for.
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// The child's process group: its own pid when spawned with `newProcessGroup`, otherwise the parent's group.
    public let processGroup: Int32
    /// Field 22 (`starttime`) of `/proc/PID/stat`, read right after the spawn; `nil` if it could not be read.
    /// Store it with the pid so that `ProcessTable.isAlive(pid:startTime:)` can tell this process from a later one
    /// that reuses its pid.
    public let startTime: UInt64?

    /// Reaping state: the exit status once reaped, and the callers of `waitForExit()` still waiting.
    private struct WaitState {
        var status: ExitStatus?
        var reaperStarted = false
        var waiters: [CheckedContinuation<ExitStatus, Never>] = []
    }

    private let waitState = Mutex(WaitState())

    private init(pid: Int32, processGroup: Int32, startTime: UInt64?) {
        self.pid = pid
        self.processGroup = processGroup
        self.startTime = startTime
    }

    /// Starts a process as described by `spec`.
    ///
    /// The call returns once the child has executed its program (glibc spawns with `CLONE_VFORK`), so a missing or
    /// non-executable program is reported here rather than as exit code 127.
    /// - Parameter spec: what to run, with which environment, where, and where its output goes.
    /// - Returns: the running child; call `waitForExit()` on it eventually.
    /// - Throws: `SpawnError` naming the executable and the `strerror` text, plus the working directory or log file
    ///   when one of those is the cause.
    public static func spawn(_ spec: SpawnSpec) throws -> ChildProcess {
        let name = spec.executable
        var spec = spec
        spec.executable = try resolveExecutable(spec)
        if let directory = spec.workingDirectory {
            try checkWorkingDirectory(directory, name: name)
        }
        var addChdir: AddChdirFunction?
        if spec.workingDirectory != nil {
            addChdir = lookUpSymbol("posix_spawn_file_actions_addchdir_np", as: AddChdirFunction.self)
            if addChdir == nil {
                spec = spec.changingDirectoryThroughShell()
            }
        }

        var logDescriptor: Int32 = -1
        if case .appendToFile(let path) = spec.output {
            logDescriptor = try openLogFile(path, name: name)
        }
        defer {
            if logDescriptor >= 0 { close(logDescriptor) }
        }

        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes), name)
        defer { posix_spawnattr_destroy(&attributes) }
        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions), name)
        defer { posix_spawn_file_actions_destroy(&actions) }

        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if spec.newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            try check(posix_spawnattr_setpgroup(&attributes, 0), name)
        }
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), name)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        try check(posix_spawnattr_setsigmask(&attributes, &emptyMask), name)
        var defaulted = sigset_t()
        sigemptyset(&defaulted)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD] {
            sigaddset(&defaulted, signal)
        }
        try check(posix_spawnattr_setsigdefault(&attributes, &defaulted), name)

        // Order matters: the dup2s read the log descriptor before closefrom drops it, and chdir comes last so that
        // the relative log path (already opened here) and /dev/null are unaffected.
        if logDescriptor >= 0 {
            try check(posix_spawn_file_actions_adddup2(&actions, logDescriptor, STDOUT_FILENO), name)
            try check(posix_spawn_file_actions_adddup2(&actions, logDescriptor, STDERR_FILENO), name)
        }
        try check(posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0), name)
        if let closeFrom = lookUpSymbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFromFunction.self) {
            try check(closeFrom(&actions, STDERR_FILENO + 1), name)
        }
        if let directory = spec.workingDirectory, let addChdir {
            try check(directory.withCString { addChdir(&actions, $0) }, name)
        }

        let argv = ([spec.executable] + spec.arguments).map { strdup($0) } + [nil]
        let envp = spec.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, spec.executable, &actions, &attributes, argv, envp)
        // ETXTBSY: the executable was just written, and a process another thread forked meanwhile still holds a copy
        // of the writer's descriptor until its own exec closes it. That ends within milliseconds: try again briefly.
        var pause: UInt32 = 1_000
        while result == ETXTBSY && pause <= 64_000 {
            usleep(pause)
            pause *= 2
            result = posix_spawn(&pid, spec.executable, &actions, &attributes, argv, envp)
        }
        try check(result, name)
        return ChildProcess(
            pid: pid,
            processGroup: spec.newProcessGroup ? pid : getpgrp(),
            startTime: ProcessTable.startTime(of: pid))
    }

    /// Waits for the child to end and reaps it, without blocking the cooperative thread pool: the wait runs on a
    /// dedicated thread started by the first call.
    ///
    /// Safe to call any number of times, from any number of tasks: every call returns the same status. The wait
    /// does not end on task cancellation; to stop waiting early, end the process (for example with
    /// `ProcessTable.killGroup(_:grace:)`) and the call returns promptly.
    /// - Returns: how the child ended; `.exited(-1)` if it was reaped by someone else (`SIGCHLD` set to `SIG_IGN`).
    public func waitForExit() async -> ExitStatus {
        await withCheckedContinuation { (continuation: CheckedContinuation<ExitStatus, Never>) in
            let (finished, startReaper) = waitState.withLock { state -> (ExitStatus?, Bool) in
                if let status = state.status { return (status, false) }
                state.waiters.append(continuation)
                defer { state.reaperStarted = true }
                return (nil, !state.reaperStarted)
            }
            if let finished {
                continuation.resume(returning: finished)
            } else if startReaper {
                let thread = Thread { [self] in reap() }
                thread.name = "nightshift-wait-\(pid)"
                thread.start()
            }
        }
    }

    /// Sends `signal` to the child only (not its descendants). Does nothing once the child has been reaped, so a
    /// late signal can never reach an unrelated process that reuses the pid.
    /// - Parameter signal: a signal number such as `SIGTERM`.
    public func signal(_ signal: Int32) {
        waitState.withLock { state in
            if state.status == nil {
                _ = kill(pid, signal)
            }
        }
    }

    /// Sends `signal` to the child's whole process group, descendants included; a group that no longer exists
    /// (`ESRCH`) is ignored.
    ///
    /// This still works after the child is reaped, for descendants left in the group. When the child was spawned
    /// without `newProcessGroup` it shares the caller's group, so only the child itself is signalled.
    /// - Parameter signal: a signal number such as `SIGTERM`.
    public func signalGroup(_ signal: Int32) {
        guard processGroup != getpgrp() else {
            self.signal(signal)
            return
        }
        _ = kill(-processGroup, signal)
    }

    /// Runs on the reaper thread: waits for the child to end without reaping it (`WNOWAIT`), then reaps it while
    /// holding the lock that `signal(_:)` takes, so no signal is sent to a reaped (and possibly reused) pid.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        let (status, waiters) = waitState.withLock { state in
            var raw: Int32 = 0
            var reaped: pid_t
            repeat {
                reaped = waitpid(pid, &raw, 0)
            } while reaped == -1 && errno == EINTR
            let status = reaped == pid ? ExitStatus(waitStatus: raw) : .exited(-1)
            state.status = status
            defer { state.waiters = [] }
            return (status, state.waiters)
        }
        for waiter in waiters {
            waiter.resume(returning: status)
        }
    }

    // MARK: - Spawn helpers

    private typealias AddChdirFunction =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    private typealias AddCloseFromFunction =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// Finds a glibc extension by name. Glibc's headers only declare the `_np` spawn actions under `_GNU_SOURCE`,
    /// which the Swift Glibc module does not define, but the functions themselves are exported.
    private static func lookUpSymbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    /// Throws a `.spawn` error for a nonzero `posix_spawn*` result (these return the error number directly).
    private static func check(_ result: Int32, _ name: String) throws {
        guard result == 0 else {
            throw SpawnError(executable: name, stage: .spawn, errnoCode: result)
        }
    }

    /// Returns `spec.executable` unchanged when it contains a `/`, otherwise its first executable match in `PATH`.
    private static func resolveExecutable(_ spec: SpawnSpec) throws -> String {
        let name = spec.executable
        guard !name.contains("/") else { return name }
        let searchPath =
            spec.environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if !name.isEmpty {
            for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
                let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
                var info = stat()
                if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                    return candidate
                }
            }
        }
        throw SpawnError(executable: name, stage: .lookup(path: searchPath), errnoCode: ENOENT)
    }

    /// Reports a missing or inaccessible working directory by name, which a failed spawn would not.
    private static func checkWorkingDirectory(_ directory: String, name: String) throws {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            throw SpawnError(executable: name, stage: .workingDirectory(directory), errnoCode: errno)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SpawnError(executable: name, stage: .workingDirectory(directory), errnoCode: ENOTDIR)
        }
        guard access(directory, X_OK) == 0 else {
            throw SpawnError(executable: name, stage: .workingDirectory(directory), errnoCode: errno)
        }
    }

    /// Opens `path` for appending (close-on-exec, so only the child's dup2'd copies survive the exec), creating it
    /// and its missing parent directories.
    private static func openLogFile(_ path: String, name: String) throws -> Int32 {
        let failure = { (code: Int32) in SpawnError(executable: name, stage: .logFile(path), errnoCode: code) }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/").dropLast() {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw failure(errno)
            }
            prefix += "/"
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(errno) }
        return descriptor
    }
}
