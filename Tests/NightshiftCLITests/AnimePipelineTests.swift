import Dashboard
import FakeAnime
@testable import FakeAnimeDAGs
import Foundation
import NightshiftTesting
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The fake anime pipeline through the real binary and a real scheduler, with tiny budgets: scrape the demo catalogue
/// on loopback, train, gate, generate, publish — then the skip, force, quality-gate and crash-in-publish paths.
@Suite(.serialized) struct AnimePipelineTests {
    /// Budgets small enough for a debug build: a few optimizer steps per model, five fake anime. Models this raw are what
    /// the copy and collapse screens exist to reject (a 3-step GAN paints one poster), so they only log here.
    static let tiny = #"{"titles_epochs": 0, "synopses_epochs": 0, "text_steps": 40, "gan_steps": 3, "batch_entries": 5, "quality_screens": false}"#

    @Test func scrapeTrainGeneratePublishThenSkipForceGateAndCrashSafety() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()

        // Scrape: the task serves the demo catalogue itself (no source_url, no NIGHTSHIFT_CATALOGUE_URL).
        let scrape = try await cli.waitForRun(try await cli.trigger("anime_scrape", conf: #"{"max_pages": 2, "announce": false}"#), timeout: .seconds(120))
        #expect(scrape["state"] as? String == "success", "\(scrape)")
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: cli.home.path + "/snapshots").filter { !$0.hasPrefix(".") }
        #expect(snapshots.count == 1)

        // The first nightly run trains all three models, accepts them (nothing to compare with) and publishes 5.
        let firstID = try await cli.trigger("anime_nightly", conf: Self.tiny)
        let first = try await cli.waitForRun(firstID, timeout: .seconds(300))
        #expect(first["state"] as? String == "success", "\(first)")
        #expect(states(cli, first) == [
            "resolve_snapshot": "success", "train_titles": "success", "train_synopses": "success", "train_posters": "success",
            "evaluate": "success", "generate_batch": "success", "publish": "success", "prune": "success",
        ])
        let entries = try await archive(cli)
        #expect(entries.count == 5)
        for entry in entries {
            let poster = try #require(entry["poster"] as? String)
            #expect(try pngSize(cli.home.path + "/" + poster) == (64, 64), "\(poster)")
            let display = try #require(entry["poster_display"] as? String)
            #expect(try pngSize(cli.home.path + "/" + display) == (256, 256))
            #expect(!(entry["title"] as? String ?? "").isEmpty && !(entry["synopsis"] as? String ?? "").isEmpty)
            #expect(entry["run_id"] as? String == firstID)
            // Lineage: the run, the snapshot and every model version exist.
            #expect(try await cli.nightshift("runs", "show", firstID).exitCode == 0)
            #expect(snapshots.contains(entry["snapshot_id"] as? String ?? "?"))
            let versions = try #require(entry["model_versions"] as? [String: String])
            #expect(Set(versions.keys) == ["titles", "synopses", "posters"])
            for (kind, version) in versions {
                #expect(FileManager.default.fileExists(atPath: "\(cli.home.path)/models/\(kind)/\(version)/meta.json"), "\(kind) \(version)")
                #expect(FileManager.default.fileExists(atPath: "\(cli.home.path)/models/\(kind)/\(version)/model.ckpt"))
            }
            #expect(entry["seed"] as? Double != nil)
        }
        // Training shares the one-slot pool: the three training tries never overlapped, and BLAS got the slot's cores.
        let training = ["train_titles", "train_synopses", "train_posters"].compactMap { tries(first, $0).first }
        let intervals = training.map { ($0["start_date"] as? String ?? "", $0["end_date"] as? String ?? "") }.sorted { $0.0 < $1.0 }
        for (earlier, later) in zip(intervals, intervals.dropFirst()) { #expect(later.0 >= earlier.1, "training tries overlapped: \(intervals)") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for task in ["train_titles", "train_synopses", "train_posters"] {
            let log = try await cli.nightshift("tasks", "logs", "anime_nightly", "--run", firstID, "--task", task)
            #expect(log.stdout.contains("BLAS threads: \(cores) (training pool: 1 slot over \(cores) cores)"), "\(task): \(log.stdout)")
            #expect(log.stdout.contains("loss"))
        }
        let posterLog = try await cli.nightshift("tasks", "logs", "anime_nightly", "--run", firstID, "--task", "train_posters")
        #expect(posterLog.stdout.contains("sample sheet"))

        // Nothing changed: training skips itself with the reason; a new batch is still generated and published.
        let secondID = try await cli.trigger("anime_nightly", conf: Self.tiny)
        let second = try await cli.waitForRun(secondID, timeout: .seconds(300))
        #expect(second["state"] as? String == "success", "\(second)")
        for task in ["train_titles", "train_synopses", "train_posters", "evaluate"] {
            let instance = try #require(cli.tasks(of: second).first { $0["task_id"] as? String == task })
            #expect(instance["state"] as? String == "skipped", "\(task): \(instance)")
            #expect((instance["note"] as? String ?? "").contains(task == "evaluate" ? "no new candidates" : "unchanged since run \(firstID)"), "\(instance)")
        }
        #expect(states(cli, second)["publish"] == "success")
        #expect(try await archive(cli).count == 10)

        // force: true retrains (warm-starting from the accepted versions).
        let forcedID = try await cli.trigger("anime_nightly", conf: #"{"force": true, "titles_epochs": 0, "synopses_epochs": 0, "text_steps": 40, "gan_steps": 2, "batch_entries": 3, "quality_screens": false}"#)
        let forced = try await cli.waitForRun(forcedID, timeout: .seconds(300))
        #expect(forced["state"] as? String == "success", "\(forced)")
        #expect(states(cli, forced)["train_titles"] == "success" && states(cli, forced)["train_posters"] == "success")
        let titlesMeta = try meta(cli, "titles", "v2")
        #expect(titlesMeta["parent"] as? String == "v1")

        // The quality gate: a fresh candidate trained for one step is worse than the accepted text models and is
        // rejected; ACCEPTED keeps pointing at the old version.
        let acceptedTitles = try accepted(cli, "titles"), acceptedSynopses = try accepted(cli, "synopses")
        let worseID = try await cli.trigger(
            "anime_nightly", conf: #"{"force": true, "warm_start": false, "titles_epochs": 0, "synopses_epochs": 0, "text_steps": 1, "gan_steps": 1, "batch_entries": 2, "tolerance": 0.01, "quality_screens": false}"#)
        let worse = try await cli.waitForRun(worseID, timeout: .seconds(300))
        #expect(worse["state"] as? String == "success", "\(worse)")
        #expect(try accepted(cli, "titles") == acceptedTitles)
        #expect(try accepted(cli, "synopses") == acceptedSynopses)
        #expect(try meta(cli, "titles", "v3")["status"] as? String == "rejected")
        let gateLog = try await cli.nightshift("tasks", "logs", "anime_nightly", "--run", worseID, "--task", "evaluate")
        #expect(gateLog.stdout.contains("titles v3: REJECTED"), "\(gateLog.stdout)")
        #expect(gateLog.stdout.contains("keeping the accepted model"))
        try await modelsAreVisibleAndReversible(cli, acceptedTitles: acceptedTitles)
        await cli.stop(scheduler)

        // Crash safety: publish dies (SIGKILL) after moving the batch into archive/ and before committing.
        let before = try await archive(cli).count
        var crashing = cli
        crashing.environment["NIGHTSHIFT_TEST_CRASH_IN_PUBLISH"] = "1"
        let crashScheduler = try crashing.startScheduler()
        let crashID = try await cli.trigger("anime_nightly", conf: Self.tiny)
        let publishDied = try await eventually(timeout: .seconds(300), every: .milliseconds(200)) {
            let run = try await cli.runJSON(crashID)
            return tries(run, "publish").contains { $0["state"] as? String == "failed" }
        }
        #expect(publishDied)
        await cli.stop(crashScheduler)
        #expect(try await archive(cli).count == before, "a publish killed before its commit must add nothing")
        let orphaned = try FileManager.default.contentsOfDirectory(atPath: cli.home.path + "/archive").filter { !$0.hasPrefix(".") }
        let published = try await batches(cli).count
        #expect(orphaned.count == published + 1, "the killed publish left its moved directory behind")
        // The next try (a fresh scheduler, the task cleared) publishes cleanly and removes the leftover.
        let restarted = try cli.startScheduler()
        let cleared = try await cli.nightshift("tasks", "clear", "anime_nightly", "--run", crashID, "--task", "publish", "--downstream")
        #expect(cleared.exitCode == 0, "\(cleared.stderr)")
        let recovered = try await cli.waitForRun(crashID, timeout: .seconds(120))
        #expect(recovered["state"] as? String == "success", "\(recovered)")
        #expect(try await archive(cli).count == before + 5)
        let directories = try FileManager.default.contentsOfDirectory(atPath: cli.home.path + "/archive").filter { !$0.hasPrefix(".") }
        let publishedNow = try await batches(cli)
        #expect(Set(directories) == Set(publishedNow))
        // The batch made after the promotion used the promoted titles model.
        let recoveredEntries = try await archive(cli).filter { $0["run_id"] as? String == crashID }
        #expect(recoveredEntries.count == 5)
        #expect(recoveredEntries.allSatisfy { ($0["model_versions"] as? [String: String])?["titles"] == "v3" }, "\(recoveredEntries)")
        await cli.stop(restarted)
    }

    /// `models list|show|promote|rollback` over the versions the runs above made (titles v1–v3, v3 rejected), the
    /// audit events they leave, and the dashboard's `/models` pages over the same home.
    func modelsAreVisibleAndReversible(_ cli: CLIHarness, acceptedTitles: String) async throws {
        let listed = try await cli.nightshift("models", "list", "titles", "--json")
        #expect(listed.exitCode == 0, "\(listed.stderr)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let titles = try #require(listing["titles"] as? [String: Any])
        #expect(titles["accepted"] as? String == acceptedTitles)
        let rows = try #require(titles["versions"] as? [[String: Any]])
        #expect(rows.map { $0["version"] as? String ?? "?" } == ["v1", "v2", "v3"])
        #expect(rows.last?["status"] as? String == "rejected")
        let reason = rows.last?["reason"] as? String ?? ""
        #expect(reason.contains("keeping the accepted model"), "\(rows)")
        #expect((rows.last?["metrics"] as? [String: Any])?["heldout_bits_per_char"] as? Double != nil)
        let table = try await cli.nightshift("models", "list")
        #expect(table.exitCode == 0 && table.stdout.contains("\(acceptedTitles) *") && table.stdout.contains("posters"), "\(table.stdout)")

        // Bad names exit 2 and name what exists.
        let unknown = try await cli.nightshift("models", "promote", "titles", "v9")
        #expect(unknown.exitCode == 2 && unknown.stderr.contains("no titles model version 'v9'; known: v1, v2, v3"), "\(unknown.stderr)")
        let badKind = try await cli.nightshift("models", "show", "poems", "v1")
        #expect(badKind.exitCode == 2 && badKind.stderr.contains("unknown model kind 'poems'; use one of: titles, synopses, posters"))
        #expect(try accepted(cli, "titles") == acceptedTitles)

        // Promote the rejected v3, roll back to what was accepted before, then go to v3 again by name.
        let promote = try await cli.nightshift("models", "promote", "titles", "v3", "--actor", "alice", "--reason", "livelier titles", "--json")
        #expect(promote.exitCode == 0, "\(promote.stderr)")
        let change = try #require(try JSONSerialization.jsonObject(with: Data(promote.stdout.utf8)) as? [String: Any])
        #expect(change["previous"] as? String == acceptedTitles && change["version"] as? String == "v3" && change["action"] as? String == "promote")
        #expect(try accepted(cli, "titles") == "v3")
        let back = try await cli.nightshift("models", "rollback", "titles", "--actor", "bob")
        #expect(back.exitCode == 0 && back.stdout.contains("rolled back to \(acceptedTitles) (was v3) by bob"), "\(back.stdout)")
        #expect(try accepted(cli, "titles") == acceptedTitles)
        #expect(try await cli.nightshift("models", "rollback", "titles", "--to", "v3", "--actor", "alice").exitCode == 0)
        #expect(try accepted(cli, "titles") == "v3")

        let shown = try await cli.nightshift("models", "show", "titles", "accepted", "--json")
        let version = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(version["version"] as? String == "v3" && version["accepted"] as? Bool == true)
        #expect((version["samples"] as? [String] ?? []).count == QualityEvaluation.titleSeeds.count, "the gate keeps the samples it judged")
        #expect((version["history"] as? [[String: Any]] ?? []).map { $0["actor"] as? String ?? "?" } == ["alice", "bob", "alice"])

        // Each change is an audit event with its actor.
        let store = try cli.home.home.openStore(singleConnection: true)
        let events = try await store.events(kinds: ["model_promote", "model_rollback"]).reversed()
        #expect(events.map(\.actor) == ["alice", "bob", "alice"])
        #expect(events.first?.detail == "titles \(acceptedTitles) → v3: livelier titles")
        // … and `nightshift events list` shows them.
        let listedEvents = try await cli.nightshift("events", "list", "--kind", "model_promote", "--kind", "model_rollback", "--json")
        #expect(listedEvents.exitCode == 0, "\(listedEvents.stderr)")
        let rowsOfEvents = try #require(try JSONSerialization.jsonObject(with: Data(listedEvents.stdout.utf8)) as? [[String: Any]])
        #expect(rowsOfEvents.map { $0["actor"] as? String ?? "?" } == ["alice", "bob", "alice"])
        #expect(rowsOfEvents.map { $0["kind"] as? String ?? "?" } == ["model_rollback", "model_rollback", "model_promote"])
        let eventTable = try await cli.nightshift("events", "list", "--limit", "3")
        #expect(eventTable.exitCode == 0 && eventTable.stdout.contains("model_rollback") && eventTable.stdout.contains("bob"), "\(eventTable.stdout)")
        let badEventKind = try await cli.nightshift("events", "list", "--kind", "no such")
        #expect(badEventKind.exitCode == 2 && badEventKind.stderr.contains("invalid --kind 'no such'"), "\(badEventKind.stderr)")
        let created = try await cli.nightshift("events", "list", "--dag", "anime_nightly", "--kind", "run_created", "--json")
        let createdRows = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [[String: Any]])
        #expect(createdRows.count == 4 && createdRows.allSatisfy { $0["dag_id"] as? String == "anime_nightly" }, "\(createdRows)")

        // The dashboard's /models over the same home.
        func render(_ segments: [String], _ query: [String: String] = [:]) async throws -> DashboardPage.Response {
            try await ModelsPage.page.render(.init(segments: segments, query: query, home: cli.home.home, store: store, user: "admin"))
        }
        guard case .page(_, let overview) = try await render([]) else { Issue.record("no overview page"); return }
        for text in ["<h2>titles</h2>", "<h2>synopses</h2>", "<h2>posters</h2>", ">rejected</span>", ">in use</span>", "keeping the accepted model"] {
            #expect(overview.contains(text), "overview lacks \(text)")
        }
        guard case .page(_, let detail) = try await render(["titles", "v3"]) else { Issue.record("no v3 page"); return }
        #expect(detail.contains("Samples the gate judged (\(QualityEvaluation.titleSeeds.count))") && detail.contains("livelier titles"))
        guard case .page(_, let poster) = try await render(["posters", "v1"]) else { Issue.record("no posters page"); return }
        #expect(poster.contains("src=\"/models/posters/v1/samples.png\""))
        guard case .file(let sheet) = try await render(["posters", "v1", "samples.png"]) else { Issue.record("no sheet"); return }
        #expect(try pngSize(sheet).0 > 64)
        guard case .page(_, let both) = try await render(["titles", "compare"], ["a": "v1", "b": "v3"]) else { Issue.record("no compare"); return }
        #expect(both.contains("titles: v1 and v3") && both.contains("heldout_bits_per_char"))
        guard case .notFound(let missing) = try await render(["titles", "v9"]) else { Issue.record("v9 found"); return }
        #expect(missing == "no titles model version 'v9'; known: v1, v2, v3")
        guard case .badRequest(let bad) = try await render(["titles", "compare"], ["a": "v1"]) else { Issue.record("compare without b"); return }
        #expect(bad.contains("compare needs two versions"))
    }

    @Test func nightlyWithoutASnapshotFailsSayingWhatToDo() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let run = try await cli.waitForRun(try await cli.trigger("anime_nightly", conf: Self.tiny), timeout: .seconds(120))
        await cli.stop(scheduler)
        #expect(run["state"] as? String == "failed")
        let attempt = try #require(tries(run, "resolve_snapshot").first)
        #expect((attempt["error"] as? String ?? "").contains("trigger anime_scrape first"), "\(attempt)")
        let empty = try await cli.nightshift("archive", "random")
        #expect(empty.exitCode == 1)
        #expect(empty.stderr.contains("the archive is empty"))
        #expect(try await cli.nightshift("archive", "show", "no-such-batch").exitCode == 2)
    }

    func states(_ cli: CLIHarness, _ run: [String: Any]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: cli.tasks(of: run).map { ($0["task_id"] as? String ?? "?", $0["state"] as? String ?? "?") })
    }

    func tries(_ run: [String: Any], _ task: String) -> [[String: Any]] {
        let tasks = run["tasks"] as? [[String: Any]] ?? []
        return tasks.first { $0["task_id"] as? String == task }?["tries"] as? [[String: Any]] ?? []
    }

    func archive(_ cli: CLIHarness) async throws -> [[String: Any]] {
        let result = try await cli.nightshift("archive", "list", "--json", "--limit", "1000")
        #expect(result.exitCode == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    func batches(_ cli: CLIHarness) async throws -> [String] {
        Array(Set(try await archive(cli).compactMap { $0["batch"] as? String }))
    }

    func meta(_ cli: CLIHarness, _ kind: String, _ version: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(cli.home.path)/models/\(kind)/\(version)/meta.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func accepted(_ cli: CLIHarness, _ kind: String) throws -> String {
        try String(contentsOfFile: "\(cli.home.path)/models/\(kind)/ACCEPTED", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Width and height from a PNG's IHDR, after checking the signature.
    func pngSize(_ path: String) throws -> (Int, Int) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count > 24 && Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(path) is not a PNG")
        func big(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (big(16), big(20))
    }
}
