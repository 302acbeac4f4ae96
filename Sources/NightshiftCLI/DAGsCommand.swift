import ArgumentParser
import Foundation
import Scheduler
import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

struct DAGsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dags", abstract: "List, show, trigger, pause and backfill DAGs.",
        subcommands: [List.self, Show.self, Check.self, Trigger.self, Pause.self, Unpause.self, Backfill.self])
}

extension DAGsCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate this binary's DAG list without touching any state: print each DAG's id and definition fingerprint.",
            discussion: "Exits 1 naming the DAG and the problem (a cycle, a duplicate id, a bad cron field, an empty list). A scheduler runs it on a new build before it reloads.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let bag = try CLI.bag()
            let rows = bag.ids.map { [$0, DAGStructure(bag[$0]!).fingerprint] }
            if json {
                CLI.printJSON(.array(rows.map { .object(["dag_id": .string($0[0]), "fingerprint": .string($0[1])]) }))
            } else {
                print(Table.render(["dag_id", "fingerprint"], rows))
            }
            for warning in bag.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every DAG with its schedule, pause flag and next run.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let bag = try CLI.bag()
            let store = try home.openStore()
            let records = Dictionary(uniqueKeysWithValues: try await store.dagRecords().map { ($0.dagID, $0) })
            var rows: [[String]] = []
            var items: [JSONValue] = []
            for id in bag.ids {
                let dag = bag[id]!
                let info = try await DAGInfo.load(dag, record: records[id], store: store)
                rows.append([id, info.scheduleText, info.paused ? "yes" : "no", dag.tags.joined(separator: ","), info.lastState ?? "-",
                             info.nextRun?.iso ?? "-"])
                items.append(info.json)
            }
            if json { CLI.printJSON(.array(items)) } else { print(Table.render(["dag_id", "schedule", "paused", "tags", "last run", "next run"], rows)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a DAG: tasks, dependencies, schedule in words, next run.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let bag = try CLI.bag()
            let dag = try CLI.dag(dagID, in: bag)
            let store = try home.openStore()
            let record = try await store.dagRecord(dagID)
            let info = try await DAGInfo.load(dag, record: record, store: store)
            if json {
                var object = info.json.objectValue ?? [:]
                object["structure"] = (try? JSONValue.parse(DAGStructure(dag).json)) ?? .null
                CLI.printJSON(.object(object))
                return
            }
            print("\(dag.id): \(dag.description)")
            print("schedule:  \(info.scheduleText)")
            print("next run:  \(info.nextRun?.iso ?? "-")")
            print("paused:    \(info.paused ? "yes" : "no")   catchup: \(dag.catchup ? "on" : "off")   max active runs: \(dag.maxActiveRuns)   max active tasks: \(dag.maxActiveTasks)")
            if !dag.tags.isEmpty { print("tags:      \(dag.tags.joined(separator: ", "))") }
            for (index, (name, param)) in dag.paramSpecs.sorted(by: { $0.key < $1.key }).enumerated() {
                let about = "(\(param.summary))" + (param.description.map { " \($0)" } ?? "")
                print((index == 0 ? "params:    " : "           ") + "\(name)=\(param.defaultValue.jsonText)  \(about)")
            }
            print("")
            let rows = dag.tasks.map { task -> [String] in
                let policy = dag.retryPolicy(for: task)
                let kind: String
                switch task.work {
                case .swift: kind = task.sensor.map { "sensor: \($0.mode.rawValue) every \($0.every.spoken)" } ?? "swift"
                case .shell(let command): kind = "shell: " + command.argv.last!.replacingOccurrences(of: "\n", with: " ").prefix(50)
                }
                return [task.id, task.upstream.isEmpty ? "-" : task.upstream.joined(separator: ","), task.triggerRule.rawValue,
                        "\(policy.retries)", dag.timeout(for: task).map { formatSeconds($0.seconds) } ?? "-", task.pool ?? "default", kind]
            }
            print(Table.render(["task", "after", "trigger rule", "retries", "timeout", "pool", "runs"], rows))
        }
    }

    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a run now (the scheduler picks it up).")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        @Option(help: "The run's conf: a JSON object merged over the DAG's params.") var conf: String?
        @Option(help: "The run's logical date (ISO 8601); default: now.") var logicalDate: String?
        @Flag(help: "Wait for the run to finish, showing task states; exit 0 on success, 1 on failure.") var wait = false
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let bag = try CLI.bag()
            let dag = try CLI.dag(dagID, in: bag)
            let conf = try CLI.parseConf(conf)
            try CLI.checkConf(conf, for: dag)
            let logical = try logicalDate.map { try CLI.parseDate($0, option: "--logical-date") } ?? Date()
            let store = try home.openStore()
            let run = try await store.triggerManualRun(of: dag, conf: conf, actor: "cli", logicalDate: logical)
            await SchedulerWake.poke(store: store)
            if try await store.dagRecord(dag.id)?.paused == true {
                FileHandle.standardError.write(Data("note: DAG '\(dag.id)' is paused; the run waits until `\(CommandEnvironment.current.commandName) dags unpause \(dag.id)`\n".utf8))
            }
            if !wait {
                if json { CLI.printJSON(.object(["run_id": .string(run.runID), "dag_id": .string(dag.id), "state": .string(run.state.rawValue)])) }
                else { print(run.runID) }
                return
            }
            if !json { print("triggered \(run.runID)") }
            let final = try await RunProgress.follow(runID: run.runID, store: store, quiet: json)
            if json { CLI.printJSON(try await RunView.json(final, store: store)) }
            if final.state != .success { throw ExitCode(1) }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop scheduling new runs and tasks of a DAG.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        func run() async throws { try await setPaused(home: home, dagID: dagID, paused: true) }
    }

    struct Unpause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume scheduling a paused DAG.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        func run() async throws { try await setPaused(home: home, dagID: dagID, paused: false) }
    }

    struct Backfill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a run for every schedule tick in [--from, --to].")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        @Option(help: "First logical date (ISO 8601).") var from: String
        @Option(help: "Last logical date (ISO 8601).") var to: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let bag = try CLI.bag()
            let dag = try CLI.dag(dagID, in: bag)
            let start = try CLI.parseDate(from, option: "--from")
            let end = try CLI.parseDate(to, option: "--to")
            guard start <= end else { throw CLIError.usage("invalid range: --from \(from) is after --to \(to)") }
            let store = try home.openStore()
            var created: [String] = []
            var existing: [String] = []
            for request in RunFactory.backfillRuns(of: dag, cron: try? dag.cron(), from: start, to: end) {
                do {
                    try await store.createRun(
                        of: dag, runID: request.runID, logicalDate: request.logicalDate, interval: request.interval, type: .backfill, conf: [:],
                        actor: "cli", now: Date())
                    created.append(request.runID)
                } catch let error as StoreError {
                    guard case .duplicateRun = error.kind else { throw error }
                    existing.append(request.runID)
                }
            }
            await SchedulerWake.poke(store: store)
            if json {
                CLI.printJSON(.object(["created": .array(created.map(JSONValue.string)), "existing": .array(existing.map(JSONValue.string))]))
            } else {
                print("created \(created.count) backfill run(s)" + (existing.isEmpty ? "" : "; \(existing.count) already existed"))
                for id in created { print("  \(id)") }
            }
        }
    }
}

private func setPaused(home: HomeOptions, dagID: String, paused: Bool) async throws {
    let bag = try CLI.bag()
    let dag = try CLI.dag(dagID, in: bag)
    let store = try home.openStore()
    try await store.setPaused(dag.id, paused, structure: DAGStructure(dag), actor: "cli", now: Date())
    print("\(dag.id) \(paused ? "paused" : "unpaused")")
}

/// What `dags list` and `dags show` say about one DAG.
struct DAGInfo {
    var dag: DAG
    var paused: Bool
    var scheduleText: String
    var nextRun: Date?
    var lastState: String?
    var lastRunID: String?

    static func load(_ dag: DAG, record: DAGRecord?, store: StateStore) async throws -> DAGInfo {
        let cron = try? dag.cron()
        let last = try await store.runs(dagID: dag.id, limit: 1).first
        var next: Date?
        if let cron {
            let lastScheduled = try await store.lastScheduledLogicalDate(of: dag.id)
            next = RunFactory.nextRunDate(of: dag, cron: cron, lastLogicalDate: lastScheduled, registeredAt: record?.registeredAt ?? Date(), now: Date())
        }
        return DAGInfo(dag: dag, paused: record?.paused ?? false, scheduleText: dag.scheduleText, nextRun: record?.paused == true ? nil : next,
                       lastState: last?.state.rawValue, lastRunID: last?.runID)
    }

    var json: JSONValue {
        .object([
            "dag_id": .string(dag.id), "description": .string(dag.description), "schedule": dag.schedule.expression.map(JSONValue.string) ?? .null,
            "time_zone": .string(dag.schedule.timeZone), "schedule_text": .string(scheduleText), "paused": .bool(paused),
            "tags": .array(dag.tags.map(JSONValue.string)), "next_run": nextRun.map { .string($0.iso) } ?? .null,
            "last_run_id": lastRunID.map(JSONValue.string) ?? .null, "last_run_state": lastState.map(JSONValue.string) ?? .null,
            "tasks": .array(dag.tasks.map { .string($0.id) }),
        ])
    }
}

