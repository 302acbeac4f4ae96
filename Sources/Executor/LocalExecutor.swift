public import Foundation
public import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// Runs every try in a child process of its own: `nightshift tasks run DAG TASK --run RUN --try N --home HOME`, leading
/// its own process group, with stdout and stderr appended to the try's log. A timeout kills the whole group.
public struct LocalExecutor: TryExecutor {
    /// The `nightshift` binary the children run (normally this process's own executable).
    public let executable: String
    public let home: NightshiftHome
    public let store: StateStore
    /// How long a timed-out try gets between SIGTERM and SIGKILL.
    public var killGrace: Duration
    /// Extra environment for every child.
    public var environment: [String: String]

    public init(executable: String, home: NightshiftHome, store: StateStore, killGrace: Duration = .seconds(3), environment: [String: String] = [:]) {
        self.executable = executable
        self.home = home
        self.store = store
        self.killGrace = killGrace
        self.environment = environment
    }

    /// The path of the running executable (`/proc/self/exe`).
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public func execute(_ launch: TryLaunch) async -> ExecutedTry? {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(self.environment) { _, new in new }
        environment["NIGHTSHIFT_HOME"] = home.root.path
        environment["NIGHTSHIFT_DAG_ID"] = launch.dagID
        environment["NIGHTSHIFT_RUN_ID"] = launch.runID
        environment["NIGHTSHIFT_TASK_ID"] = launch.taskID
        environment["NIGHTSHIFT_TRY_NUMBER"] = String(launch.tryNumber)
        let spec = SpawnSpec(
            executable: executable,
            arguments: [
                "tasks", "run", launch.dagID, launch.taskID, "--run", launch.runID, "--try", String(launch.tryNumber), "--home",
                home.root.path,
            ],
            environment: environment, workingDirectory: nil, output: .appendToFile(launch.logPath), newProcessGroup: true)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(spec)
        } catch {
            return ExecutedTry(observed: .failed(exitStatus: nil, error: "\(error)"), exitStatus: nil)
        }
        try? await store.recordProcess(
            runID: launch.runID, taskID: launch.taskID, tryNumber: launch.tryNumber, pid: child.pid, pgid: child.processGroup,
            procStart: child.startTime)
        guard let (status, timedOut) = await Self.wait(for: ExitWaiter(child), group: child.processGroup, timeout: launch.timeout, killGrace: killGrace)
        else { return nil }  // cancelled (scheduler shutting down): the try keeps running and is adopted on the next start
        child.signalGroup(SIGKILL)  // no orphan grandchildren outlive their try
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
