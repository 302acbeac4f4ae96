import Foundation
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real scheduler as a process: triggers, retries, timeouts, crashes and concurrent CLI writers.
@Suite(.serialized) struct SchedulerProcessTests {
    @Test func triggerWaitRunsExampleETLToSuccess() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let result = try await cli.nightshift("dags", "trigger", "example_etl", "--wait", "--json")
        await cli.stop(scheduler)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(run["state"] as? String == "success")
        let tasks = cli.tasks(of: run)
        #expect(tasks.map { $0["task_id"] as? String } == ["extract", "clean", "enrich", "load", "report"])
        for task in tasks {
            let tries = task["tries"] as? [[String: Any]] ?? []
            #expect(tries.count == 1)
            #expect(tries.first?["exit_status"] as? Int == 0)
            #expect(tries.first?["state"] as? String == "success")
        }
        // The XCom value travelled extract → enrich → load, and load's log says so.
        let runID = try #require(run["run_id"] as? String)
        let log = try await cli.nightshift("tasks", "logs", "example_etl", "--run", runID, "--task", "load")
        #expect(log.stdout.contains("loading 200 enriched rows"))
        let clean = try await cli.nightshift("tasks", "logs", "example_etl", "--run", runID, "--task", "clean")
        #expect(clean.stdout.contains("cleaning eu rows for"))
    }

    @Test func failedTryIsRetriedAfterBackoff() async throws {
        let cli = try CLIHarness(synthetic: "fixture:flaky")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_flaky")
        let run = try await cli.waitForRun(runID)
        await cli.stop(scheduler)
        #expect(run["state"] as? String == "success")
        let tries = cli.tasks(of: run).first?["tries"] as? [[String: Any]] ?? []
        #expect(tries.map { $0["state"] as? String } == ["failed", "success"])
        #expect(tries.first?["exit_status"] as? Int == 1)
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let cli = try CLIHarness(synthetic: "fixture:timeout")
        defer { cli.cleanup() }
        let pidfile = cli.home.path + "/grandchild.pid"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_timeout", conf: "{\"pidfile\": \"\(pidfile)\"}")
        let run = try await cli.waitForRun(runID, timeout: .seconds(30))
        await cli.stop(scheduler)
        #expect(run["state"] as? String == "failed")
        let attempt = try #require((cli.tasks(of: run).first?["tries"] as? [[String: Any]])?.first)
        #expect(attempt["error"] as? String == "timed out after 1 s")
        let grandchild = try #require(Int32(try String(contentsOfFile: pidfile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let gone = await eventually(timeout: .seconds(5)) { !isLiveProcess(grandchild) }
        #expect(gone, "grandchild sleep \(grandchild) outlived its timed-out try")
    }

    @Test func sigkilledTryIsReapedAndRetried() async throws {
        let cli = try CLIHarness(synthetic: "fixture:killme")
        defer { cli.cleanup() }
        let pidfile = cli.home.path + "/victim.pid"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_killme", conf: "{\"pidfile\": \"\(pidfile)\"}")
        let written = await eventually(timeout: .seconds(20)) { (try? String(contentsOfFile: pidfile, encoding: .utf8))?.hasSuffix("\n") == true }
        #expect(written)
        let victim = try #require(Int32(try String(contentsOfFile: pidfile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(victim, SIGKILL) == 0)
        let run = try await cli.waitForRun(runID)
        await cli.stop(scheduler)
        #expect(run["state"] as? String == "success")
        let tries = cli.tasks(of: run).first?["tries"] as? [[String: Any]] ?? []
        #expect(tries.map { $0["state"] as? String } == ["failed", "success"])
        #expect(tries.first?["exit_status"] as? Int == 137, "SIGKILL is reported as 128 + 9")
    }

    @Test("Tries are forked from a fork server as fresh processes, and a killed server is replaced")
    func forkServerTries() async throws {
        let cli = try CLIHarness(synthetic: "fixture:forkserver")
        defer { cli.cleanup() }
        let out = cli.home.path + "/forkserver.txt"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_forkserver", conf: "{\"out\": \"\(out)\"}")
        let run = try await cli.waitForRun(runID)
        await cli.stop(scheduler)
        #expect(run["state"] as? String == "success")
        #expect(cli.tasks(of: run).map { $0["state"] as? String } == ["success", "success", "success"])
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        func value(_ prefix: String, _ key: String) -> String? {
            lines.first { $0.hasPrefix(prefix + " ") }?.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        // A try leads its own process group, and its parent is the fork server (not the scheduler).
        let tryPID = try #require(value("inspect", "pid"))
        #expect(value("inspect", "pgid") == tryPID)
        let server = try #require(value("inspect", "server"))
        #expect(server != String(scheduler.pid))
        #expect(lines.contains { $0.hasPrefix("inspect server_cmdline=") && $0.hasSuffix(" tasks fork-server ") })
        // The environment a try passes on to its command has its own ids and nothing of the server's plumbing.
        let environment = try #require(lines.first { $0.hasPrefix("inspect try_env=") })
        #expect(environment == "inspect try_env=NIGHTSHIFT_TASK_ID=inspect NIGHTSHIFT_TRY_NUMBER=1 ")
        // `crash` killed the server it came from and still succeeded; `after` came from a new server.
        #expect(value("crash", "server") == server)
        let replacement = try #require(value("after", "server"))
        #expect(replacement != server && replacement != String(scheduler.pid))
    }

    @Test("Spawn-ahead: a standby killed while it waits is replaced, never runs a try, and none outlives the scheduler")
    func standbyKilledIsReplaced() async throws {
        let cli = try CLIHarness(synthetic: "fixture:standby")
        defer { cli.cleanup() }
        let out = cli.home.path + "/standby.txt"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_standby", conf: "{\"out\": \"\(out)\"}")
        let run = try await cli.waitForRun(runID)
        #expect(run["state"] as? String == "success")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        func value(_ prefix: String, _ key: String) -> String? {
            guard let line = lines.first(where: { $0.hasPrefix(prefix + " ") }), let range = line.range(of: " \(key)=") else { return nil }
            let rest = line[range.upperBound...]
            return key == "standby" ? rest.trimmingCharacters(in: .whitespaces) : rest.split(separator: " ").first.map(String.init)
        }
        // While `first` ran, its server already had the next try's process waiting beside it; `first` killed it.
        let killed = try #require(value("first", "standby")).split(separator: " ").map(String.init)
        #expect(!killed.isEmpty)
        let server = try #require(value("first", "server"))
        // The server survived its standby's death and gave `second` and `third` processes of their own.
        #expect(value("second", "server") == server && value("third", "server") == server)
        let tries = [value("first", "try"), value("second", "try"), value("third", "try")].compactMap { $0 }
        #expect(Set(tries).count == 3)
        #expect(Set(tries).isDisjoint(with: killed))
        let waiting = try #require(value("third", "standby")).split(separator: " ").compactMap { Int32($0) }
        #expect(!waiting.isEmpty)
        // The scheduler stops: the server stops, and the standby waiting for a fourth try goes with it.
        await cli.stop(scheduler)
        let deadline = Date().addingTimeInterval(30)
        func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 && !((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") ?? true) }
        while Date() < deadline, (waiting + [Int32(server) ?? 0]).contains(where: alive) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!waiting.contains(where: alive), "standby \(waiting) outlived its server")
        #expect(!alive(Int32(server) ?? 0), "fork server \(server) outlived the scheduler")
    }

    @Test func schedulerKilledMidRunFinishesItAfterRestart() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let marker = cli.home.path + "/marks.txt"
        let first = try cli.startScheduler()
        let runID = try await cli.trigger("example_params", conf: "{\"sleep_ms\": 2500, \"marker_file\": \"\(marker)\"}")
        // Wait until the fan-out is running, then kill the scheduler without warning.
        let fanRunning = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
            let run = try await cli.runJSON(runID)
            return cli.tasks(of: run).filter { ($0["task_id"] as? String ?? "").hasPrefix("sleep_") && $0["state"] as? String == "running" }.count >= 4
        }
        #expect(fanRunning)
        #expect(kill(first.pid, SIGKILL) == 0)
        _ = await first.finish()
        let second = try cli.startScheduler()
        let run = try await cli.waitForRun(runID)
        await cli.stop(second)
        #expect(run["state"] as? String == "success")
        for task in cli.tasks(of: run) {
            let tries = task["tries"] as? [[String: Any]] ?? []
            #expect(tries.filter { $0["state"] as? String == "success" }.count == 1, "\(task["task_id"] ?? "?") tries: \(tries)")
            #expect(tries.count == 1, "no task ran twice: \(task["task_id"] ?? "?")")
        }
        let lines = try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 10, "one marker line per task: \(lines)")
        #expect(Set(lines.map { $0.split(separator: " ")[2] }).count == 10)
        #expect(lines.allSatisfy { $0.hasPrefix("example_params \(runID) ") && $0.hasSuffix(" 1") })
    }

    @Test func sigtermLeavesRunningTriesForTheNextScheduler() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let first = try cli.startScheduler(shutdownGrace: "0.2")
        let runID = try await cli.trigger("example_params", conf: "{\"sleep_ms\": 3000}")
        let startRunning = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
            cli.tasks(of: try await cli.runJSON(runID)).first?["state"] as? String == "running"
        }
        #expect(startRunning)
        #expect(kill(first.pid, SIGTERM) == 0)
        let stopped = await first.finish()
        #expect(stopped.exitCode == 0, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("Leaving running tries for the next scheduler to adopt"))
        // The try outlived its scheduler; the next one adopts it and finishes the run with one try per task.
        #expect(cli.tasks(of: try await cli.runJSON(runID)).first?["state"] as? String == "running")
        let second = try cli.startScheduler()
        let run = try await cli.waitForRun(runID)
        let log = await { () -> CommandResult in
            kill(second.pid, SIGTERM)
            return await second.finish()
        }()
        #expect(run["state"] as? String == "success")
        #expect(cli.tasks(of: run).allSatisfy { ($0["tries"] as? [Any])?.count == 1 })
        #expect(log.stderr.contains("Adopted a running try"))
    }

    @Test func twentyConcurrentTriggersAreAllRecorded() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
            for _ in 0..<20 {
                group.addTask { try await cli.nightshift("dags", "trigger", "example_params", "--conf", "{\"sleep_ms\": 10}", "--json") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.exitCode == 0 }, "\(results.map(\.stderr))")
        #expect(!results.contains { $0.stderr.localizedCaseInsensitiveContains("locked") })
        let ids = Set(results.compactMap { result in
            (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["run_id"] as? String
        })
        #expect(ids.count == 20)
        let listed = try await cli.nightshift("runs", "list", "--dag", "example_params", "--limit", "100", "--json")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(Set(runs.compactMap { $0["run_id"] as? String }) == ids)
        for id in ids { #expect(try await cli.waitForRun(id, timeout: .seconds(120))["state"] as? String == "success") }
        await cli.stop(scheduler)
    }
}

/// True while `pid` exists and is not a zombie.
func isLiveProcess(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}
