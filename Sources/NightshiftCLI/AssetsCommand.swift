import ArgumentParser
import Foundation
import Store
import Workflow

/// `nightshift assets`: the data DAGs update (tasks' `outlets`) and run on (`schedule: .assets([...])`): who produces
/// and consumes each asset, its events, and the runs they caused.
struct AssetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "Show assets, their events and the runs they caused.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every asset the DAGs produce or are scheduled on: producers, consumers, events and the latest one.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let bag = try CLI.bag()
            let summaries = Dictionary(uniqueKeysWithValues: try await home.openStore().assetSummaries().map { ($0.asset, $0) })
            let names = Set(bag.assets).union(summaries.keys).sorted()
            if json {
                CLI.printJSON(.array(names.map { name in
                    let summary = summaries[name]
                    return .object([
                        "asset": .string(name), "producers": .array(bag.producers(of: name).map(JSONValue.string)),
                        "consumers": .array(bag.consumers(of: name).map(JSONValue.string)),
                        "events": .number(Double(summary?.events ?? 0)),
                        "last_event_at": summary?.lastEventAt.map { .string($0.iso) } ?? .null,
                        "last_event_run_id": summary?.lastEventRunID.map(JSONValue.string) ?? .null,
                    ])
                }))
            } else if names.isEmpty {
                print("No assets: no task lists outlets and no DAG is scheduled on assets.")
            } else {
                print(Table.render(
                    ["ASSET", "PRODUCED BY", "SCHEDULES", "EVENTS", "LAST EVENT"],
                    names.map { name in
                        let summary = summaries[name]
                        return [
                            name, bag.producers(of: name).joined(separator: ", ").nonEmpty ?? "-",
                            bag.consumers(of: name).joined(separator: ", ").nonEmpty ?? "-", "\(summary?.events ?? 0)",
                            summary?.lastEventAt.map(\.iso) ?? "-",
                        ]
                    }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One asset: its producers and consumers, and its events (newest first) with the runs each caused.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The asset's name, e.g. anime.snapshot") var asset: String
        @Option(help: "At most this many events.") var limit = 50
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard (1...100_000).contains(limit) else { throw CLIError.usage("invalid --limit '\(limit)': use 1 to 100000") }
            let bag = try CLI.bag()
            let store = try home.openStore()
            let events = try await store.assetEvents(of: asset, limit: limit)
            guard bag.assets.contains(asset) || !events.isEmpty else {
                let known = bag.assets.isEmpty ? "none" : bag.assets.joined(separator: ", ")
                throw CLIError.usage("unknown asset '\(asset)': no task lists it in its outlets, no DAG is scheduled on it and it has no events; assets: \(known)")
            }
            let caused = try await store.runsCaused(by: events.map(\.id))
            if json {
                CLI.printJSON(.object([
                    "asset": .string(asset), "producers": .array(bag.producers(of: asset).map(JSONValue.string)),
                    "consumers": .array(bag.consumers(of: asset).map(JSONValue.string)),
                    "events": .array(events.map { event in
                        .object([
                            "id": .number(Double(event.id)), "at": .string(event.at.iso), "dag_id": .string(event.dagID),
                            "run_id": .string(event.runID), "task_id": .string(event.taskID), "try_number": .number(Double(event.tryNumber)),
                            "extra": event.extra ?? .null,
                            "caused_runs": .array((caused[event.id] ?? []).map { .object(["dag_id": .string($0.dagID), "run_id": .string($0.runID)]) }),
                        ])
                    }),
                ]))
                return
            }
            print("asset \(asset)")
            print("produced by  \(bag.producers(of: asset).joined(separator: ", ").nonEmpty ?? "- (no task of these DAGs)")")
            print("schedules    \(bag.consumers(of: asset).joined(separator: ", ").nonEmpty ?? "- (no DAG)")")
            print("")
            if events.isEmpty {
                print("No events yet.")
            } else {
                print(Table.render(
                    ["AT", "FROM", "RUN", "EXTRA", "CAUSED"],
                    events.map { event in
                        [
                            event.at.iso, "\(event.dagID).\(event.taskID)", event.runID, event.extra?.jsonText ?? "-",
                            (caused[event.id] ?? []).map(\.runID).joined(separator: ", ").nonEmpty ?? "-",
                        ]
                    }))
            }
        }
    }
}

extension String {
    /// nil for an empty string.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
