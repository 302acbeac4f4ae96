import Foundation
import NightshiftTesting
import Testing

/// The CLI commands a person uses between runs: test, backfill, clear, pause, show, logs.
@Suite struct CLICommandTests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func tasksTestRunsInlineAndWritesNoState() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let extract = try await cli.nightshift("tasks", "test", "example_etl", "extract", "--conf", "{\"rows\": 7}")
        #expect(extract.exitCode == 0, "\(extract.stderr)")
        #expect(extract.stdout.contains("extracted 7 rows"))
        #expect(extract.stdout.contains("xcom push rows = 7"))
        let marker = cli.home.path + "/test-marks"
        let shell = try await cli.nightshift(
            "tasks", "test", "example_params", "start", "--logical-date", "2026-01-02", "--conf", "{\"sleep_ms\": 1, \"marker_file\": \"\(marker)\"}")
        #expect(shell.exitCode == 0, "\(shell.stderr)")
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "example_params test__2026-01-02T00:00:00+00:00 start 1\n")
        let runs = try await cli.nightshift("runs", "list", "--json")
        #expect(try json(runs.stdout) as? [Any] == nil || (try json(runs.stdout) as? [Any])!.isEmpty)
    }

    @Test func tasksTestOfAFailingTaskExits1() async throws {
        let cli = try CLIHarness(synthetic: "fixture:flaky")
        defer { cli.cleanup() }
        let result = try await cli.nightshift("tasks", "test", "fixture_flaky", "flaky")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("try 1"))
        #expect(result.stderr.contains("task fixture_flaky.flaky failed: command exit 1"))
        let unknown = try await cli.nightshift("tasks", "test", "fixture_flaky", "nope")
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("DAG 'fixture_flaky' has no task 'nope'; tasks: flaky"))
    }

    @Test func backfillCreatesOneRunPerTickOnce() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let first = try await cli.nightshift("dags", "backfill", "example_etl", "--from", "2026-01-01", "--to", "2026-01-03T23:59", "--json")
        #expect(first.exitCode == 0, "\(first.stderr)")
        let created = try #require(try json(first.stdout) as? [String: [String]])
        #expect(created["created"] == ["backfill__2026-01-01T03:00:00+00:00", "backfill__2026-01-02T03:00:00+00:00", "backfill__2026-01-03T03:00:00+00:00"])
        let again = try await cli.nightshift("dags", "backfill", "example_etl", "--from", "2026-01-01", "--to", "2026-01-03T23:59", "--json")
        let second = try #require(try json(again.stdout) as? [String: [String]])
        #expect(second["created"] == [])
        #expect(second["existing"]?.count == 3)
        let run = try await cli.runJSON("backfill__2026-01-02T03:00:00+00:00")
        #expect(run["data_interval_start"] as? String == "2026-01-01T03:00:00+00:00")
        #expect(run["run_type"] as? String == "backfill")
    }

    @Test func pauseAndUnpauseShowInDAGList() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        #expect(try await cli.nightshift("dags", "pause", "example_etl").exitCode == 0)
        let listed = try #require(try json(try await cli.nightshift("dags", "list", "--json").stdout) as? [[String: Any]])
        #expect(listed.first { $0["dag_id"] as? String == "example_etl" }?["paused"] as? Bool == true)
        #expect(listed.first { $0["dag_id"] as? String == "example_etl" }?["schedule_text"] as? String == "every day at 03:00 UTC")
        #expect(try await cli.nightshift("dags", "unpause", "example_etl").exitCode == 0)
        let again = try #require(try json(try await cli.nightshift("dags", "list", "--json").stdout) as? [[String: Any]])
        #expect(again.first { $0["dag_id"] as? String == "example_etl" }?["paused"] as? Bool == false)
    }

    @Test func clearWithDownstreamRunsTasksAgain() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("example_etl")
        #expect(try await cli.waitForRun(runID)["state"] as? String == "success")
        let cleared = try await cli.nightshift("tasks", "clear", "example_etl", "--run", runID, "--task", "enrich", "--downstream")
        #expect(cleared.exitCode == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("cleared 3 task instance(s) of \(runID): enrich, load, report"))
        let done = await eventually(timeout: .seconds(30)) {
            guard let run = try? await cli.runJSON(runID), run["state"] as? String == "success" else { return false }
            return cli.tasks(of: run).first { $0["task_id"] as? String == "report" }?["try_number"] as? Int == 2
        }
        await cli.stop(scheduler)
        #expect(done)
        let run = try await cli.runJSON(runID)
        let tries = Dictionary(uniqueKeysWithValues: cli.tasks(of: run).map { ($0["task_id"] as? String ?? "", ($0["tries"] as? [Any])?.count ?? 0) })
        #expect(tries == ["extract": 1, "clean": 1, "enrich": 2, "load": 2, "report": 2])
        let logs = try await cli.nightshift("tasks", "logs", "example_etl", "--run", runID, "--task", "report", "--try", "2")
        #expect(logs.stdout.contains("try 2 of example_etl.report"))
        let missing = try await cli.nightshift("tasks", "logs", "example_etl", "--run", runID, "--task", "report", "--try", "9")
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("no try 9 of task 'report'; tries: 1, 2"))
    }

    @Test func logsFollowStreamsUntilTheTryEnds() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("example_params", conf: "{\"sleep_ms\": 3000}")
        let started = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
            ["running", "success"].contains(cli.tasks(of: try await cli.runJSON(runID)).first?["state"] as? String ?? "")
        }
        #expect(started)
        let followed = try await cli.nightshift("tasks", "logs", "example_params", "--run", runID, "--task", "start", "--follow")
        await cli.stop(scheduler)
        #expect(followed.exitCode == 0)
        #expect(followed.stdout.contains("try 1 of example_params.start"))
        #expect(followed.stdout.contains("try succeeded in"), "--follow returned before the try ended: \(followed.stdout)")
    }

    @Test func dagsShowJSONHasStructure() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let shown = try #require(try json(try await cli.nightshift("dags", "show", "example_params", "--json").stdout) as? [String: Any])
        #expect(shown["schedule_text"] as? String == "manual (triggered only)")
        let structure = try #require(shown["structure"] as? [String: Any])
        let tasks = try #require(structure["tasks"] as? [[String: Any]])
        #expect(tasks.count == 10)
        #expect(tasks.last?["upstream"] as? [String] == (1...8).map { "sleep_\($0)" })
    }
}
