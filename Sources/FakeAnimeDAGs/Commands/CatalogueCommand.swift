import ArgumentParser
import NightshiftCLI
import FakeAnime
import Foundation
import Store
import Workflow

/// `nightshift catalogue scrape`: one scrape of a Jikan-compatible catalogue into a snapshot directory, outside any DAG.
struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "Scrape a Jikan-compatible catalogue into a dataset snapshot.", subcommands: [Scrape.self])

    struct Scrape: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the catalogue, download posters and write snapshots/<sha256>/ (unchanged content keeps its id).")
        @Option(help: "The API base, e.g. http://127.0.0.1:8765/v4 (from `nightshift demo-catalog serve`).") var source: String
        @Option(help: "Where snapshots go (default: HOME/snapshots).") var into: String?
        @OptionGroup var home: HomeOptions
        @Option(help: "The most pages walked.") var maxPages = 20
        @Option(help: "Poster size in pixels a side.") var posterSize = 64
        @Option(help: "Minimum milliseconds between requests to one host (politeness).") var intervalMs = 0
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard let url = URL(string: source), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw CLIError.usage("invalid --source '\(source)': expected an http(s) URL such as http://127.0.0.1:8765/v4")
            }
            guard maxPages >= 1 else { throw CLIError.usage("invalid --max-pages '\(maxPages)': must be at least 1") }
            guard (8...1024).contains(posterSize) else { throw CLIError.usage("invalid --poster-size '\(posterSize)': use 8 to 1024") }
            let root = into.map { URL(fileURLWithPath: $0) } ?? home.resolved.root.appendingPathComponent("snapshots")
            let scraper = CatalogueScraper.forHome(
                home.resolved.root, baseURL: source, maxPages: maxPages, posterSize: posterSize, perHostInterval: .milliseconds(intervalMs))
            let result: ScrapeResult
            do {
                result = try await scraper.scrape(into: root, now: Date()) { line in
                    if !json { FileHandle.standardError.write(Data((line + "\n").utf8)) }
                }
            } catch {
                throw CLIError.failure("\(error)")
            }
            let skips = result.skips.sorted { $0.key.rawValue < $1.key.rawValue }
            if json {
                // Through JSONValue, so paths and reasons are escaped properly.
                CLI.printJSON(.object([
                    "snapshot_id": .string(result.snapshotID), "directory": .string(result.directory.path),
                    "entries": .number(Double(result.entries)), "pages": .number(Double(result.pages)), "unchanged": .bool(result.reused),
                    "not_modified": .number(Double(result.notModified)),
                    "skipped": .object(Dictionary(uniqueKeysWithValues: skips.map { ($0.key.rawValue, JSONValue.number(Double($0.value))) })),
                ]))
            } else {
                print("snapshot \(result.snapshotID)\(result.reused ? " (unchanged)" : "")")
                print("  \(result.entries) entries from \(result.pages) pages in \(result.directory.path)")
                if !skips.isEmpty { print("  skipped: " + skips.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")) }
            }
        }
    }
}
