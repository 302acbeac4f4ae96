import Foundation
import NightshiftTesting
import Testing

/// `nightshift bench quality` through the real binary: the errors that name the home and what is missing, then the
/// figures of a home trained with tiny budgets.
@Suite(.serialized) struct QualityBenchCommandTests {
    @Test func aMissingHomeOrMissingModelsAreBadInputNamingTheHome() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let nowhere = cli.home.path + "/does-not-exist"
        let missing = try await cli.nightshift("bench", "quality", "--home", nowhere)
        #expect(missing.exitCode == 2, "\(missing.stderr)")
        #expect(missing.stderr.contains("no Nightshift home at \(nowhere)"), "\(missing.stderr)")
        let empty = try await cli.nightshift("bench", "quality", "--home", cli.home.path, "--json")
        #expect(empty.exitCode == 2, "\(empty.stderr)")
        #expect(empty.stderr.contains("home \(cli.home.path) has no accepted poster, title, synopsis model yet: run anime_nightly first"), "\(empty.stderr)")
        #expect(empty.stdout.isEmpty)
        let threads = try await cli.nightshift("bench", "quality", "--threads", "0")
        #expect(threads.exitCode == 2 && threads.stderr.contains("invalid --threads '0'"), "\(threads.stderr)")

        // bench posters: the same homes, plus its budget.
        let noBudget = try await cli.nightshift("bench", "posters", "--home", cli.home.path)
        #expect(noBudget.exitCode == 2 && noBudget.stderr.contains("give a budget: --steps N, --seconds S, or both"), "\(noBudget.stderr)")
        let noHome = try await cli.nightshift("bench", "posters", "--home", nowhere, "--steps", "2")
        #expect(noHome.exitCode == 2 && noHome.stderr.contains("no Nightshift home at \(nowhere)"), "\(noHome.stderr)")
        let noSnapshot = try await cli.nightshift("bench", "posters", "--home", cli.home.path, "--steps", "2")
        #expect(noSnapshot.exitCode == 2 && noSnapshot.stderr.contains("no snapshot in \(cli.home.path)/snapshots: run anime_scrape first"), "\(noSnapshot.stderr)")
        let badSteps = try await cli.nightshift("bench", "posters", "--steps", "0")
        #expect(badSteps.exitCode == 2 && badSteps.stderr.contains("invalid --steps '0'"), "\(badSteps.stderr)")
    }

    @Test func theAcceptedModelsOfATrainedHomeAgainstHeldOutRealData() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let scrape = try await cli.waitForRun(try await cli.trigger("anime_scrape", conf: #"{"max_pages": 2, "announce": false}"#), timeout: .seconds(120))
        #expect(scrape["state"] as? String == "success", "\(scrape)")
        let nightly = try await cli.waitForRun(try await cli.trigger("anime_nightly", conf: AnimePipelineTests.tiny), timeout: .seconds(300))
        #expect(nightly["state"] as? String == "success", "\(nightly)")
        await cli.stop(scheduler)
        // The gate measured every candidate and kept the figures in meta.json.
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.home.path + "/models/posters/v1/meta.json"))) as? [String: Any])
        let metrics = try #require(meta["metrics"] as? [String: Double])
        for key in ["posters_kid", "posters_precision", "posters_coverage", "posters_similarity", "posters_copies"] { #expect(metrics[key] != nil, "\(key) in \(metrics)") }

        let result = try await cli.nightshift("bench", "quality", "--threads", "1", "--json")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["home"] as? String == cli.home.path)
        let posters = try #require(object["posters"] as? [String: Any])
        #expect(posters["version"] as? String == "v1")
        let model = try #require(posters["model"] as? [String: Any])
        let baseline = try #require(posters["baseline"] as? [String: Any], "the demo catalogue holds posters out")
        #expect(model["samples"] as? Double == 64)
        for report in [model, baseline] {
            let kid = try #require(report["kid"] as? Double)
            #expect(kid.isFinite)
            for key in ["precision", "coverage"] {
                let value = try #require(report[key] as? Double)
                #expect((0...1).contains(value), "\(key) = \(value)")
            }
            #expect(report["neighbours"] as? Double == 5)
        }
        // Held-out real posters are not copies of the training ones by construction: none is closer than the closest.
        #expect(baseline["copies"] as? Double == 0)
        #expect(posters["problems"] as? [String] != nil)
        for (kind, samples) in [("titles", 64.0), ("synopses", 24.0)] {
            let section = try #require(object[kind] as? [String: Any])
            let model = try #require(section["model"] as? [String: Any])
            #expect(model["samples"] as? Double == samples)
            let bits = try #require(model["heldout_bits_per_char"] as? Double, "\(model)")
            #expect(bits > 0.3 && bits < 12, "\(kind): \(bits) bits/char")
            let distinct = try #require(model["distinct2"] as? Double)
            #expect((0...1).contains(distinct))
            #expect(section["baseline"] as? [String: Any] != nil)
        }
        let synopses = try #require((object["synopses"] as? [String: Any])?["model"] as? [String: Any])
        #expect(synopses["novel8"] as? Double != nil, "synopses have 8-grams")

        // Both recipes from scratch on the same snapshot, measured the same way, with their sample sheets.
        let snapshot = try #require(try FileManager.default.contentsOfDirectory(atPath: cli.home.path + "/snapshots").first { !$0.hasPrefix(".") })
        let unknown = try await cli.nightshift("bench", "posters", "--snapshot", "nope", "--steps", "2")
        #expect(unknown.exitCode == 2 && unknown.stderr.contains("no snapshot 'nope' in \(cli.home.path)/snapshots; known: \(snapshot)"), "\(unknown.stderr)")
        let sheets = cli.home.path + "/sheets"
        let bench = try await cli.nightshift("bench", "posters", "--steps", "2", "--threads", "1", "--sheets", sheets, "--json")
        #expect(bench.exitCode == 0, "\(bench.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any], "\(bench.stdout)")
        #expect(figures["snapshot_id"] as? String == snapshot)
        let results = try #require(figures["results"] as? [[String: Any]])
        #expect(results.map { $0["recipe"] as? String ?? "?" } == ["baseline", "nightly"])
        for result in results {
            #expect(result["iterations"] as? Double == 2)
            let report = try #require(result["report"] as? [String: Any])
            #expect((report["kid"] as? Double)?.isFinite == true && report["samples"] as? Double == 64)
            #expect(FileManager.default.fileExists(atPath: try #require(result["sheet"] as? String)))
        }
        #expect(figures["held_out_real"] as? [String: Any] != nil)
        #expect(figures["real_sheet"] as? String == sheets + "/real.png" && FileManager.default.fileExists(atPath: sheets + "/real.png"))

        let table = try await cli.nightshift("bench", "quality", "--threads", "1")
        #expect(table.exitCode == 0, "\(table.stderr)")
        for line in ["posters v1", "KID (vs training posters)", "HELD-OUT REAL", "precision (k = 5)", "titles v1", "synopses v1", "novel-8", "held-out bits per character"] {
            #expect(table.stdout.contains(line), "\(line) in \(table.stdout)")
        }
    }
}
