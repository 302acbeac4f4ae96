import ArgumentParser
import FakeAnime
import Foundation
import NightshiftCLI
import Store
import Workflow

/// `nightshift models`: the trained versions of each model, and promotion or rollback of the accepted one.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List and inspect model versions; promote one or roll back the accepted one.",
        subcommands: [List.self, Show.self, Promote.self, Rollback.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every version of each model (or of one kind), oldest first.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "titles, synopses or posters (all when omitted)") var kind: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let registry = ModelsCommand.registry(home)
            let kinds = try kind.map { [try ModelsCommand.kind($0)] } ?? ModelKind.allCases
            var rows: [[String]] = []
            var objects: [String: JSONValue] = [:]
            for kind in kinds {
                let versions = try ModelsCommand.versions(registry, kind)
                let accepted = try? registry.acceptedName(kind)
                objects[kind.rawValue] = .object([
                    "accepted": accepted.map(JSONValue.string) ?? .null, "versions": .array(versions.map { ModelsCommand.json($0, accepted: accepted) }),
                ])
                for version in versions {
                    let headline = ModelFigures.headline(version)
                    rows.append([
                        kind.rawValue, version.version + (version.version == accepted ? " *" : ""), version.status.rawValue,
                        version.parent ?? "-", String(version.snapshotID.prefix(12)), version.runID,
                        headline.map { "\($0.label) \(ModelFigures.format($0.value))" }.joined(separator: ", "),
                        ArchiveCommand.clip(version.reason ?? "", 60),
                    ])
                }
            }
            if json {
                CLI.printJSON(.object(objects))
            } else if rows.isEmpty {
                print("No model versions yet: anime_nightly trains them (nightshift dags trigger anime_nightly).")
            } else {
                print(Table.render(["KIND", "VERSION", "STATUS", "PARENT", "SNAPSHOT", "RUN", "FIGURES", "REASON"], rows))
                print("* the accepted version (generate_batch uses it)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One version: lineage, the gate's verdict, every metric, its samples.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "titles, synopses or posters") var kind: String
        @Argument(help: "The version (v3), or 'accepted'") var version: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let registry = ModelsCommand.registry(home)
            let kind = try ModelsCommand.kind(self.kind)
            let meta = try ModelsCommand.meta(registry, kind, version)
            let accepted = try? registry.acceptedName(kind)
            let files = ModelFigures.files(registry, meta)
            let history = registry.history(kind).filter { $0.version == meta.version || $0.previous == meta.version }
            if json {
                guard case .object(var object) = ModelsCommand.json(meta, accepted: accepted) else { return }
                if let sheet = files.sampleSheet { object["sample_sheet"] = .string(sheet.path) }
                if let texts = files.samples { object["samples"] = .array(texts.map(JSONValue.string)) }
                object["history"] = .array(history.map(ModelsCommand.json))
                CLI.printJSON(.object(object))
                return
            }
            print("\(kind) \(meta.version)\(meta.version == accepted ? "  (accepted: generate_batch uses it)" : "")")
            print("  status    \(meta.status.rawValue)\(meta.reason.map { ": \($0)" } ?? "")")
            print("  parent    \(meta.parent ?? "none (fresh start)")")
            print("  snapshot  \(meta.snapshotID)")
            print("  made by   \(meta.dagID) run \(meta.runID) at \(Template.timestamp(meta.createdAt)); \(meta.steps) steps")
            print("  config    \(meta.configuration)")
            print("")
            print(Table.render(["METRIC", "VALUE"], meta.metrics.sorted { $0.key < $1.key }.map { [$0.key, ModelFigures.format($0.value)] }))
            if let sheet = files.sampleSheet { print("\nsample sheet: \(sheet.path)") }
            if let samples = files.samples {
                print("\nsamples the gate judged (\(samples.count)):")
                for sample in samples.prefix(8) { print("  · \(ArchiveCommand.clip(sample, 160))") }
            }
            if !history.isEmpty {
                print("\nhistory:")
                for change in history { print("  " + ModelsCommand.describe(change)) }
            }
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a version the accepted one (whatever the gate said); the next generate_batch uses it.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "titles, synopses or posters") var kind: String
        @Argument(help: "The version to accept (v3)") var version: String
        @Option(help: "Why (kept in the history and the audit event).") var reason: String?
        @Option(help: "Who does it (default: cli:$USER).") var actor: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let kind = try ModelsCommand.kind(self.kind)
            try await ModelsCommand.change(home: home, kind: kind, json: json, actor: actor, verb: "promoted") { registry, actor in
                try registry.promote(kind, version, actor: actor, reason: reason)
            }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept the newest earlier version that was accepted before (or --to one); the next generate_batch uses it.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "titles, synopses or posters") var kind: String
        @Option(help: "The version to go back to (default: the newest earlier one that was accepted).") var to: String?
        @Option(help: "Why (kept in the history and the audit event).") var reason: String?
        @Option(help: "Who does it (default: cli:$USER).") var actor: String?
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let kind = try ModelsCommand.kind(self.kind)
            try await ModelsCommand.change(home: home, kind: kind, json: json, actor: actor, verb: "rolled back") { registry, actor in
                try registry.rollback(kind, to: to, actor: actor, reason: reason)
            }
        }
    }

    // MARK: shared

    static func registry(_ home: HomeOptions) -> ModelRegistry {
        ModelRegistry(root: home.resolved.root.appendingPathComponent("models"))
    }

    /// The kind named on the command line, or exit 2 naming the kinds.
    static func kind(_ name: String) throws -> ModelKind {
        guard let kind = ModelKind(rawValue: name) else {
            throw CLIError.usage("unknown model kind '\(name)'; use one of: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    static func versions(_ registry: ModelRegistry, _ kind: ModelKind) throws -> [ModelVersion] {
        do { return try registry.versions(kind) } catch { throw CLIError.failure("\(error)") }
    }

    /// A version's meta (`accepted` names the accepted one), or exit 2 naming the known versions.
    static func meta(_ registry: ModelRegistry, _ kind: ModelKind, _ name: String) throws -> ModelVersion {
        let known = try versions(registry, kind)
        let wanted = name == "accepted" ? (try? registry.acceptedName(kind)) : name
        guard let wanted, let meta = known.first(where: { $0.version == wanted }) else {
            throw CLIError.usage(PipelineError(.unknownModelVersion(kind: kind, version: name, known: known.map(\.version))).description)
        }
        return meta
    }

    /// Changes the accepted version, records the audit event, and prints what changed.
    static func change(
        home: HomeOptions, kind: ModelKind, json: Bool, actor: String?, verb: String,
        _ body: (ModelRegistry, String) throws -> AcceptedChange
    ) async throws {
        let actor = actor ?? "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")"
        let store = try home.openStore()
        let change: AcceptedChange
        do {
            change = try body(registry(home), actor)
        } catch let error as PipelineError {
            switch error.kind {
            case .unknownModelVersion, .noRollbackTarget: throw CLIError.usage(error.description)
            default: throw CLIError.failure(error.description)
            }
        }
        let detail = "\(kind) \(change.previous ?? "none") → \(change.version)" + (change.reason.map { ": \($0)" } ?? "")
        try await store.recordEvent(kind: "model_\(change.action.rawValue)", actor: actor, detail: detail, at: change.at)
        if json {
            CLI.printJSON(ModelsCommand.json(change))
        } else {
            print("\(kind): \(verb) to \(change.version) (was \(change.previous ?? "none")) by \(actor); the next generate_batch uses \(change.version)")
        }
    }

    static func describe(_ change: AcceptedChange) -> String {
        "\(Template.timestamp(change.at))  \(change.action.rawValue)  \(change.previous ?? "none") → \(change.version)  by \(change.actor)"
            + (change.reason.map { "  (\($0))" } ?? "")
    }

    static func json(_ meta: ModelVersion, accepted: String?) -> JSONValue {
        .object([
            "kind": .string(meta.kind.rawValue), "version": .string(meta.version), "status": .string(meta.status.rawValue),
            "accepted": .bool(meta.version == accepted), "reason": meta.reason.map(JSONValue.string) ?? .null,
            "parent": meta.parent.map(JSONValue.string) ?? .null, "snapshot_id": .string(meta.snapshotID), "dag_id": .string(meta.dagID),
            "run_id": .string(meta.runID), "configuration": .string(meta.configuration), "steps": .number(Double(meta.steps)),
            "created": .string(Template.timestamp(meta.createdAt)),
            "metrics": .object(meta.metrics.mapValues { $0.isFinite ? JSONValue.number($0) : .null }),
        ])
    }

    static func json(_ change: AcceptedChange) -> JSONValue {
        .object([
            "at": .string(Template.timestamp(change.at)), "kind": .string(change.kind.rawValue), "version": .string(change.version),
            "previous": change.previous.map(JSONValue.string) ?? .null, "action": .string(change.action.rawValue),
            "actor": .string(change.actor), "reason": change.reason.map(JSONValue.string) ?? .null,
        ])
    }
}
