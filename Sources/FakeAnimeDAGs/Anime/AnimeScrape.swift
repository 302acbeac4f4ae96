import CatalogueServer
import FakeAnime
import Foundation
import Store
public import Workflow

/// `anime_scrape`: scrape the anime catalogue into a content-addressed snapshot and make it the latest.
///
/// `source_url` defaults to the local demo catalogue: `NIGHTSHIFT_CATALOGUE_URL` when set (`standalone` sets it to
/// the catalogue it serves), else a demo catalogue the task serves itself on loopback for the scrape's duration.
/// An unchanged catalogue gives the same snapshot id, and the run says so. A new snapshot id is an event of the asset
/// `anime.snapshot` (with the id and the entry count), which runs `anime_nightly`; an unchanged one is not.
public enum AnimeScrape {
    /// The environment variable naming the catalogue's API base when `source_url` is empty.
    public static let catalogueURLKey = "NIGHTSHIFT_CATALOGUE_URL"

    public static let dag = DAG(
        "anime_scrape", description: "Weekly: scrape the anime catalogue into a dataset snapshot (unchanged catalogue, same id)",
        schedule: .cron("0 2 * * 0"), retry: .exponential(retries: 2, base: .seconds(30), cap: .seconds(300)),
        tags: ["anime", "data"],
        params: [
            "source_url": "", "max_pages": 20, "poster_size": 64,
            "announce": Param(
                true, description: "Record an anime.snapshot event when the snapshot changes, which runs anime_nightly (false: the caller runs it, as standalone's first run does with its smaller budget)."),
        ]
    ) {
        let scrape = TaskDefinition("scrape", timeout: .seconds(1800)) { ctx in try await runScrape(ctx) }
        let snapshot = TaskDefinition("snapshot", outlets: [snapshotAsset]) { ctx in try await recordSnapshot(ctx) }
        scrape >> snapshot
    }

    /// The asset a new snapshot updates.
    public static let snapshotAsset = "anime.snapshot"

    /// What `scrape` pushes.
    struct Scraped: Codable, Sendable {
        var snapshotID: String
        var entries: Int
        var pages: Int
        var unchanged: Bool
        var source: String
        var skipped: [String: Int]

        enum CodingKeys: String, CodingKey {
            case entries, pages, unchanged, source, skipped
            case snapshotID = "snapshot_id"
        }
    }

    static func runScrape(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        let maxPages = try ctx.params.integer("max_pages", in: 1...1000, default: 20)
        let posterSize = try ctx.params.integer("poster_size", in: 8...512, default: 64)
        let configured = ctx.params["source_url"]?.stringValue ?? ""
        let source = configured.isEmpty ? (ProcessInfo.processInfo.environment[catalogueURLKey] ?? "") : configured
        if !source.isEmpty {
            guard let url = URL(string: source), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw PipelineError(.invalidParameter(name: "source_url", value: source, expected: "an http(s) URL such as http://127.0.0.1:8765/v4"))
            }
            try await scrape(ctx, anime: anime, source: source, maxPages: maxPages, posterSize: posterSize)
        } else {
            ctx.log.info("no source_url and no \(catalogueURLKey): serving the demo catalogue on loopback for this scrape")
            try await DemoCatalogueServer.withRunningServer(DemoCatalogue()) { base in
                try await scrape(ctx, anime: anime, source: base.absoluteString, maxPages: maxPages, posterSize: posterSize)
            }
        }
    }

    static func scrape(_ ctx: TaskContext, anime: AnimeHome, source: String, maxPages: Int, posterSize: Int) async throws {
        let scraper = CatalogueScraper.forHome(anime.home.root, baseURL: source, maxPages: maxPages, posterSize: posterSize)
        let log = ctx.log
        let result = try await scraper.scrape(into: anime.snapshots, now: Date()) { line in log.info(line) }
        let previous = try await anime.latestSnapshot()
        let unchanged = result.reused || previous?.snapshotID == result.snapshotID
        ctx.log.info(
            "snapshot \(result.snapshotID): \(result.entries) shows from \(result.pages) pages of \(source)"
                + (unchanged ? " — unchanged: the catalogue gives the same snapshot id as before" : " — new"))
        try await ctx.record("entries", step: 0, value: Double(result.entries))
        try await ctx.push(Scraped(
            snapshotID: result.snapshotID, entries: result.entries, pages: result.pages, unchanged: unchanged, source: source,
            skipped: Dictionary(uniqueKeysWithValues: result.skips.map { ($0.key.rawValue, $0.value) })))
    }

    static func recordSnapshot(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        guard let scraped = try await ctx.pull(Scraped.self, from: "scrape") else {
            throw PipelineError(.noSnapshot("task scrape of run \(ctx.runID) pushed no snapshot"))
        }
        // Read it back: a snapshot that does not load must not become the latest.
        let corpus = try TrainingCorpus(snapshotDirectory: anime.snapshots.appendingPathComponent(scraped.snapshotID))
        let previous = try await anime.latestSnapshot()
        try await anime.setLatestSnapshot(LatestSnapshot(snapshotID: scraped.snapshotID, runID: ctx.runID, entries: scraped.entries))
        if previous?.snapshotID == scraped.snapshotID {
            ctx.log.info("latest snapshot stays \(scraped.snapshotID) (unchanged since run \(previous?.runID ?? "?"))")
            try await ctx.skipAssetEvent(snapshotAsset, reason: "snapshot \(scraped.snapshotID) is unchanged")
        } else {
            ctx.log.info("latest snapshot is now \(scraped.snapshotID) (was \(previous?.snapshotID ?? "none")): \(corpus.trainingTitles.count) training and \(corpus.heldOutTitles.count) held-out shows")
            if ctx.params["announce"] == .bool(false) {
                try await ctx.skipAssetEvent(snapshotAsset, reason: "announce is false: whoever triggered this run runs anime_nightly itself")
            } else {
                try await ctx.assetEvent(
                    snapshotAsset,
                    extra: .object([
                        "snapshot_id": .string(scraped.snapshotID), "entries": .number(Double(scraped.entries)),
                        "previous": previous.map { .string($0.snapshotID) } ?? .null,
                    ]))
            }
        }
        try await ctx.push(scraped.snapshotID)
        try await ctx.push(scraped.unchanged, key: "unchanged")
    }
}
