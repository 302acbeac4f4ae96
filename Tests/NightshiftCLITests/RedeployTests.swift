import Foundation
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A scheduler that re-executes itself when its binary changes (or on SIGHUP / `scheduler --reload`) and loses no run.
///
/// The "builds" here are two launchers of the same binary that differ in the DAG definition they hand it (synthetic
/// fixture v1 or v2, through the environment), deployed the way releases often are: a `current` symlink swapped
/// atomically. The starter-package check in `scripts/starter-check` does the same with a real rebuild.
@Suite(.serialized) struct RedeployTests {
    /// `bin/current` → `v1` or `v2`, each a launcher that keeps `current` as the binary's argv[0].
    struct Deployment {
        let directory: URL
        var current: String { directory.appendingPathComponent("current").path }

        init(in home: TemporaryHome) throws {
            directory = home.url.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for version in ["v1", "v2"] {
                let script = """
                    #!/bin/bash
                    export NIGHTSHIFT_SYNTHETIC_DAGS=fixture:redeploy_\(version)
                    exec -a "$0" \(CommandRunner.nightshiftBinary) "$@"

                    """
                let path = directory.appendingPathComponent(version).path
                try script.write(toFile: path, atomically: true, encoding: .utf8)
                chmod(path, 0o755)
            }
            try deploy("v1")
        }

        /// Points `current` at `version` in one rename, as a deploy tool would.
        func deploy(_ version: String) throws {
            let staged = directory.appendingPathComponent("current.new").path
            unlink(staged)
            guard symlink(directory.appendingPathComponent(version).path, staged) == 0, rename(staged, current) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
    }

    @Test func newBuildIsPickedUpMidRunWithoutLosingATry() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let deployment = try Deployment(in: cli.home)
        let gate = cli.home.path + "/gate"
        let scheduler = try CommandRunner.start(deployment.current, ["scheduler", "--shutdown-grace", "1"], environment: cli.environment)
        defer { if scheduler.process.isRunning { kill(scheduler.pid, SIGKILL) } }
        let trigger = try await CommandRunner.run(
            deployment.current, ["dags", "trigger", "fixture_redeploy", "--json", "--conf", "{\"gate\": \"\(gate)\"}"],
            environment: cli.environment)
        #expect(trigger.exitCode == 0, "\(trigger.stderr)")
        let runID = try #require(
            (try JSONSerialization.jsonObject(with: Data(trigger.stdout.utf8)) as? [String: Any])?["run_id"] as? String)
        let holding = try await eventually(timeout: .seconds(120)) {
            cli.tasks(of: try await cli.runJSON(runID)).first { $0["task_id"] as? String == "hold" }?["state"] as? String == "running"
        }
        #expect(holding)
        let created = try #require((try await cli.runJSON(runID))["definition"] as? [String: Any])
        let v1 = try #require(created["fingerprint"] as? String)

        try deployment.deploy("v2")
        let changed = try await eventually(timeout: .seconds(120)) {
            let definition = (try await cli.runJSON(runID))["definition"] as? [String: Any]
            return !((definition?["changes"] as? [Any]) ?? []).isEmpty
        }
        guard changed, scheduler.process.isRunning else {
            kill(scheduler.pid, SIGKILL)
            let output = await scheduler.finish()
            Issue.record("the scheduler did not reload within 120 s (or exited): \(output.stderr.suffix(3000))")
            return
        }
        _ = FileManager.default.createFile(atPath: gate, contents: Data())

        let run = try await cli.waitForRun(runID, timeout: .seconds(180))
        #expect(run["state"] as? String == "success")
        let tasks = cli.tasks(of: run)
        #expect(tasks.map { $0["task_id"] as? String } == ["hold", "work", "publish"], "publish (added by v2) joined the run")
        for task in tasks {
            let tries = task["tries"] as? [[String: Any]] ?? []
            #expect(tries.map { $0["state"] as? String } == ["success"], "\(task["task_id"] ?? "?"): exactly one successful try")
        }
        let definition = try #require(run["definition"] as? [String: Any])
        #expect(definition["fingerprint"] as? String == v1, "the run keeps the definition it was created under")
        #expect(definition["current"] as? String != v1)
        let change = try #require((definition["changes"] as? [[String: Any]])?.first?["detail"] as? String)
        #expect(change.hasSuffix("added publish; changed work"), "\(change)")
        let work = try await CommandRunner.run(
            deployment.current, ["tasks", "logs", "fixture_redeploy", "--run", runID, "--task", "work"], environment: cli.environment)
        #expect(work.stdout.contains("work v2"), "work started after the reload, so it ran v2's command")
        let text = try await CommandRunner.run(deployment.current, ["runs", "show", runID], environment: cli.environment)
        #expect(text.stdout.contains("definition \(v1) (the DAG's definition is now"))
        #expect(text.stdout.contains("definition changed during the run at"))

        // The new definition is live for the next run, which records it.
        let next = try await CommandRunner.run(
            deployment.current, ["dags", "trigger", "fixture_redeploy", "--json", "--conf", "{\"gate\": \"\(gate)\"}"],
            environment: cli.environment)
        let nextID = try #require((try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any])?["run_id"] as? String)
        let second = try await cli.waitForRun(nextID, timeout: .seconds(180))
        #expect(second["state"] as? String == "success")
        #expect(cli.tasks(of: second).count == 3)
        #expect((second["definition"] as? [String: Any])?["fingerprint"] as? String == definition["current"] as? String)
        kill(scheduler.pid, SIGTERM)
        let output = await scheduler.finish()
        #expect(output.stderr.contains("Re-executing"), "\(output.stderr.suffix(2000))")
    }

    @Test func sighupAndReloadCommandReexecAndAdoptRunningTries() async throws {
        let cli = try CLIHarness(synthetic: "fixture:redeploy_v1")
        defer { cli.cleanup() }
        let gate = cli.home.path + "/gate"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_redeploy", conf: "{\"gate\": \"\(gate)\"}")
        let holding = try await eventually(timeout: .seconds(120)) {
            cli.tasks(of: try await cli.runJSON(runID)).first { $0["task_id"] as? String == "hold" }?["state"] as? String == "running"
        }
        #expect(holding)
        let reload = try await cli.nightshift("scheduler", "--reload")
        #expect(reload.exitCode == 0, "\(reload.stderr)")
        #expect(reload.stdout.contains("asked the scheduler (pid \(scheduler.pid))"))
        try await Task.sleep(for: .seconds(2))  // let the reload happen while `hold` is still running
        _ = FileManager.default.createFile(atPath: gate, contents: Data())
        let run = try await cli.waitForRun(runID, timeout: .seconds(180))
        kill(scheduler.pid, SIGTERM)
        let output = await scheduler.finish()
        #expect(run["state"] as? String == "success")
        for task in cli.tasks(of: run) {
            #expect((task["tries"] as? [[String: Any]] ?? []).map { $0["state"] as? String } == ["success"])
        }
        #expect(output.stderr.contains("reason=SIGHUP") || output.stderr.contains("reason: SIGHUP"), "\(output.stderr.suffix(2000))")
        #expect(output.stderr.contains("Adopted a running try"), "the new image adopted hold: \(output.stderr.suffix(2000))")
    }

    @Test func reloadWithoutASchedulerSaysSo() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("scheduler", "--reload")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("no scheduler has run on \(cli.home.path): nothing to reload"), "\(result.stderr)")
    }

    @Test func brokenNewBuildIsRefusedAndTheRunningDefinitionStays() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let deployment = try Deployment(in: cli.home)
        // A third "build" whose DAG list has a cycle.
        let broken = deployment.directory.appendingPathComponent("broken").path
        try """
            #!/bin/bash
            export NIGHTSHIFT_SYNTHETIC_DAGS=fixture:redeploy_v1,invalid:cycle
            exec -a "$0" \(CommandRunner.nightshiftBinary) "$@"

            """.write(toFile: broken, atomically: true, encoding: .utf8)
        chmod(broken, 0o755)
        // The scheduler's log goes to a file, so the test can wait for the refusal instead of sleeping.
        let log = cli.home.path + "/scheduler.log"
        let scheduler = try CommandRunner.start(
            "/bin/sh", ["-c", "exec \"$0\" scheduler --shutdown-grace 1 2>\"$1\"", deployment.current, log], environment: cli.environment)
        defer { if scheduler.process.isRunning { kill(scheduler.pid, SIGKILL) } }
        let started = await eventually(timeout: .seconds(120)) {
            (try? String(contentsOfFile: log, encoding: .utf8))?.contains("Scheduler started") == true
        }
        #expect(started)
        try deployment.deploy("broken")
        let refused = await eventually(timeout: .seconds(60)) {
            (try? String(contentsOfFile: log, encoding: .utf8))?.contains("New build refused; the running definition stays") == true
        }
        #expect(refused)
        #expect(scheduler.process.isRunning)
        kill(scheduler.pid, SIGTERM)
        _ = await scheduler.finish()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("cycle"), "the reason names the problem: \(output.suffix(2000))")
        #expect(!output.contains("Re-executing"))
    }
}
