public import Foundation
public import Store
import Synchronization
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// Runs every try in a child process of its own: `nightshift tasks run DAG TASK --run RUN --try N --home HOME`, leading
/// its own process group, with stdout and stderr appended to the try's log. A timeout kills the whole group.
///
/// By default the processes are forked from a fork server (``Launcher/forkServer``), which saves each try the dynamic
/// loading and relocation of the binary; the server is replaced when the executable file changes (a rebuild, a
/// redeploy), so a try always runs the code at `executable`.
public struct LocalExecutor: TryExecutor {
    /// The `nightshift` binary the children run (normally this process's own executable).
    public let executable: String
    public let home: NightshiftHome
    public let store: StateStore
    /// How long a timed-out try gets between SIGTERM and SIGKILL.
    public var killGrace: Duration
    /// Extra environment for every child.
    public var environment: [String: String]
    /// The fork server the tries are forked from (nil: every try is executed with `posix_spawn`).
    private let forkServer: ForkServerSlot?

    /// How a try's process is started.
    public enum Launcher: String, Sendable, CaseIterable {
        /// A warm fork server that also spawns ahead: it keeps one child forked before the next try is asked for, which
        /// opens its store connection and waits for its assignment, so a try's own start-up overlaps the previous try.
        /// Each try is still a fresh process; a standby that dies is replaced. Needs what ``warmForkServer`` needs.
        case spawnAhead = "spawn-ahead"
        /// Forked from a warm fork server: a copy of `executable` that has done its dynamic loading and relocation,
        /// built and validated its DAGs and run once through the code every try runs, before it forks a fresh process
        /// per try. Needs a binary whose `main.swift` calls `Nightshift.main` without `await` (the server must still
        /// have one thread when it forks); with any other binary the server refuses and tries are spawned.
        case warmForkServer = "warm-fork-server"
        /// Forked from a fork server that has done only the dynamic loading and relocation (any Nightshift binary).
        case forkServer = "fork-server"
        /// `posix_spawn` of `executable` for every try.
        case spawn
    }

    public init(
        executable: String, home: NightshiftHome, store: StateStore, killGrace: Duration = .seconds(3), environment: [String: String] = [:],
        launcher: Launcher = .forkServer
    ) {
        self.executable = executable
        self.home = home
        self.store = store
        self.killGrace = killGrace
        self.environment = environment
        self.forkServer = launcher == .spawn ? nil : ForkServerSlot(warm: launcher != .forkServer, standby: launcher == .spawnAhead)
    }

    /// The path of the running executable (`/proc/self/exe`).
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public func execute(_ launch: TryLaunch) async -> ExecutedTry? {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(self.environment) { _, new in new }
        environment["NIGHTSHIFT_HOME"] = home.root.path
        let perTry = [
            "NIGHTSHIFT_DAG_ID": launch.dagID, "NIGHTSHIFT_RUN_ID": launch.runID, "NIGHTSHIFT_TASK_ID": launch.taskID,
            "NIGHTSHIFT_TRY_NUMBER": String(launch.tryNumber),
        ]
        let arguments = [
            "tasks", "run", launch.dagID, launch.taskID, "--run", launch.runID, "--try", String(launch.tryNumber), "--home", home.root.path,
        ]
        if let forkServer, let server = forkServer.server(executable: executable, environment: environment) {
            do {
                let child = try await server.spawn(arguments: arguments, environment: perTry, logPath: launch.logPath, executable: executable)
                return await supervise(launch, pid: child.pid, startTime: child.startTime, exit: child.exit)
            } catch {
                forkServer.failed(server)  // started as before, below; a server that is gone is replaced at the next try
            }
        }
        environment.merge(perTry) { _, new in new }
        let spec = SpawnSpec(
            executable: executable, arguments: arguments, environment: environment, workingDirectory: nil, output: .appendToFile(launch.logPath),
            newProcessGroup: true)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(spec)
        } catch {
            return ExecutedTry(observed: .failed(exitStatus: nil, error: "\(error)"), exitStatus: nil)
        }
        return await supervise(launch, pid: child.pid, startTime: child.startTime, exit: ExitWaiter(child))
    }

    /// Records a started try's process, waits for it within its timeout, then kills what is left of its group.
    /// - Returns: nil when cancelled first (the scheduler is shutting down: the try keeps running and is adopted later).
    private func supervise(_ launch: TryLaunch, pid: Int32, startTime: UInt64?, exit: ExitWaiter) async -> ExecutedTry? {
        try? await store.recordProcess(
            runID: launch.runID, taskID: launch.taskID, tryNumber: launch.tryNumber, pid: pid, pgid: pid, procStart: startTime)
        guard let (status, timedOut) = await Self.wait(for: exit, group: pid, timeout: launch.timeout, killGrace: killGrace) else { return nil }
        _ = kill(-pid, SIGKILL)  // no orphan grandchildren outlive their try (the try leads its own group)
        if timedOut, let timeout = launch.timeout {
            return ExecutedTry(observed: .timedOut(after: timeout.seconds), exitStatus: status.code)
        }
        if status.succeeded { return ExecutedTry(observed: .success, exitStatus: 0) }
        return ExecutedTry(observed: .failed(exitStatus: status.code, error: "task process \(status)"), exitStatus: status.code)
    }

    /// Waits for a child; past `timeout` kills its process group (SIGTERM, then SIGKILL after `killGrace`).
    /// - Returns: nil when the calling task is cancelled before the child exits.
    static func wait(for exit: ExitWaiter, group processGroup: Int32, timeout: Duration?, killGrace: Duration) async
        -> (ExitStatus, timedOut: Bool)?
    {
        guard let timeout else { return await exit.value().map { ($0, false) } }
        enum Event: Sendable { case exited(ExitStatus?), timedOut }
        let first = await withTaskGroup(of: Event.self) { group in
            group.addTask { .exited(await exit.value()) }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                } catch {
                    return .exited(nil)
                }
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        switch first {
        case .exited(let status):
            return status.map { ($0, false) }
        case .timedOut:
            await ProcessTable.killGroup(processGroup, grace: killGrace)
            return await exit.value().map { ($0, true) }
        }
    }
}

extension TryExecutor {
    /// Watches a try whose process this executor did not start (adopted after a scheduler restart) until it is gone,
    /// killing its group if it outlives `deadline`.
    /// - Returns: nil when the calling task is cancelled first.
    /// - Parameters:
    ///   - deadline: when the try's timeout runs out (its start plus `timeout`).
    ///   - timeout: the try's timeout, for the record.
    public func watch(
        pid: Int32, pgid: Int32?, procStart: UInt64?, deadline: Date?, timeout: Duration?, poll: Duration = .milliseconds(100)
    ) async -> ExecutedTry? {
        while ProcessTable.isAlive(pid: pid, startTime: procStart) {
            if let deadline, Date() >= deadline {
                await ProcessTable.killGroup(pgid ?? pid, grace: .seconds(3))
                return ExecutedTry(observed: .timedOut(after: timeout?.seconds ?? 0), exitStatus: nil)
            }
            do { try await Task.sleep(for: poll) } catch { return nil }
        }
        // A try this process started before it re-executed itself (a reload) is still its child: reap the zombie and
        // keep its exit status. For anyone else's process waitpid fails with ECHILD and changes nothing.
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return ExecutedTry(
                observed: exit == 0 ? .success : .failed(exitStatus: exit, error: "task process \(pid) exited with status \(exit) across a scheduler reload"),
                exitStatus: exit)
        }
        return ExecutedTry(
            observed: .processLost("task process \(pid) exited while no scheduler watched it, without recording an outcome"),
            exitStatus: nil)
    }
}

/// The executor's current fork server: started on first use, replaced when the executable file or the environment
/// changes or the server goes away, given up for an executable whose server refuses to start (then every try is
/// spawned). The server stops with the executor (when the last copy of it goes away).
final class ForkServerSlot: Sendable {
    private struct State {
        var server: ForkServer?
        var refused: ForkServer.FileIdentity?
    }

    private let state = Mutex(State())
    private let warm: Bool
    private let standby: Bool

    init(warm: Bool, standby: Bool) {
        self.warm = warm
        self.standby = standby
    }

    deinit {
        state.withLock { $0.server?.stop() }
    }

    func server(executable: String, environment: [String: String]) -> ForkServer? {
        guard let identity = ForkServer.FileIdentity(path: executable) else { return nil }
        return state.withLock { state in
            if let server = state.server, server.identity == identity, server.environment == environment, server.isUsable { return server }
            state.server?.stop()
            state.server = nil
            guard state.refused != identity else { return nil }
            state.server = try? ForkServer.start(executable: executable, environment: environment, warm: warm, standby: standby)
            return state.server
        }
    }

    /// A spawn through `server` failed: a server that never became usable is not tried again for the same file.
    func failed(_ server: ForkServer) {
        state.withLock { state in
            guard !server.isUsable, state.server === server else { return }
            if server.neverReady { state.refused = server.identity }
            server.stop()
            state.server = nil
        }
    }
}
