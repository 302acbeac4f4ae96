import Foundation
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `runTimeout` through the real scheduler: the run fails, its running try's process group is ended, its other tasks
/// are skipped, and `runs show` says why.
@Suite(.serialized) struct RunTimeoutTests {
    @Test func aRunPastItsTimeoutFailsAndItsTriesAreEnded() async throws {
        let cli = try CLIHarness(synthetic: "fixture:runtimeout")
        defer { cli.cleanup() }
        let pidfile = cli.home.path + "/sleep.pid"
        let scheduler = try cli.startScheduler()
        let started = Date()
        let runID = try await cli.trigger("fixture_runtimeout", conf: "{\"pidfile\": \"\(pidfile)\"}")
        let run = try await cli.waitForRun(runID, timeout: .seconds(30))
        let took = Date().timeIntervalSince(started)
        #expect(run["state"] as? String == "failed")
        #expect(run["note"] as? String == "timed out after 2 s")
        #expect(took >= 2, "not failed before its timeout (\(took) s from the trigger)")
        // At its timeout: the run's own start to end (how long it waited to start depends on the machine's load).
        let duration = try #require(run["duration_s"] as? Double)
        #expect(duration >= 2 && duration < 8, "the run's own start to end: \(duration) s")
        let tasks = Dictionary(uniqueKeysWithValues: cli.tasks(of: run).map { ($0["task_id"] as? String ?? "", $0) })
        #expect(tasks["hang"]?["state"] as? String == "failed")
        #expect(((tasks["hang"]?["tries"] as? [[String: Any]])?.first?["error"] as? String) == "timed out after 2 s")
        #expect(tasks["after"]?["state"] as? String == "skipped")
        let sleeper = try #require(Int32(try String(contentsOfFile: pidfile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let gone = await eventually(timeout: .seconds(10)) { !isLiveProcess(sleeper) }
        #expect(gone, "the try's process group (sleep \(sleeper)) was ended")
        let text = try await cli.nightshift("runs", "show", runID)
        #expect(text.stdout.contains("failed: timed out after 2 s"), "\(text.stdout)")
        #expect(scheduler.process.isRunning)
        // The try's own late end changes nothing: the run stays failed with its note.
        try await Task.sleep(for: .seconds(1))
        #expect(try await cli.runJSON(runID)["note"] as? String == "timed out after 2 s")
        let events = try await cli.nightshift("events", "list", "--json")
        #expect(events.stdout.contains("run_timed_out"))
        await cli.stop(scheduler)
    }
}
