import ArgumentParser
import Executor
import Foundation
import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "Test, clear and read the logs of task instances.", subcommands: [Test.self, Clear.self, Logs.self, Run.self])
}

extension TasksCommand {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run one task inline, logging to the terminal; no state is written.")
        @Argument(help: "DAG id") var dagID: String
        @Argument(help: "Task id") var taskID: String
        @Option(help: "The logical date (ISO 8601); default: now.") var logicalDate: String?
        @Option(help: "Conf JSON merged over the DAG's params.") var conf: String?
        @OptionGroup var home: HomeOptions

        func run() async throws {
            let bag = try CLI.bag()
            let dag = try CLI.dag(dagID, in: bag)
            guard let task = dag.task(taskID) else {
                throw CLIError.usage("DAG '\(dagID)' has no task '\(taskID)'; tasks: \(dag.tasks.map(\.id).joined(separator: ", "))")
            }
            let logical = try logicalDate.map { try CLI.parseDate($0, option: "--logical-date") } ?? Date()
            let conf = try CLI.parseConf(conf)
            try CLI.checkConf(conf, for: dag)
            let request = testRunIdentity(dag: dag, logical: logical)
            let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightshift-test-\(getpid())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let log = TaskLogger.standardOutput
            // A sensor may ask about other DAGs' runs: those are in the home's store, if there is one.
            let store = task.sensor != nil && FileManager.default.fileExists(atPath: home.resolved.databasePath) ? try home.openStore() : nil
            let context = TaskContext(
                dagID: dag.id, runID: request.runID, taskID: task.id, logicalDate: logical, dataInterval: request.interval, tryNumber: 1,
                params: dag.mergedParams(conf: conf), log: log, scratchDirectory: scratch,
                homeDirectory: home.resolved.root, backend: MemoryContextBackend(taskID: task.id, log: log, store: store))
            let (outcome, _) = await TaskRunner.perform(task, context: context, newProcessGroup: true)
            if outcome == .success {
                print("task \(dag.id).\(task.id) succeeded")
            } else if case .skipped(let reason) = outcome {
                print("task \(dag.id).\(task.id) skipped itself: \(reason)")
            } else {
                throw CLIError.failure("task \(dag.id).\(task.id) failed: \(outcome.errorText ?? "")")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear task instances of a run so they run again.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        @Option(help: "Run id") var run: String
        @Option(help: "Only this task (default: every task of the run); a mapped task whole is expanded again.") var task: String?
        @Option(help: "With --task of a mapped task: only its instance with this index (task[N]).") var mapIndex: Int?
        @Flag(help: "With --task, also clear everything downstream of it.") var downstream = false

        func run() async throws {
            let bag = try CLI.bag()
            let dag = try CLI.dag(dagID, in: bag)
            let store = try home.openStore()
            _ = try await CLI.run(run, dagID: dag.id, store: store)
            var ids: [String]?
            if let task {
                guard let definition = dag.task(task), definition.id == task else {
                    throw CLIError.usage("DAG '\(dagID)' has no task '\(task)'; tasks: \(dag.tasks.map(\.id).joined(separator: ", "))")
                }
                if let mapIndex {
                    guard definition.mapping != nil else { throw CLIError.usage("invalid --map-index \(mapIndex): task '\(task)' is not mapped") }
                    guard mapIndex >= 0 else { throw CLIError.usage("invalid --map-index \(mapIndex): map indexes start at 0") }
                }
                let named = mapIndex.map { MappedID.make(task, $0) } ?? task
                ids = downstream ? [named] + dag.downstreamClosure(of: [task]).filter { $0 != task } : [named]
            } else if let mapIndex {
                throw CLIError.usage("invalid --map-index \(mapIndex): give the mapped task with --task")
            }
            var budgets: [String: Int] = [:]
            for definition in dag.tasks { budgets[definition.id] = dag.retryPolicy(for: definition).maxTries }
            do {
                let cleared = try await store.clear(runID: run, taskIDs: ids, maxTries: budgets, actor: "cli", now: Date())
                await SchedulerWake.poke(store: store)
                print("cleared \(cleared.count) task instance(s) of \(run): \(cleared.joined(separator: ", "))")
            } catch let error as StoreError {
                throw CLIError.usage("\(error)")
            }
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the log of a task try (the latest by default).")
        @OptionGroup var home: HomeOptions
        @Argument(help: "DAG id") var dagID: String
        @Option(help: "Run id") var run: String
        @Option(help: "Task id") var task: String
        @Option(help: "A mapped task's instance index (task[N]).") var mapIndex: Int?
        @Option(name: .customLong("try"), help: "Try number (default: the latest).") var tryNumber: Int?
        @Flag(help: "Keep printing as the try writes, until it ends.") var follow = false

        func run() async throws {
            let bag = try CLI.bag()
            let dag = try CLI.dag(dagID, in: bag)
            guard let definition = dag.task(task) else {
                throw CLIError.usage("DAG '\(dagID)' has no task '\(task)'; tasks: \(dag.tasks.map(\.id).joined(separator: ", "))")
            }
            if let mapIndex, definition.mapping == nil || mapIndex < 0 {
                throw CLIError.usage("invalid --map-index \(mapIndex): " + (definition.mapping == nil ? "task '\(task)' is not mapped" : "map indexes start at 0"))
            }
            let task = mapIndex.map { MappedID.make(definition.id, $0) } ?? task
            let store = try home.openStore()
            _ = try await CLI.run(run, dagID: dag.id, store: store)
            let tries = try await store.tries(runID: run, taskID: task)
            guard let chosen = tryNumber.map({ number in tries.first { $0.tryNumber == number } }) ?? tries.last else {
                let known = tries.map { String($0.tryNumber) }.joined(separator: ", ")
                throw CLIError.usage(tries.isEmpty ? "task '\(task)' of run \(run) has not started a try yet" : "no try \(tryNumber!) of task '\(task)'; tries: \(known)")
            }
            var offset: UInt64 = 0
            while true {
                if let handle = FileHandle(forReadingAtPath: chosen.logPath) {
                    try handle.seek(toOffset: offset)
                    let data = handle.readDataToEndOfFile()
                    offset += UInt64(data.count)
                    try? handle.close()
                    FileHandle.standardOutput.write(data)
                }
                guard follow else { return }
                let current = try await store.tryRecord(runID: run, taskID: task, tryNumber: chosen.tryNumber)
                if current?.state != .running {
                    if let handle = FileHandle(forReadingAtPath: chosen.logPath) {
                        try handle.seek(toOffset: offset)
                        FileHandle.standardOutput.write(handle.readDataToEndOfFile())
                    }
                    return
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The child side of the local executor. Not for people: the scheduler runs it.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run one try of a task (used by the scheduler's executor).", shouldDisplay: false)
        @OptionGroup var home: HomeOptions
        @Argument var dagID: String
        @Argument var taskID: String
        @Option var run: String
        @Option(name: .customLong("try")) var tryNumber: Int

        func run() async throws {
            let code = try await Self.execute(home: home, dagID: dagID, taskID: taskID, runID: run, tryNumber: tryNumber)
            if code != 0 { throw ExitCode(code) }
        }

        /// Runs the try and returns the exit code. Also reached without ArgumentParser (see ``fastPath(_:)``).
        static func execute(home options: HomeOptions, dagID: String, taskID: String, runID: String, tryNumber: Int) async throws -> Int32 {
            let dag = try CLI.dagForTry(dagID)
            let home = options.resolved
            let store = try ForkServerWarmUp.standbyStore(for: home) ?? options.openStore()
            let work = Task { await TaskRunner.runTry(dag: dag, taskID: taskID, runID: runID, tryNumber: tryNumber, store: store, home: home) }
            // SIGTERM (timeout, shutdown) cancels a Swift body cooperatively; the supervisor SIGKILLs after its grace period.
            signal(SIGTERM, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
            source.setEventHandler { work.cancel() }
            source.resume()
            let code = await work.value
            source.cancel()
            return code
        }

        /// The executor's exact argv (`tasks run DAG TASK --run R --try N --home H`), parsed by hand: every task try
        /// starts a process, and ArgumentParser's reflection over the whole command tree costs several milliseconds
        /// of it. Anything else returns nil and goes through the parser.
        static func fastPath(_ arguments: [String]) -> (HomeOptions, String, String, String, Int)? {
            guard arguments.count == 10, arguments[0] == "tasks", arguments[1] == "run", arguments[4] == "--run", arguments[6] == "--try",
                arguments[8] == "--home", let tryNumber = Int(arguments[7])
            else { return nil }
            var options = HomeOptions()
            options.home = arguments[9]
            return (options, arguments[2], arguments[3], arguments[5], tryNumber)
        }
    }
}

/// The run id and interval `tasks test` reports (nothing is stored).
private func testRunIdentity(dag: DAG, logical: Date) -> (runID: String, interval: DateInterval) {
    let previous = (try? dag.cron())??.previousFireDate(before: logical, in: dag.timeZone) ?? logical
    return ("test__" + Template.timestamp(logical), DateInterval(start: min(previous, logical), end: logical))
}
