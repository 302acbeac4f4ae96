import ArgumentParser
import NightshiftCLI
import CatalogueServer
import FakeAnime
import Foundation
import HTTPFetch
import Workflow

/// `nightshift bench scrape`: a full scrape of the demo catalogue on loopback, first run and unchanged re-run.
struct ScrapeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrape", abstract: "Time a full scrape of the demo catalogue (first run, then an unchanged re-run answered by 304s).")

    @Option(help: "Shows in the demo catalogue.") var shows = 300
    @Option(help: "Repeats; the median is reported.") var `repeat` = 3
    @Option(help: "Poster size in the snapshot (pixels a side).") var posterSize = 64
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        guard shows >= 1 else { throw CLIError.usage("invalid --shows '\(shows)': must be at least 1") }
        guard `repeat` >= 1 else { throw CLIError.usage("invalid --repeat '\(`repeat`)': must be at least 1") }
        var firsts: [Double] = []
        var reruns: [Double] = []
        var last: ScrapeResult?
        for _ in 0..<`repeat` {
            let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightshift-scrape-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            var http = HTTPClient.Configuration()
            http.cacheDirectory = root.appendingPathComponent("http-cache").path
            http.maxConcurrent = 8
            let catalogue = DemoCatalogue(shows: shows, seed: 1)
            try await DemoCatalogueServer.withRunningServer(catalogue, configuration: .init()) { base in
                let run = CatalogueScraper(
                    configuration: .init(
                        baseURL: base.absoluteString, maxPages: 1000, posterSize: posterSize, http: HTTPClient(configuration: http)))
                let start = Date()
                _ = try await run.scrape(into: root.appendingPathComponent("snapshots"), now: start)
                firsts.append(Date().timeIntervalSince(start))
                let again = Date()
                last = try await run.scrape(into: root.appendingPathComponent("snapshots"), now: again)
                reruns.append(Date().timeIntervalSince(again))
            }
        }
        let first = firsts.sorted()[firsts.count / 2]
        let rerun = reruns.sorted()[reruns.count / 2]
        if json {
            CLI.printJSON(.object([
                "shows": .number(Double(shows)), "entries": .number(Double(last?.entries ?? 0)), "first_s": .number(first),
                "rerun_s": .number(rerun), "rerun_not_modified": .number(Double(last?.notModified ?? 0)),
            ]))
        } else {
            print(String(format: "scrape of %ld shows (%ld kept), median of %ld: first %.3f s, unchanged re-run %.3f s (%ld responses 304)",
                         shows, last?.entries ?? 0, `repeat`, first, rerun, last?.notModified ?? 0))
        }
    }
}
