import Foundation
import NightshiftTesting
import Testing

/// Sensors through the real scheduler and child processes. The fixtures put a file sensor (`wait`, weight 10) and an
/// independent task `other` in a pool of one slot; `other` writes the time it ran to `params.marker`.
@Suite(.serialized) struct SensorTests {
    private func tries(_ task: [String: Any]?) -> [[String: Any]] { task?["tries"] as? [[String: Any]] ?? [] }

    private func byID(_ run: [String: Any], _ cli: CLIHarness) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: cli.tasks(of: run).map { ($0["task_id"] as? String ?? "", $0) })
    }

    @Test func aRescheduleSensorHoldsNoSlotBetweenPokes() async throws {
        let cli = try CLIHarness(synthetic: "fixture:sensor")
        defer { cli.cleanup() }
        let gate = cli.home.path + "/gate", marker = cli.home.path + "/marker"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_sensor", conf: "{\"gate\": \"\(gate)\", \"marker\": \"\(marker)\"}")
        // The pool has one slot and the sensor goes first: `other` can only run in the sensor's waits.
        let otherRan = await eventually(timeout: .seconds(60)) { FileManager.default.fileExists(atPath: marker) }
        #expect(otherRan, "`other` ran while the sensor waited for its file (the sensor held no slot)")
        let waiting = byID(try await cli.runJSON(runID), cli)
        #expect(waiting["wait"]?["state"] as? String == "up_for_reschedule" || waiting["wait"]?["state"] as? String == "queued"
            || waiting["wait"]?["state"] as? String == "running")
        #expect(waiting["other"]?["state"] as? String == "success")
        #expect(waiting["after"]?["state"] as? String == "scheduled")
        #expect(tries(waiting["wait"]).contains { $0["state"] as? String == "up_for_reschedule" })
        // Between pokes `runs show` says what the sensor waits for and when it pokes next.
        let shown = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
            let text = try await cli.nightshift("runs", "show", runID).stdout
            return text.contains("up_for_reschedule") && text.contains("still waiting for file \(gate) to exist; next poke at")
        }
        #expect(shown)

        FileManager.default.createFile(atPath: gate, contents: Data("ready\n".utf8))
        let run = try await cli.waitForRun(runID, timeout: .seconds(30))
        #expect(run["state"] as? String == "success")
        let tasks = byID(run, cli)
        #expect(tasks["wait"]?["state"] as? String == "success")
        #expect(tasks["after"]?["state"] as? String == "success")
        let pokes = tries(tasks["wait"])
        #expect(pokes.count >= 2, "one try per poke: \(pokes.count)")
        #expect(pokes.dropLast().allSatisfy { $0["state"] as? String == "up_for_reschedule" })
        #expect(pokes.last?["state"] as? String == "success")
        // Pokes use none of the task's tries: the budget left is still its three (one try and two retries).
        let used = (tasks["wait"]?["try_number"] as? Double ?? 0), budget = (tasks["wait"]?["max_tries"] as? Double ?? 0)
        #expect(budget - used == 2, "tries left after \(pokes.count) pokes: \(budget - used)")
        await cli.stop(scheduler)
    }

    @Test func aPokeSensorHoldsItsSlotAndFailsAtItsTimeoutWithoutRetrying() async throws {
        let cli = try CLIHarness(synthetic: "fixture:sensor_poke")
        defer { cli.cleanup() }
        let marker = cli.home.path + "/marker"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_sensor_poke", conf: "{\"marker\": \"\(marker)\"}")
        let run = try await cli.waitForRun(runID, timeout: .seconds(60))
        #expect(run["state"] as? String == "failed")
        let tasks = byID(run, cli)
        #expect(tasks["wait"]?["state"] as? String == "failed")
        let note = tasks["wait"]?["note"] as? String ?? ""
        #expect(note.hasPrefix("sensor timed out after 3 s"), "\(note)")
        #expect(note.contains("/nonexistent/gate"), "the note says what it waited for: \(note)")
        let attempts = tries(tasks["wait"])
        #expect(attempts.count == 1, "a sensor past its timeout is not retried (retries: 2): \(attempts.count) tries")
        #expect(attempts.first?["exit_status"] as? Double == 124)
        #expect(tasks["after"]?["state"] as? String == "upstream_failed")
        // In poke mode the sensor kept the pool's only slot: `other` started after the sensor's try ended.
        let ranAt = try #require(Double(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let sensorEnd = try #require((attempts.first?["end_date"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(ranAt >= sensorEnd.timeIntervalSince1970 - 1, "other ran at \(ranAt), the sensor ended at \(sensorEnd)")
        await cli.stop(scheduler)
    }

    @Test func aSoftFailSensorSkipsAtItsTimeout() async throws {
        let cli = try CLIHarness(synthetic: "fixture:sensor_soft")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_sensor_soft")
        let run = try await cli.waitForRun(runID, timeout: .seconds(60))
        #expect(run["state"] as? String == "success")
        let tasks = byID(run, cli)
        #expect(tasks["wait"]?["state"] as? String == "skipped")
        #expect((tasks["wait"]?["note"] as? String ?? "").hasPrefix("sensor timed out after 2 s"))
        #expect(tries(tasks["wait"]).count >= 2, "reschedule mode: several pokes before the timeout")
        #expect(tasks["after"]?["state"] as? String == "skipped")
        await cli.stop(scheduler)
    }

    @Test func exampleSensorWaitsForItsFileThenReportsIt() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let path = cli.home.path + "/ready.csv"
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("example_sensor", conf: "{\"path\": \"\(path)\"}")
        let waiting = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            byID(try await cli.runJSON(runID), cli)["wait_for_file"]?["state"] as? String == "up_for_reschedule"
        }
        #expect(waiting)
        let note = byID(try await cli.runJSON(runID), cli)["wait_for_file"]?["note"] as? String ?? ""
        #expect(note.hasPrefix("still waiting for file \(path) to exist; next poke at"), "\(note)")
        FileManager.default.createFile(atPath: path, contents: Data("a,b\n1,2\n".utf8))
        let run = try await cli.waitForRun(runID, timeout: .seconds(60))
        #expect(run["state"] as? String == "success")
        let log = try await cli.nightshift("tasks", "logs", "example_sensor", "--run", runID, "--task", "report")
        #expect(log.stdout.contains("\(path) is here: 8 bytes"), "\(log.stdout)")
        await cli.stop(scheduler)
    }
}
