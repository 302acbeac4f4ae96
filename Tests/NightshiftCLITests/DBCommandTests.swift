import Foundation
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `nightshift db backup|check|clean` and `scheduler --retention`, through the real binary.
@Suite struct DBCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Runs `example_etl` `count` times to the end with a real scheduler and returns the run ids.
    func finishedRuns(_ cli: CLIHarness, count: Int) async throws -> [String] {
        let scheduler = try cli.startScheduler()
        var runIDs: [String] = []
        for _ in 0..<count { runIDs.append(try await cli.trigger("example_etl")) }
        for runID in runIDs { _ = try await cli.waitForRun(runID) }
        await cli.stop(scheduler)
        return runIDs
    }

    @Test func backupWhileASchedulerWritesGivesACopyThatChecksAndReads() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        var runIDs: [String] = []
        for _ in 0..<3 { runIDs.append(try await cli.trigger("example_etl")) }
        // The scheduler is writing (queueing, starting and finishing tries) while the copy is taken.
        let copyHome = cli.home.url.appendingPathComponent("copy-home")
        try FileManager.default.createDirectory(at: copyHome, withIntermediateDirectories: true)
        let copy = copyHome.appendingPathComponent("nightshift.db").path
        let backup = try await cli.nightshift("db", "backup", copy, "--json")
        #expect(backup.exitCode == 0, "\(backup.stderr)")
        #expect(try json(backup.stdout)["path"] as? String == copy)
        for runID in runIDs { _ = try await cli.waitForRun(runID) }
        await cli.stop(scheduler)

        let check = try await cli.nightshift("db", "check", "--home", copyHome.path, "--json")
        #expect(check.exitCode == 0, "\(check.stdout) \(check.stderr)")
        #expect(try json(check.stdout)["ok"] as? Bool == true)
        let listed = try await cli.nightshift("runs", "list", "--home", copyHome.path, "--json")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(Set(runs.compactMap { $0["run_id"] as? String }) == Set(runIDs), "every run triggered before the backup is in the copy")

        let again = try await cli.nightshift("db", "backup", copy)
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains(copy) && again.stderr.contains("exists"), "\(again.stderr)")
        #expect(try await cli.nightshift("db", "check", "--home", copyHome.path).exitCode == 0, "the existing copy is untouched")
    }

    @Test func checkNamesACorruptOrMissingDatabaseAndChangesNothing() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let missing = try await cli.nightshift("db", "check")
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains(cli.home.path + "/nightshift.db") && missing.stderr.contains("no such file"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.home.path + "/nightshift.db"), "check must not create a database")

        let path = cli.home.path + "/nightshift.db"
        let garbage = Data((0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let corrupt = try await cli.nightshift("db", "check")
        #expect(corrupt.exitCode == 1)
        #expect(corrupt.stderr.contains(path) && corrupt.stderr.contains("not a database"), "\(corrupt.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage, "nothing overwritten")

        try FileManager.default.removeItem(atPath: path)
        #expect(try await cli.nightshift("db", "migrate").exitCode == 0)
        let sound = try await cli.nightshift("db", "check")
        #expect(sound.exitCode == 0, "\(sound.stdout) \(sound.stderr)")
        #expect(sound.stdout.contains("ok"))
    }

    @Test func cleanRemovesFinishedRunsAndTheirLogsAndDryRunRemovesNothing() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let bad = try await cli.nightshift("db", "clean", "--older-than", "30x")
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("invalid --older-than '30x'"), "\(bad.stderr)")
        let noStore = try await cli.nightshift("db", "clean", "--older-than", "30d")
        #expect(noStore.exitCode == 1)
        #expect(noStore.stderr.contains("no database at \(cli.home.path)/nightshift.db"), "\(noStore.stderr)")

        let runIDs = try await finishedRuns(cli, count: 2)
        let logs = cli.home.url.appendingPathComponent("logs/example_etl")
        #expect(runIDs.allSatisfy { FileManager.default.fileExists(atPath: logs.appendingPathComponent($0).path) })

        let keep = try json(try await cli.nightshift("db", "clean", "--older-than", "30d", "--json").stdout)
        #expect(keep["runs"] as? Int == 0)

        let preview = try await cli.nightshift("db", "clean", "--older-than", "0s", "--dry-run", "--json")
        #expect(preview.exitCode == 0, "\(preview.stderr)")
        let wouldRemove = try json(preview.stdout)
        #expect(wouldRemove["runs"] as? Int == 2 && wouldRemove["dry_run"] as? Bool == true)
        #expect((wouldRemove["files"] as? Int ?? 0) >= 2 && (wouldRemove["file_bytes"] as? Int ?? 0) > 0, "\(wouldRemove)")
        #expect(try await cli.runJSON(runIDs[0])["state"] as? String == "success", "a dry run removes nothing")

        let clean = try await cli.nightshift("db", "clean", "--older-than", "0s", "--json")
        #expect(clean.exitCode == 0, "\(clean.stderr)")
        let removed = try json(clean.stdout)
        for key in ["runs", "tries", "files", "file_bytes"] { #expect(removed[key] as? Int == wouldRemove[key] as? Int, "\(key)") }
        #expect(try await cli.nightshift("runs", "show", runIDs[0]).exitCode == 2, "the run is gone")
        #expect(!runIDs.contains { FileManager.default.fileExists(atPath: logs.appendingPathComponent($0).path) })
        let events = try await cli.nightshift("events", "list", "--kind", "db_clean", "--json")
        #expect(events.stdout.contains("\"actor\":\"cli\"") || events.stdout.contains("\"actor\": \"cli\""), "\(events.stdout)")
    }

    @Test func schedulerRetentionCleansAtStart() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let runIDs = try await finishedRuns(cli, count: 1)
        let bad = try await cli.nightshift("scheduler", "--retention", "soon")
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("invalid --retention 'soon'"), "\(bad.stderr)")

        try await Task.sleep(for: .milliseconds(1100))
        let scheduler = try CommandRunner.start(
            CommandRunner.nightshiftBinary, ["scheduler", "--retention", "1s", "--shutdown-grace", "1"], environment: cli.environment)
        defer { if scheduler.process.isRunning { kill(scheduler.pid, SIGKILL) } }
        let gone = try await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            try await cli.nightshift("runs", "show", runIDs[0]).exitCode == 2
        }
        await cli.stop(scheduler)
        #expect(gone, "the scheduler's retention removed the finished run")
        let events = try await cli.nightshift("events", "list", "--kind", "db_clean")
        #expect(events.stdout.contains("retention"), "\(events.stdout)")
    }
}
