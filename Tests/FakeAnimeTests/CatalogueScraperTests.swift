import CatalogueServer
import FakeAnime
import Foundation
import HTTPFetch
import Imaging
import NightshiftTesting
import Testing

/// The scraper against the demo catalogue served on loopback, with faults injected.
@Suite struct CatalogueScraperTests {
    /// A client that retries quickly: backoff sleeps are skipped, so tests never wait on them.
    static func client(cache: URL? = nil, attempts: Int = 4) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.maxAttempts = attempts
        configuration.sleep = { _ in }
        configuration.totalTimeout = .seconds(10)
        configuration.cacheDirectory = cache?.path
        return HTTPClient(configuration: configuration)
    }

    static func scrape(_ base: URL, root: URL, cache: URL? = nil, maxPages: Int = 20) async throws -> ScrapeResult {
        let scraper = CatalogueScraper(configuration: .init(baseURL: base.absoluteString, maxPages: maxPages, posterSize: 32, http: client(cache: cache)))
        return try await scraper.scrape(into: root, now: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func snapshotDirectories(_ root: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func scrapeWritesACompleteSnapshot() async throws {
        try await withTemporaryHome("scrape") { home in
            let catalogue = DemoCatalogue(shows: 60, seed: 3)
            let root = home.url.appendingPathComponent("snapshots")
            let result = try await DemoCatalogueServer.withRunningServer(catalogue, configuration: .init()) { base in
                try await Self.scrape(base, root: root)
            }
            let withSynopsis = catalogue.shows.filter { !$0.synopsis.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            #expect(result.entries == withSynopsis.count)
            #expect(result.skips[.noSynopsis, default: 0] == catalogue.shows.count - withSynopsis.count)
            #expect(!result.reused)
            #expect(snapshotDirectories(root) == [result.snapshotID])
            let manifest = try SnapshotManifest.load(from: result.directory)
            #expect(manifest.id == result.snapshotID)
            #expect(manifest.entryCount == result.entries)
            #expect(manifest.posterSize == 32)
            let titles = try String(contentsOf: result.directory.appendingPathComponent("titles.txt"), encoding: .utf8).split(separator: "\n")
            #expect(titles.count == result.entries)
            let first = try #require(manifest.entries.first)
            let poster = try PNG.decode(Array(try Data(contentsOf: result.directory.appendingPathComponent(first.poster))), name: first.poster)
            #expect(poster.width == 32 && poster.height == 32)
            #expect(manifest.entries.allSatisfy { !$0.synopsis.contains("[Written by") && !$0.synopsis.contains("\n") })
        }
    }

    @Test func unchangedRescrapeIsNotModifiedAndKeepsTheID() async throws {
        try await withTemporaryHome("rescrape") { home in
            let catalogue = DemoCatalogue(shows: 40, seed: 5)
            let root = home.url.appendingPathComponent("snapshots")
            let cache = home.url.appendingPathComponent("http-cache")
            let (first, second) = try await DemoCatalogueServer.withRunningServer(catalogue, configuration: .init()) { base in
                (try await Self.scrape(base, root: root, cache: cache), try await Self.scrape(base, root: root, cache: cache))
            }
            #expect(second.snapshotID == first.snapshotID)
            #expect(second.reused)
            #expect(second.notModified >= second.pages + second.entries, "every page and poster should come back 304")
            let changed = try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 41, seed: 5), configuration: .init()) { base in
                try await Self.scrape(base, root: root, cache: cache)
            }
            #expect(changed.snapshotID != first.snapshotID)
            #expect(!changed.reused)
        }
    }

    @Test func brokenAndMissingPostersAreSkippedAndCounted() async throws {
        try await withTemporaryHome("posters") { home in
            let catalogue = DemoCatalogue(shows: 30, seed: 7)
            let usable = catalogue.shows.filter { !$0.synopsis.isEmpty }.map(\.malID)
            var configuration = CatalogueServerConfiguration()
            configuration.faults.corruptPosterIDs = Set(usable.prefix(2))
            configuration.faults.missingPosterIDs = Set(usable.dropFirst(2).prefix(3))
            let result = try await DemoCatalogueServer.withRunningServer(catalogue, configuration: configuration) { base in
                try await Self.scrape(base, root: home.url.appendingPathComponent("snapshots"))
            }
            #expect(result.skips[.brokenPoster] == 2)
            #expect(result.skips[.posterDownloadFailed] == 3)
            #expect(result.entries == usable.count - 5)
        }
    }

    @Test func rateLimitsAndServerErrorsAreRetried() async throws {
        try await withTemporaryHome("faults") { home in
            var configuration = CatalogueServerConfiguration()
            configuration.faults.rateLimitEvery = 5
            configuration.faults.serverErrorEvery = 7
            let catalogue = DemoCatalogue(shows: 30, seed: 9)
            let result = try await DemoCatalogueServer.withRunningServer(catalogue, configuration: configuration) { base in
                try await Self.scrape(base, root: home.url.appendingPathComponent("snapshots"))
            }
            #expect(result.entries == catalogue.shows.filter { !$0.synopsis.isEmpty }.count)
            #expect(result.requests > result.pages + result.entries, "some requests needed a retry")
        }
    }

    @Test func aFailedScrapeLeavesNoSnapshot() async throws {
        try await withTemporaryHome("failed") { home in
            var configuration = CatalogueServerConfiguration()
            configuration.faults.serverErrorEvery = 1
            let root = home.url.appendingPathComponent("snapshots")
            await #expect(throws: ScrapeError.self) {
                try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 30, seed: 1), configuration: configuration) { base in
                    try await Self.scrape(base, root: root)
                }
            }
            #expect(snapshotDirectories(root).isEmpty)
        }
    }

    @Test func leftoversOfAKilledScrapeAreRemovedAndNeverCountAsSnapshots() async throws {
        try await withTemporaryHome("partial") { home in
            let root = home.url.appendingPathComponent("snapshots")
            let leftover = root.appendingPathComponent(SnapshotWriter.partialDirectory).appendingPathComponent("dead-scrape/posters")
            try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
            #expect(snapshotDirectories(root).isEmpty)
            let entry = SnapshotEntry(malID: 1, title: "T", titleRaw: "T", synopsis: "S.", synopsisRaw: "S.", genres: ["Drama"], posterPNG: [1, 2, 3])
            let written = try SnapshotWriter.write(entries: [entry], skips: [:], source: "test", fetchedAt: Date(), pages: 1, root: root)
            #expect(snapshotDirectories(root) == [written.id])
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(SnapshotWriter.partialDirectory).path))
            #expect(written.id == SnapshotWriter.snapshotID(of: [entry]))
        }
    }
}
