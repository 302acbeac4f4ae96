import ArgumentParser
import Foundation
import Logging
import Scheduler
import Store
import Workflow

/// `nightshift notify`: the notifications a scheduler sends (stored in the home's store, so no code change and no
/// restart is needed): on a failure, a retry, a success or a run timeout, for one DAG or all, to a webhook (JSON or
/// Slack-style) or a shell command.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Manage notifications: a webhook or a command on failure, retry, success or run timeout.",
        subcommands: [Add.self, List.self, Remove.self, Test.self])

    /// The link notifications carry to the run page: `NIGHTSHIFT_BASE_URL`, else the dashboard's default address.
    static func baseURL(dashboardPort: Int? = nil) -> String {
        if let url = ProcessInfo.processInfo.environment["NIGHTSHIFT_BASE_URL"], !url.isEmpty { return url }
        return "http://127.0.0.1:\(dashboardPort ?? 8080)"
    }

    static func json(_ record: NotificationRecord) -> JSONValue {
        .object([
            "id": .number(Double(record.id ?? 0)), "on": .string(record.event.rawValue), "dag_id": record.dagID.map(JSONValue.string) ?? .null,
            "kind": .string(record.kind.rawValue), "target": .string(record.target), "format": .string(record.format.rawValue),
            "created_at": .string(record.createdAt.iso), "created_by": .string(record.createdBy),
        ])
    }

    /// The notification `id`, or exit 2 naming the ids there are.
    static func record(_ id: Int64, store: StateStore) async throws -> NotificationRecord {
        let all = try await store.notifications()
        guard let record = all.first(where: { $0.id == id }) else {
            let known = all.compactMap(\.id).map(String.init)
            throw CLIError.usage("unknown notification id \(id); " + (known.isEmpty ? "there are none" : "ids: \(known.joined(separator: ", "))"))
        }
        return record
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a notification on an event, by webhook or command.")
        @OptionGroup var home: HomeOptions
        @Option(help: "When: failure, retry, success or run_timeout.") var on: String
        @Option(help: "POST the notification (JSON) to this http(s) URL.") var webhook: String?
        @Option(help: "Run this shell command, with the notification as JSON in $NIGHTSHIFT_NOTIFICATION and its fields in $NIGHTSHIFT_NOTIFY_*.")
        var command: String?
        @Option(help: "Only this DAG's events (default: every DAG's).") var dag: String?
        @Option(help: "The webhook's body: json (the fields) or slack (an incoming-webhook {\"text\": …}).") var format = "json"
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard let event = NotificationEvent(rawValue: on) else {
                throw CLIError.usage("invalid --on '\(on)': use one of \(NotificationEvent.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let format = NotificationFormat(rawValue: format) else {
                throw CLIError.usage("invalid --format '\(format)': use json or slack")
            }
            let kind: NotifierKind
            let target: String
            switch (webhook, command) {
            case (let url?, nil):
                guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                    components.host?.isEmpty == false
                else { throw CLIError.usage("invalid --webhook '\(url)': use an http or https URL such as https://hooks.example.com/abc") }
                (kind, target) = (.webhook, url)
            case (nil, let line?):
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError.usage("invalid --command '': it is empty") }
                guard format == .json else { throw CLIError.usage("--format slack is for webhooks; a command gets JSON") }
                (kind, target) = (.command, line)
            default:
                throw CLIError.usage("give exactly one of --webhook URL and --command CMD")
            }
            if let dag { _ = try CLI.dag(dag, in: try CLI.bag()) }
            let store = try home.openStore()
            let record = try await store.addNotification(NotificationRecord(
                event: event, dagID: dag, kind: kind, target: target, format: format, createdAt: Date(), createdBy: CLI.operatorActor))
            if json { CLI.printJSON(NotifyCommand.json(record)) } else { print("added notification \(record.id!)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the notifications.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let records = try await home.openStore().notifications()
            let declared = try CLI.bag().declaredNotifications
            if json {
                CLI.printJSON(.array(records.map(NotifyCommand.json) + declared.map { item in
                    .object([
                        "id": .null, "on": .string(item.rule.eventNames), "dag_id": .string(item.dagID), "task_id": item.taskID.map(JSONValue.string) ?? .null,
                        "kind": .string(item.rule.kind), "target": .string(item.rule.destination), "format": .string(item.rule.format),
                        "created_by": .string("definition"),
                    ])
                }))
                return
            }
            if records.isEmpty && declared.isEmpty {
                print("no notifications; add one with `\(CommandEnvironment.current.commandName) notify add --on failure --webhook URL`")
                return
            }
            let stored = records.map {
                ["\($0.id ?? 0)", $0.event.rawValue, $0.dagID ?? "(all)", $0.kind.rawValue, $0.target, $0.format.rawValue, $0.createdAt.iso]
            }
            let inCode = declared.map { ["-", $0.rule.eventNames, $0.scope, $0.rule.kind, $0.rule.destination, $0.rule.format, "definition"] }
            print(Table.render(["id", "on", "dag", "kind", "target", "format", "added"], stored + inCode))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a notification.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The notification's id (see `notify list`).") var id: Int64

        func run() async throws {
            let store = try home.openStore()
            _ = try await NotifyCommand.record(id, store: store)
            try await store.removeNotification(id: id, actor: CLI.operatorActor, now: Date())
            print("removed notification \(id)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a sample notification now and say how it went (exit 1 when it was not delivered).")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The notification's id (see `notify list`).") var id: Int64

        func run() async throws {
            let store = try home.openStore()
            let record = try await NotifyCommand.record(id, store: store)
            let notifier = Notifier(
                store: store, home: home.resolved, baseURL: NotifyCommand.baseURL(), logger: Logger(label: "nightshift.notify"))
            let sample = Notifier.Notice(
                event: record.event, dagID: record.dagID ?? "example_dag", runID: "manual__notify_test", taskID: "sample_task", tryNumber: 1,
                state: record.event == .success ? "success" : "failed", error: record.event == .success ? nil : "a sample sent by notify test",
                at: Date())
            if let problem = await notifier.deliver(sample, to: record) {
                throw CLIError.failure("notification \(id) was not delivered: \(problem)")
            }
            print("delivered a sample to notification \(id) (\(record.kind.rawValue) \(record.target))")
        }
    }
}
