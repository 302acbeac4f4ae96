import ArgumentParser
import Foundation
import Store
import Workflow

/// `nightshift events`: the store's audit trail (runs created, tasks cleared or marked, definitions changed, and what
/// extensions record, such as model promotions), newest first.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Read the audit trail.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Audit events, newest first: when, what, who, about which DAG, run and task.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Only events of this kind (run_created, clear, mark_success, definition_changed, model_promote, …); repeat for several.")
        var kind: [String] = []
        @Option(help: "Only events about this DAG.") var dag: String?
        @Option(help: "At most this many events.") var limit = 50
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard (1...100_000).contains(limit) else { throw CLIError.usage("invalid --limit '\(limit)': use 1 to 100000") }
            if let bad = kind.first(where: { $0.isEmpty || !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } }) {
                throw CLIError.usage("invalid --kind '\(bad)': event kinds are words of letters, digits and '_' (run_created, model_promote, …)")
            }
            let store = try home.openStore()
            let events = try await store.events(limit: limit, kinds: kind.isEmpty ? nil : kind, dagID: dag)
            if json {
                CLI.printJSON(.array(events.map { event in
                    .object([
                        "id": event.id.map { .number(Double($0)) } ?? .null, "at": .string(event.at.iso), "kind": .string(event.kind),
                        "actor": .string(event.actor), "detail": .string(event.detail),
                        "dag_id": event.dagID.map(JSONValue.string) ?? .null, "run_id": event.runID.map(JSONValue.string) ?? .null,
                        "task_id": event.taskID.map(JSONValue.string) ?? .null,
                    ])
                }))
            } else if events.isEmpty {
                print("No events" + (kind.isEmpty && dag == nil ? " yet." : " match."))
            } else {
                print(Table.render(
                    ["AT", "KIND", "ACTOR", "DAG", "RUN", "TASK", "DETAIL"],
                    events.map { [$0.at.iso, $0.kind, $0.actor, $0.dagID ?? "-", $0.runID ?? "-", $0.taskID ?? "-", $0.detail] }))
            }
        }
    }
}
