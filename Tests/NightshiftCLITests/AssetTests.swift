import Foundation
import NightshiftTesting
import Testing

/// Assets through the real scheduler and child processes: a producer's successful try records an event (with the
/// extra JSON it attached), the DAG scheduled on the asset gets one run that sees the event, a try that says nothing
/// changed records none, and `assets list|show` tell who produced what and which runs it caused.
@Suite(.serialized) struct AssetTests {
    private func consumerRuns(_ cli: CLIHarness) async throws -> [[String: Any]] {
        let listed = try await cli.nightshift("runs", "list", "--dag", "fixture_asset_consumer", "--json")
        return (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    @Test func aProducersSuccessRunsTheDAGScheduledOnItsAsset() async throws {
        let cli = try CLIHarness(synthetic: "fixture:asset_producer,fixture:asset_consumer")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let producer = try await cli.trigger("fixture_asset_producer")
        #expect(try await cli.waitForRun(producer)["state"] as? String == "success")
        let created = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) { try await consumerRuns(cli).count == 1 }
        #expect(created)
        let runs = try await consumerRuns(cli)
        let consumer = try #require(runs.first?["run_id"] as? String)
        #expect(runs.first?["run_type"] as? String == "asset_triggered")
        let finished = try await cli.waitForRun(consumer)
        #expect(finished["state"] as? String == "success")
        #expect((finished["triggered_by"] as? [[String: Any]])?.map { $0["run_id"] as? String } == [producer])
        let runText = try await cli.nightshift("runs", "show", consumer)
        #expect(runText.stdout.contains("triggered by fixture.data from fixture_asset_producer.publish in \(producer)"), "\(runText.stdout)")

        // The run's context listed the event that caused it, with the producer's extra JSON.
        let file = cli.home.path + "/consumed/\(consumer).json"
        let events = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]])
        #expect(events.count == 1)
        #expect(events.first?["asset"] as? String == "fixture.data")
        #expect(events.first?["runID"] as? String == producer)
        #expect(events.first?["taskID"] as? String == "publish")
        #expect((events.first?["extra"] as? [String: Any])?["rows"] as? Double == 42)

        // A success that says nothing changed records no event and causes no run.
        let unchanged = try await cli.trigger("fixture_asset_producer", conf: "{\"skip\": true}")
        #expect(try await cli.waitForRun(unchanged)["state"] as? String == "success")
        try await Task.sleep(for: .seconds(2))
        #expect(try await consumerRuns(cli).count == 1)

        let list = try await cli.nightshift("assets", "list", "--json")
        #expect(list.exitCode == 0, "\(list.stderr)")
        let assets = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let data = try #require(assets.first { $0["asset"] as? String == "fixture.data" })
        #expect(data["producers"] as? [String] == ["fixture_asset_producer.publish"])
        #expect(data["consumers"] as? [String] == ["fixture_asset_consumer"])
        #expect(data["events"] as? Double == 1)

        let show = try await cli.nightshift("assets", "show", "fixture.data", "--json")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let event = try #require((shown["events"] as? [[String: Any]])?.first)
        #expect(event["run_id"] as? String == producer)
        #expect((event["caused_runs"] as? [[String: Any]])?.map { $0["run_id"] as? String } == [consumer])
        let text = try await cli.nightshift("assets", "show", "fixture.data")
        #expect(text.stdout.contains("produced by  fixture_asset_producer.publish"), "\(text.stdout)")
        #expect(text.stdout.contains(consumer))
        await cli.stop(scheduler)
    }

    @Test func anUnknownAssetExits2NamingTheKnownOnes() async throws {
        let cli = try CLIHarness(synthetic: "fixture:asset_producer,fixture:asset_consumer")
        defer { cli.cleanup() }
        let result = try await cli.nightshift("assets", "show", "fixture.dta")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("unknown asset 'fixture.dta'"), "\(result.stderr)")
        #expect(result.stderr.contains("assets: anime.snapshot, fixture.data"), "\(result.stderr)")
    }

    @Test func aDAGScheduledOnAnAssetNoTaskProducesIsAWarningNotAnError() async throws {
        let cli = try CLIHarness(synthetic: "fixture:asset_consumer")
        defer { cli.cleanup() }
        let result = try await cli.nightshift("dags", "check")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: DAG 'fixture_asset_consumer' is scheduled on asset 'fixture.data', which no task of these DAGs lists in its outlets"),
            "\(result.stderr)")
    }
}

/// The anime pipeline's wiring: a scrape that changes the snapshot is an `anime.snapshot` event (an unchanged one is
/// not), and `anime_nightly` is scheduled on it as well as at 03:00. `anime_nightly` stays paused here, so the event
/// causes no (hour-long) training run.
@Suite(.serialized) struct AnimeAssetTests {
    @Test func aChangedSnapshotIsAnEventAndAnUnchangedOneIsNot() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        #expect(try await cli.nightshift("dags", "pause", "anime_nightly").exitCode == 0)
        let shown = try await cli.nightshift("dags", "show", "anime_nightly")
        #expect(shown.stdout.contains("when anime.snapshot is updated"), "\(shown.stdout)")
        let scheduler = try cli.startScheduler()
        for _ in 1...2 {
            let scrape = try await cli.waitForRun(try await cli.trigger("anime_scrape", conf: #"{"max_pages": 2}"#), timeout: .seconds(120))
            #expect(scrape["state"] as? String == "success", "\(scrape)")
        }
        await cli.stop(scheduler)
        let show = try await cli.nightshift("assets", "show", "anime.snapshot", "--json")
        let asset = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(asset["producers"] as? [String] == ["anime_scrape.snapshot"])
        #expect(asset["consumers"] as? [String] == ["anime_nightly"])
        let events = try #require(asset["events"] as? [[String: Any]])
        #expect(events.count == 1, "the second scrape found the same catalogue: same snapshot id, no event")
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: cli.home.path + "/snapshots").filter { !$0.hasPrefix(".") }
        #expect((events.first?["extra"] as? [String: Any])?["snapshot_id"] as? String == snapshots.first)
        #expect((events.first?["caused_runs"] as? [Any])?.isEmpty == true, "anime_nightly is paused")
    }
}
