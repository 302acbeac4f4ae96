import Foundation
import NightshiftTesting
import Testing

/// Dynamic task mapping through the real scheduler and child processes (`fixture:mapping`: `list` pushes 0 … items-1,
/// `work` and `square` map over it, `total` pulls `square`'s results).
@Suite(.serialized) struct MappingTests {
    private func instances(_ run: [String: Any], _ cli: CLIHarness, task: String) -> [[String: Any]] {
        cli.tasks(of: run).filter { $0["task_id"] as? String == task }
    }

    private func total(_ cli: CLIHarness, _ runID: String) throws -> String {
        try String(contentsOfFile: cli.home.path + "/total-\(runID)", encoding: .utf8)
    }

    @Test func fiftyItemsWithOneInstanceFailingOnceAndRetried() async throws {
        let cli = try CLIHarness(synthetic: "fixture:mapping")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_mapping", conf: #"{"items": 50, "fail_index": 7}"#)
        let run = try await cli.waitForRun(runID, timeout: .seconds(180))
        #expect(run["state"] as? String == "success")
        let work = instances(run, cli, task: "work")
        #expect(work.count == 50)
        #expect(work.compactMap { $0["map_index"] as? Double }.map(Int.init) == Array(0..<50))
        #expect(work.allSatisfy { $0["state"] as? String == "success" })
        let retried = try #require(work.first { $0["map_index"] as? Double == 7 })
        #expect((retried["tries"] as? [[String: Any]])?.map { $0["state"] as? String } == ["failed", "success"])
        #expect(work.filter { $0["map_index"] as? Double != 7 }.allSatisfy { ($0["tries"] as? [Any])?.count == 1 })
        #expect(instances(run, cli, task: "list").first?["map_index"] is NSNull, "an unmapped task's map_index is null")
        #expect(try total(cli, runID) == "50 40425", "the sum of the squares of 0 … 49, pulled as one list")
        // Each instance has its own log.
        let log = try await cli.nightshift("tasks", "logs", "fixture_mapping", "--run", runID, "--task", "work", "--map-index", "7", "--try", "1")
        #expect(log.stdout.contains("item 7"), "\(log.stdout)")
        let text = try await cli.nightshift("runs", "show", runID)
        #expect(text.stdout.contains("work[7]") && text.stdout.contains("work[49]"), "\(text.stdout)")

        // One instance cleared runs again alone.
        let cleared = try await cli.nightshift("tasks", "clear", "fixture_mapping", "--run", runID, "--task", "work", "--map-index", "3")
        #expect(cleared.exitCode == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("cleared 1 task instance(s)") && cleared.stdout.contains("work[3]"), "\(cleared.stdout)")
        let again = try await cli.waitForRun(runID, timeout: .seconds(60))
        #expect(again["state"] as? String == "success")
        let third = try #require(instances(again, cli, task: "work").first { $0["map_index"] as? Double == 3 })
        #expect((third["tries"] as? [Any])?.count == 2)
        #expect(instances(again, cli, task: "work").count == 50)

        // The mapped tasks cleared whole are expanded again (their tries numbered on), over the list as it is now.
        let whole = try await cli.nightshift("tasks", "clear", "fixture_mapping", "--run", runID, "--task", "list", "--downstream")
        #expect(whole.exitCode == 0, "\(whole.stderr)")
        let rerun = try await cli.waitForRun(runID, timeout: .seconds(180))
        #expect(rerun["state"] as? String == "success")
        let reworked = instances(rerun, cli, task: "work")
        #expect(reworked.count == 50)
        #expect(reworked.first { $0["map_index"] as? Double == 7 }.flatMap { ($0["tries"] as? [Any])?.count } == 3)
        #expect(reworked.first { $0["map_index"] as? Double == 0 }.flatMap { ($0["tries"] as? [Any])?.count } == 2)
        #expect(try total(cli, runID) == "50 40425")
        await cli.stop(scheduler)
    }

    @Test func oneItemAndNoItems() async throws {
        let cli = try CLIHarness(synthetic: "fixture:mapping")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let one = try await cli.trigger("fixture_mapping", conf: #"{"items": 1}"#)
        let oneRun = try await cli.waitForRun(one, timeout: .seconds(60))
        #expect(oneRun["state"] as? String == "success")
        #expect(instances(oneRun, cli, task: "work").map { $0["map_index"] as? Double } == [0])
        #expect(try total(cli, one) == "1 0")

        let none = try await cli.trigger("fixture_mapping", conf: #"{"items": 0}"#)
        let noneRun = try await cli.waitForRun(none, timeout: .seconds(60))
        #expect(noneRun["state"] as? String == "success")
        for task in ["work", "square"] {
            let group = instances(noneRun, cli, task: task)
            #expect(group.count == 1 && group.first?["state"] as? String == "skipped")
            #expect(group.first?["note"] as? String == "mapped over an empty list (list.return_value)")
        }
        #expect(try total(cli, none) == "0 0", "none_failed: the task after an empty mapping runs and pulls an empty list")
        await cli.stop(scheduler)
    }

    @Test func aListOverTheLimitFailsTheTaskThatPushedIt() async throws {
        let cli = try CLIHarness(synthetic: "fixture:mapping")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_mapping", conf: #"{"items": 61}"#)
        let run = try await cli.waitForRun(runID, timeout: .seconds(60))
        #expect(run["state"] as? String == "failed")
        let list = try #require(instances(run, cli, task: "list").first)
        #expect(list["state"] as? String == "failed")
        let error = (list["tries"] as? [[String: Any]])?.last?["error"] as? String ?? ""
        #expect(error.contains("pushed a list of 61 items under 'return_value', over the mapping limit of 60 of task 'work'"), "\(error)")
        #expect(instances(run, cli, task: "work").first?["state"] as? String == "upstream_failed")
        await cli.stop(scheduler)
    }

    @Test func mapIndexNeedsAMappedTask() async throws {
        let cli = try CLIHarness(synthetic: "fixture:mapping")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_mapping", conf: #"{"items": 2}"#)
        _ = try await cli.waitForRun(runID, timeout: .seconds(60))
        await cli.stop(scheduler)
        let unmapped = try await cli.nightshift("tasks", "clear", "fixture_mapping", "--run", runID, "--task", "list", "--map-index", "0")
        #expect(unmapped.exitCode == 2)
        #expect(unmapped.stderr.contains("invalid --map-index 0: task 'list' is not mapped"), "\(unmapped.stderr)")
        let alone = try await cli.nightshift("tasks", "clear", "fixture_mapping", "--run", runID, "--map-index", "0")
        #expect(alone.exitCode == 2)
        #expect(alone.stderr.contains("give the mapped task with --task"), "\(alone.stderr)")
        let missing = try await cli.nightshift("tasks", "clear", "fixture_mapping", "--run", runID, "--task", "work", "--map-index", "9")
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("has no task 'work[9]'"), "\(missing.stderr)")
    }
}
