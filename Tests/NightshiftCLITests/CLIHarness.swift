import Foundation
import Synchronization
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A temporary home plus helpers to drive the real `nightshift` binary against it.
struct CLIHarness {
    let home: TemporaryHome
    var environment: [String: String]
    /// Schedulers this harness started, killed by ``cleanup()`` even when a test throws before stopping them.
    private let started = StartedProcesses()

    init(synthetic: String? = nil) throws {
        home = try TemporaryHome("cli")
        environment = ["NIGHTSHIFT_HOME": home.path]
        if let synthetic { environment["NIGHTSHIFT_SYNTHETIC_DAGS"] = synthetic }
    }

    func nightshift(_ arguments: String...) async throws -> CommandResult {
        try await CommandRunner.nightshift(arguments, environment: environment)
    }

    func nightshift(_ arguments: [String]) async throws -> CommandResult {
        try await CommandRunner.nightshift(arguments, environment: environment)
    }

    /// Starts `nightshift scheduler` as a real process.
    func startScheduler(shutdownGrace: String = "1") throws -> RunningCommand {
        let scheduler = try CommandRunner.start(
            CommandRunner.nightshiftBinary, ["scheduler", "--shutdown-grace", shutdownGrace], environment: environment)
        started.add(scheduler)
        return scheduler
    }

    /// Kills any scheduler still running and removes the home: call it in `defer`.
    func cleanup() {
        for scheduler in started.all() where scheduler.process.isRunning { kill(scheduler.pid, SIGKILL) }
        home.remove()
    }

    /// `runs show RUN --json`, parsed.
    func runJSON(_ runID: String) async throws -> [String: Any] {
        let result = try await nightshift("runs", "show", runID, "--json")
        #expect(result.exitCode == 0, "runs show failed: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func tasks(of run: [String: Any]) -> [[String: Any]] { run["tasks"] as? [[String: Any]] ?? [] }

    /// Triggers a run and returns its id.
    func trigger(_ dagID: String, conf: String? = nil) async throws -> String {
        var arguments = ["dags", "trigger", dagID, "--json"]
        if let conf { arguments += ["--conf", conf] }
        let result = try await nightshift(arguments)
        #expect(result.exitCode == 0, "trigger failed: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["run_id"] as? String)
    }

    /// Waits (bounded) until the run reaches a finished state and returns it.
    func waitForRun(_ runID: String, timeout: Duration = .seconds(60)) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        let finished = try await eventually(timeout: timeout, every: .milliseconds(100)) {
            last = try await runJSON(runID)
            return ["success", "failed"].contains(last["state"] as? String ?? "")
        }
        #expect(finished, "run \(runID) did not finish: \(last)")
        return last
    }

    func stop(_ scheduler: RunningCommand) async {
        kill(scheduler.pid, SIGTERM)
        _ = await scheduler.finish()
    }
}

/// Processes a test started.
final class StartedProcesses: Sendable {
    private let commands = Mutex<[RunningCommand]>([])
    func add(_ command: RunningCommand) { commands.withLock { $0.append(command) } }
    func all() -> [RunningCommand] { commands.withLock { $0 } }
}
