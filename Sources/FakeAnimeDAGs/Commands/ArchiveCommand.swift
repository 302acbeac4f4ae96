import ArgumentParser
import NightshiftCLI
import Foundation
import Store
import Workflow

/// `nightshift archive`: the published fake anime, as the public page serves them.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "List, show and pick published fake anime from the archive.",
        subcommands: [List.self, Show.self, Random.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List archived fake anime, newest batch first.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Only this batch.") var batch: String?
        @Option(help: "The most entries listed.") var limit = 100
        @Option(help: "Entries skipped first (paging).") var offset = 0
        @Flag(help: "Print a JSON array for scripts.") var json = false

        func run() async throws {
            guard limit >= 1 else { throw CLIError.usage("invalid --limit '\(limit)': must be at least 1") }
            guard offset >= 0 else { throw CLIError.usage("invalid --offset '\(offset)': must not be negative") }
            let store = try home.openStore()
            if let batch, try await store.archiveEntries(batch: batch, limit: 1).isEmpty {
                throw CLIError.usage("unknown batch '\(batch)'; `nightshift archive list` shows the published ones")
            }
            let entries = try await store.archiveEntries(batch: batch, limit: limit, offset: offset)
            if json {
                CLI.printJSON(.array(entries.map(ArchiveCommand.json)))
            } else if entries.isEmpty {
                print("The archive is empty: the first batch appears when anime_nightly publishes (nightshift dags trigger anime_nightly).")
            } else {
                print(Table.render(
                    ["BATCH", "#", "TITLE", "SYNOPSIS", "SEED"],
                    entries.map { [$0.batch, String($0.entry), $0.title, ArchiveCommand.clip($0.synopsis, 60), String($0.seed)] }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one batch with its lineage, or one entry (BATCH ENTRY).")
        @OptionGroup var home: HomeOptions
        @Argument(help: "Batch id") var batch: String
        @Argument(help: "Entry number in the batch") var entry: Int?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let store = try home.openStore()
            if let entry {
                guard let record = try await store.archiveEntry(batch: batch, entry: entry) else {
                    throw CLIError.usage("batch '\(batch)' has no entry \(entry)")
                }
                if json { CLI.printJSON(ArchiveCommand.json(record)) } else { ArchiveCommand.printEntry(record, home: home) }
                return
            }
            let entries = try await store.archiveEntries(batch: batch, limit: 100_000)
            guard let first = entries.first else {
                throw CLIError.usage("unknown batch '\(batch)'; `nightshift archive list` shows the published ones")
            }
            if json {
                CLI.printJSON(.object([
                    "batch": .string(batch), "run_id": .string(first.runID), "dag_id": .string(first.dagID),
                    "snapshot_id": .string(first.snapshotID), "model_versions": ArchiveCommand.versions(first.modelVersions),
                    "created": .string(Template.timestamp(first.createdAt)), "entries": .array(entries.map(ArchiveCommand.json)),
                ]))
            } else {
                print("batch \(batch): \(entries.count) fake anime, made by \(first.dagID) run \(first.runID) at \(Template.timestamp(first.createdAt))")
                print("  snapshot \(first.snapshotID)")
                print("  models   " + first.modelVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                print(Table.render(["#", "TITLE", "SYNOPSIS", "SEED"], entries.map { [String($0.entry), $0.title, ArchiveCommand.clip($0.synopsis, 70), String($0.seed)] }))
            }
        }
    }

    struct Random: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One random fake anime from the archive.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let store = try home.openStore()
            guard let record = try await store.randomArchiveEntry() else {
                throw CLIError.failure("the archive is empty: the first batch appears when anime_nightly publishes")
            }
            if json { CLI.printJSON(ArchiveCommand.json(record)) } else { ArchiveCommand.printEntry(record, home: home) }
        }
    }

    /// The stable JSON of an entry (`archive list --json` prints an array of these).
    static func json(_ record: ArchiveEntryRecord) -> JSONValue {
        .object([
            "batch": .string(record.batch), "entry": .number(Double(record.entry)), "title": .string(record.title),
            "synopsis": .string(record.synopsis), "poster": .string(record.poster), "poster_display": .string(record.posterDisplay),
            "seed": .number(Double(record.seed)), "run_id": .string(record.runID), "dag_id": .string(record.dagID),
            "snapshot_id": .string(record.snapshotID), "model_versions": versions(record.modelVersions),
            "created": .string(Template.timestamp(record.createdAt)),
        ])
    }

    static func versions(_ versions: [String: String]) -> JSONValue {
        .object(versions.mapValues { JSONValue.string($0) })
    }

    static func printEntry(_ record: ArchiveEntryRecord, home: HomeOptions) {
        print(record.title)
        print("")
        print(record.synopsis)
        print("")
        print("poster:  \(home.resolved.root.appendingPathComponent(record.posterDisplay).path)")
        print("seed \(record.seed) · batch \(record.batch) #\(record.entry) · run \(record.runID) · snapshot \(record.snapshotID.prefix(12))")
        print("models: " + record.modelVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
