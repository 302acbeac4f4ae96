import ArgumentParser
import Foundation
import Store
import Workflow

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List and inspect DAG runs.", subcommands: [List.self, Show.self])
}

extension RunsCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Only runs of this DAG.") var dag: String?
        @Option(help: "Only runs in this state (queued, running, success, failed).") var state: String?
        @Option(help: "At most this many runs.") var limit = 20
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            if let dag { _ = try CLI.dag(dag, in: try CLI.bag()) }
            var runState: RunState?
            if let state {
                guard let parsed = RunState(rawValue: state) else {
                    throw CLIError.usage("invalid --state '\(state)'; states: \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                runState = parsed
            }
            guard limit > 0 else { throw CLIError.usage("invalid --limit '\(limit)': must be at least 1") }
            let store = try home.openStore()
            let runs = try await store.runs(dagID: dag, state: runState, limit: limit)
            if json {
                CLI.printJSON(.array(runs.map(RunView.summary)))
                return
            }
            let now = Date()
            print(Table.render(
                ["run_id", "dag_id", "state", "type", "logical date", "duration"],
                runs.map { [$0.runID, $0.dagID, $0.state.rawValue, $0.runType.rawValue, $0.logicalDate.iso, formatSeconds($0.duration(now: now))] }))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a run: every task instance with state, tries, durations, exit status.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "Run id") var runID: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let store = try home.openStore()
            let run = try await CLI.run(runID, store: store)
            if json {
                CLI.printJSON(try await RunView.json(run, store: store))
                return
            }
            print("\(run.runID)  dag \(run.dagID)  \(run.state.rawValue)\(run.note.map { ": \($0)" } ?? "")  (\(run.runType.rawValue))")
            print("logical date \(run.logicalDate.iso)   interval \(run.intervalStart.iso) → \(run.intervalEnd.iso)")
            if run.conf != "{}" { print("conf \(run.conf)") }
            print(try await RunView.definitionLine(run, store: store))
            for event in try await store.assetEvents(causing: run.runID) {
                print("triggered by \(event.asset) from \(event.dagID).\(event.taskID) in \(event.runID) at \(event.at.iso)"
                    + (event.extra.map { " \($0.jsonText)" } ?? ""))
            }
            for change in try await store.definitionChanges(runID: run.runID) {
                print("  definition changed during the run at \(change.at.iso): \(change.detail)")
            }
            print("")
            let tries = try await store.tries(runID: run.runID)
            var rows: [[String]] = []
            let instances = try await store.taskInstances(runID: run.runID)
            for instance in try CLI.bag()[run.dagID]?.inDefinitionOrder(instances, id: \.taskID) ?? instances {
                let mine = tries.filter { $0.taskID == instance.taskID }
                let last = mine.last
                rows.append([
                    instance.taskID, instance.state.rawValue, "\(instance.tryNumber)/\(instance.maxTries)", formatSeconds(last?.durationSeconds),
                    last?.exitStatus.map(String.init) ?? "-", instance.note ?? last?.error ?? "",
                ])
            }
            print(Table.render(["task", "state", "tries", "duration", "exit", "note"], rows))
        }
    }
}

/// JSON shapes of runs, stable for scripts.
enum RunView {
    static func summary(_ run: DAGRunRecord) -> JSONValue {
        .object([
            "run_id": .string(run.runID), "dag_id": .string(run.dagID), "state": .string(run.state.rawValue), "run_type": .string(run.runType.rawValue),
            "logical_date": .string(run.logicalDate.iso), "data_interval_start": .string(run.intervalStart.iso),
            "data_interval_end": .string(run.intervalEnd.iso), "conf": (try? JSONValue.parse(run.conf)) ?? .object([:]),
            "start_date": run.startDate.map { .string($0.iso) } ?? .null, "end_date": run.endDate.map { .string($0.iso) } ?? .null,
            "duration_s": run.duration(now: Date()).map(JSONValue.number) ?? .null, "note": run.note.map(JSONValue.string) ?? .null,
        ])
    }

    /// "definition 1a2b… (the current one)", or which one it was and what is current now.
    static func definitionLine(_ run: DAGRunRecord, store: StateStore) async throws -> String {
        guard let fingerprint = run.fingerprint else { return "definition: not recorded (the run predates definition fingerprints)" }
        let current = try await store.dagRecord(run.dagID)?.fingerprint
        return current == fingerprint || current == nil
            ? "definition \(fingerprint) (the current one)"
            : "definition \(fingerprint) (the DAG's definition is now \(current!))"
    }

    static func json(_ run: DAGRunRecord, store: StateStore) async throws -> JSONValue {
        let tries = try await store.tries(runID: run.runID)
        var object = summary(run).objectValue!
        let current = try await store.dagRecord(run.dagID)?.fingerprint
        object["definition"] = .object([
            "fingerprint": run.fingerprint.map(JSONValue.string) ?? .null, "current": current.map(JSONValue.string) ?? .null,
            "changes": .array(try await store.definitionChanges(runID: run.runID).map { change in
                .object(["at": .string(change.at.iso), "detail": .string(change.detail)])
            }),
        ])
        object["triggered_by"] = .array(try await store.assetEvents(causing: run.runID).map { event in
            .object([
                "asset": .string(event.asset), "dag_id": .string(event.dagID), "run_id": .string(event.runID), "task_id": .string(event.taskID),
                "at": .string(event.at.iso), "extra": event.extra ?? .null,
            ])
        })
        let instances = try await store.taskInstances(runID: run.runID)
        object["tasks"] = .array((try CLI.bag()[run.dagID]?.inDefinitionOrder(instances, id: \.taskID) ?? instances).map { instance in
            .object([
                "task_id": .string(MappedID.taskID(of: instance.taskID)),
                "map_index": MappedID.split(instance.taskID).index.map { .number(Double($0)) } ?? .null,
                "state": .string(instance.state.rawValue), "try_number": .number(Double(instance.tryNumber)),
                "max_tries": .number(Double(instance.maxTries)), "note": instance.note.map(JSONValue.string) ?? .null,
                "tries": .array(tries.filter { $0.taskID == instance.taskID }.map { attempt in
                    .object([
                        "try_number": .number(Double(attempt.tryNumber)), "state": .string(attempt.state.rawValue),
                        "exit_status": attempt.exitStatus.map { .number(Double($0)) } ?? .null,
                        "duration_s": attempt.durationSeconds.map(JSONValue.number) ?? .null, "error": attempt.error.map(JSONValue.string) ?? .null,
                        "pid": attempt.pid.map { .number(Double($0)) } ?? .null, "log_path": .string(attempt.logPath),
                        "start_date": .string(attempt.startDate.iso), "end_date": attempt.endDate.map { .string($0.iso) } ?? .null,
                    ])
                }),
            ])
        })
        return .object(object)
    }
}

/// The live view of `dags trigger --wait`: task states as they change, until the run ends.
enum RunProgress {
    static func follow(runID: String, store: StateStore, quiet: Bool) async throws -> DAGRunRecord {
        let started = Date()
        var lastLine = ""
        let tty = isatty(STDOUT_FILENO) == 1
        var warnedNoScheduler = false
        while true {
            guard let run = try await store.run(runID) else { throw CLIError.failure("run \(runID) disappeared") }
            let instances = try await store.taskInstances(runID: runID)
            var counts: [TaskState: Int] = [:]
            for instance in instances { counts[instance.state, default: 0] += 1 }
            let active = instances.filter { [.running, .upForRetry, .upForReschedule].contains($0.state) }.map { instance in
                let what = switch instance.state {
                case .running: "try \(instance.tryNumber)"
                case .upForRetry: "retry"
                default: "waiting"
                }
                return "\(instance.taskID)(\(what))"
            }
            let order: [TaskState] = [.success, .running, .queued, .scheduled, .upForRetry, .upForReschedule, .failed, .upstreamFailed, .skipped]
            let summary = order.compactMap { state in counts[state].map { "\(state.rawValue) \($0)" } }.joined(separator: ", ")
            let line = "[\(String(format: "%5.1f", Date().timeIntervalSince(started)))s] \(run.state.rawValue): \(summary)"
                + (active.isEmpty ? "" : " — " + active.prefix(4).joined(separator: " "))
            if !quiet, line.dropFirst(9) != lastLine.dropFirst(9) || tty {
                if tty { FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line).utf8)) } else { print(line) }
                lastLine = line
            }
            if run.state.isFinished {
                if !quiet {
                    if tty { print("") }
                    print("run \(run.runID) \(run.state.rawValue) in \(formatSeconds(run.duration(now: Date())))")
                    for instance in instances where instance.state == .failed || instance.state == .upstreamFailed {
                        print("  \(instance.taskID): \(instance.state.rawValue)\(instance.note.map { " — \($0)" } ?? "")")
                    }
                }
                return run
            }
            if !warnedNoScheduler, Date().timeIntervalSince(started) > 3, run.state == .queued, try await store.lastHeartbeat().map({ Date().timeIntervalSince($0.at) < 30 }) != true {
                FileHandle.standardError.write(Data("warning: no scheduler seems to be running; start one with `\(CommandEnvironment.current.commandName) scheduler`\n".utf8))
                warnedNoScheduler = true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
