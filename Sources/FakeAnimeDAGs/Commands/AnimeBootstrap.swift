import NightshiftCLI
import CatalogueServer
import FakeAnime
import Foundation
import Logging
import ServiceLifecycle
import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// `standalone`'s part of the anime pipeline: serves the demo catalogue on loopback when no catalogue URL is
/// configured (tasks find it through `NIGHTSHIFT_CATALOGUE_URL`), and on a home whose archive is empty triggers
/// `anime_scrape` and then `anime_nightly` with ``firstRunConf``, so a newcomer sees fake anime within minutes.
struct AnimeBootstrap: Service {
    /// The first run's budget: minutes, not the nightly hour. Titles and synopses get up to a minute each, posters five and a half.
    static let firstRunConf: [String: JSONValue] = [
        "titles_epochs": 60, "synopses_epochs": 25, "text_steps": 0, "text_time_limit_s": 60,
        "gan_steps": 0, "gan_time_limit_s": 330,
        "batch_entries": 24,
    ]

    let store: StateStore
    let bag: DAGBag
    let logger: Logger
    /// Wakes the scheduler after a trigger.
    let poke: @Sendable () -> Void
    /// False with `--no-first-run`.
    let firstRun: Bool

    func run() async throws {
        if let configured = ProcessInfo.processInfo.environment[AnimeScrape.catalogueURLKey], !configured.isEmpty {
            logger.info("anime catalogue: \(configured) (from \(AnimeScrape.catalogueURLKey))")
            try await cancelWhenGracefulShutdown { try await self.startFirstRunIfEmpty() }
            return
        }
        try await DemoCatalogueServer.withRunningServer(DemoCatalogue()) { base in
            // Children inherit this process's environment, so anime_scrape's tries find the catalogue.
            setenv(AnimeScrape.catalogueURLKey, base.absoluteString, 1)
            CLI.announce("  demo anime catalogue: \(base.absoluteString)\n")
            try await cancelWhenGracefulShutdown { try await self.startFirstRunIfEmpty() }
            try? await gracefulShutdown()
        }
    }

    /// Triggers the first scrape and training when the archive is empty and no anime run exists yet.
    func startFirstRunIfEmpty() async throws {
        guard firstRun, try await store.archiveCounts().entries == 0,
            try await store.runs(dagID: AnimeNightly.dag.id, limit: 1).isEmpty
        else { return }
        CLI.announce("""
              first run: the archive is empty, so anime_scrape runs now and then anime_nightly with a first-run budget
              (about 6–8 minutes on 2 cores); watch it with `nightshift runs list` or in the dashboard.

            """)
        // No anime.snapshot event: the first nightly run below is this bootstrap's, with the first-run budget.
        let scrape = try await trigger(AnimeScrape.dag, conf: ["announce": false])
        let state = try await waitForEnd(of: scrape.runID)
        guard state == .success else {
            logger.error("first run: anime_scrape run \(scrape.runID) ended \(state.rawValue); anime_nightly not triggered (see `nightshift runs show \(scrape.runID)`)")
            return
        }
        let nightly = try await trigger(AnimeNightly.dag, conf: Self.firstRunConf)
        logger.info("first run: anime_nightly \(nightly.runID) triggered with the first-run budget")
    }

    func trigger(_ dag: DAG, conf: [String: JSONValue]) async throws -> DAGRunRecord {
        let run = try await store.triggerManualRun(of: dag, conf: conf, actor: "standalone first run")
        poke()
        return run
    }

    func waitForEnd(of runID: String) async throws -> RunState {
        while true {
            if let run = try await store.run(runID), run.state == .success || run.state == .failed { return run.state }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
