import Foundation
public import Store
public import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// Runs the work of one try inside the current process: a Swift body, or a shell command as a child process.
///
/// `nightshift tasks run` (the child the local executor starts) calls ``runTry(dag:taskID:runID:tryNumber:store:home:)``;
/// `tasks test` and the inline executor call ``perform(_:context:inheritGroup:)`` directly.
public enum TaskRunner {
    /// Exit code of a `tasks run` child whose try row is missing or no longer running (a stale launch).
    public static let staleTryExitCode: Int32 = 3

    /// The env vars every task process gets.
    public static func environment(for context: TaskContext) -> [String: String] {
        var environment = [
            "NIGHTSHIFT_DAG_ID": context.dagID,
            "NIGHTSHIFT_RUN_ID": context.runID,
            "NIGHTSHIFT_TASK_ID": context.taskID,
            "NIGHTSHIFT_TRY_NUMBER": String(context.tryNumber),
            "NIGHTSHIFT_LOGICAL_DATE": Template.timestamp(context.logicalDate),
        ]
        if let index = context.mapIndex { environment["NIGHTSHIFT_MAP_INDEX"] = String(index) }
        if let item = context.mapItem { environment["NIGHTSHIFT_MAP_ITEM"] = item.description }
        return environment
    }

    /// The element a mapped instance (`t[3]`) works on: its index in the list its task expands over; nil for an
    /// unmapped instance.
    /// - Throws: when the list is gone or shorter than the index (it changed after the expansion).
    public static func mapItem(of task: TaskDefinition, instanceID: String, runID: String, store: StateStore) async throws -> JSONValue? {
        guard let mapping = task.mapping, let index = MappedID.split(instanceID).index else { return nil }
        let items: [JSONValue]
        switch mapping.source {
        case .literal(let list):
            items = list
        case .xcom(let source, let key):
            guard let json = try await store.pullXCom(runID: runID, taskID: source, key: key), case .array(let list)? = try? JSONValue.parse(json)
            else { throw TaskRunnerError("the list \(source).\(key) that \(instanceID) maps over is gone") }
            items = list
        }
        guard items.indices.contains(index) else {
            throw TaskRunnerError("\(instanceID) has no element: \(mapping.sourceDescription) has \(items.count) now")
        }
        return items[index]
    }

    /// Why the lists a successful try of `instanceID` pushed cannot be mapped over by the tasks that expand over them
    /// (not a list, or longer than their limit), or nil when they can: the try then fails, naming the list and the task.
    public static func mappingProblem(dag: DAG, instanceID: String, runID: String, store: StateStore) async throws -> String? {
        for task in dag.tasks {
            guard let mapping = task.mapping, case .xcom(let source, let key) = mapping.source, source == instanceID else { continue }
            guard let json = try await store.pullXCom(runID: runID, taskID: source, key: key) else {
                return "pushed nothing under '\(key)' for task '\(task.id)' to map over (push a JSON list)"
            }
            guard case .array(let items)? = try? JSONValue.parse(json) else {
                return "pushed \(String(json.prefix(80))) under '\(key)', not a JSON list, for task '\(task.id)' to map over"
            }
            if items.count > mapping.limit {
                return "pushed a list of \(items.count) items under '\(key)', over the mapping limit of \(mapping.limit) of task '\(task.id)'"
            }
        }
        return nil
    }

    /// Performs `task` with `context` and returns how it ended. Never throws: errors become failed outcomes.
    /// - Parameter newProcessGroup: start a shell command in a process group of its own (the inline executor does, so a
    ///   timeout can kill it; a `tasks run` child already leads its own group).
    /// - Parameter shellOutput: where a shell task's stdout and stderr go (the terminal for `tasks test`, the try's log
    ///   for the inline executor; a task process's own output is already its log).
    /// - Parameter reschedule: a sensor in reschedule mode pokes once and returns ``TryOutcome/notReady(firstPoke:)``
    ///   when its condition does not hold (a `tasks run` child; elsewhere a sensor pokes until done, as in poke mode).
    public static func perform(
        _ task: TaskDefinition, context: TaskContext, newProcessGroup: Bool, shellOutput: SpawnSpec.Output = .inherit,
        reschedule: Bool = false
    ) async -> (TryOutcome, Int32) {
        switch task.work {
        case .swift(let body):
            do {
                if reschedule, let sensor = task.sensor, sensor.mode == .reschedule {
                    guard try await sensor.poke(context) else {
                        let waiting = sensor.stillWaiting(in: context)
                        context.log.info("sensor: \(waiting); the scheduler pokes again in \(sensor.every.spoken)")
                        return (.notReady(firstPoke: nil, waiting: waiting), 0)
                    }
                    context.log.info("sensor: the condition holds")
                } else {
                    try await body(context)
                }
                return (.success, 0)
            } catch let timeout as SensorTimedOut {
                context.log.error(timeout.sentence)
                return (.failed(exitStatus: Sensor.timeoutExitStatus, error: timeout.sentence), Sensor.timeoutExitStatus)
            } catch let skip as TaskSkipped {
                context.log.info("task skipped itself: \(skip.reason)")
                return (.skipped(reason: skip.reason), 0)
            } catch is CancellationError {
                context.log.error("task cancelled")
                return (.failed(exitStatus: 1, error: "cancelled"), 1)
            } catch {
                context.log.error("task failed: \(error)")
                return (.failed(exitStatus: 1, error: "\(error)"), 1)
            }
        case .shell(let command):
            let rendered: ShellCommand
            do {
                rendered = try command.rendered(with: context.templateValues)
            } catch {
                context.log.error("\(error)")
                return (.failed(exitStatus: 1, error: "\(error)"), 1)
            }
            var environment = ProcessInfo.processInfo.environment
            environment.merge(Self.environment(for: context)) { _, new in new }
            environment.merge(rendered.environment) { _, new in new }
            let spec = SpawnSpec(
                executable: rendered.argv[0], arguments: Array(rendered.argv.dropFirst()), environment: environment,
                workingDirectory: rendered.workingDirectory ?? context.scratchDirectory.path, output: shellOutput,
                newProcessGroup: newProcessGroup)
            let child: ChildProcess
            do {
                child = try ChildProcess.spawn(spec)
            } catch {
                context.log.error("\(error)")
                return (.failed(exitStatus: 127, error: "\(error)"), 127)
            }
            let status = await withTaskCancellationHandler {
                await child.waitForExit()
            } onCancel: {
                child.signalGroup(SIGTERM)
            }
            if status.succeeded { return (.success, 0) }
            return (.failed(exitStatus: status.code, error: "command \(status)"), status.code)
        }
    }

    /// The child side of a local try: checks the try is the one the store expects, records its own process, runs the
    /// task, and records the outcome before exiting. Output goes to stdout/stderr, which the executor pointed at the
    /// try's log file.
    /// - Returns: the process exit code (0 success, 1 failure, ``staleTryExitCode`` for a stale launch).
    public static func runTry(dag: DAG, taskID: String, runID: String, tryNumber: Int, store: StateStore, home: NightshiftHome) async -> Int32 {
        let log = TaskLogger.standardOutput
        guard let task = dag.task(taskID) else {
            log.error("DAG '\(dag.id)' has no task '\(taskID)'")
            return 2
        }
        do {
            let pid = getpid()
            guard
                let run = try await store.claimTry(
                    runID: runID, taskID: taskID, tryNumber: tryNumber, pid: pid, pgid: getpgrp(), procStart: ProcessTable.startTime(of: pid)),
                run.dagID == dag.id
            else {
                log.error("try \(tryNumber) of \(dag.id).\(taskID) in \(runID) is not running in the store; refusing to run it twice")
                return staleTryExitCode
            }
            let item = try await mapItem(of: task, instanceID: taskID, runID: runID, store: store)
            let context = try makeContext(
                dag: dag, task: task, instanceID: taskID, mapItem: item, run: run, tryNumber: tryNumber, home: home, log: log
            ) { ids in
                StoreContextBackend(store: store, dagID: ids.0, runID: ids.1, taskID: ids.2, tryNumber: tryNumber, home: home)
            }
            log.info("try \(tryNumber) of \(dag.id).\(taskID) (run \(runID), pid \(pid)) started")
            let started = Date()
            let (outcome, code) = await perform(task, context: context, newProcessGroup: false, reschedule: true)
            let seconds = String(format: "%.3f", Date().timeIntervalSince(started))
            switch outcome {
            case .success: log.info("try succeeded in \(seconds) s")
            case .skipped: log.info("try skipped in \(seconds) s")
            case .notReady: log.info("poke done in \(seconds) s; up for reschedule")
            default: log.info("try failed in \(seconds) s: \(outcome.errorText ?? "")")
            }
            var (recorded, recordedCode) = (outcome, code)
            if outcome == .success, let problem = try await mappingProblem(dag: dag, instanceID: taskID, runID: runID, store: store) {
                log.error("try failed: \(problem)")
                (recorded, recordedCode) = (.failed(exitStatus: 1, error: problem), 1)
            }
            if let reason = TaskLogger.standardOutputFailure {  // a full disk: the log lost lines, so the try fails, saying where
                let path = home.logPath(dagID: dag.id, runID: runID, taskID: taskID, tryNumber: tryNumber)
                let before = outcome.isClean ? "" : " (and before that: \(outcome.errorText ?? "failed"))"
                recorded = .failed(exitStatus: 1, error: "cannot write the try's log \(path): \(reason)\(before)")
                recordedCode = 1
            }
            try await store.recordOutcome(
                runID: runID, taskID: taskID, tryNumber: tryNumber, outcome: recorded, exitStatus: recordedCode, now: Date())
            return recorded.isClean ? 0 : 1
        } catch {
            log.error("try failed: \(error)")
            return 1
        }
    }

    /// Builds a try's context from its run row: params merged with conf, data interval, a fresh scratch directory.
    /// - Parameters:
    ///   - instanceID: the instance's id in the store: the task's id, or `t[3]` for a mapped instance (its XCom, scratch
    ///     directory and log are its own); the context's `taskID` is the task's.
    ///   - mapItem: a mapped instance's element (``mapItem(of:instanceID:runID:store:)``).
    public static func makeContext(
        dag: DAG, task: TaskDefinition, instanceID: String? = nil, mapItem: JSONValue? = nil, run: DAGRunRecord, tryNumber: Int,
        home: NightshiftHome, log: TaskLogger, backend: ((String, String, String)) -> any TaskContextBackend
    ) throws -> TaskContext {
        let instance = instanceID ?? task.id
        let scratch = home.scratchDirectory(dagID: dag.id, runID: run.runID, taskID: instance, tryNumber: tryNumber)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        return TaskContext(
            dagID: dag.id, runID: run.runID, taskID: task.id, logicalDate: run.logicalDate,
            dataInterval: DateInterval(start: run.intervalStart, end: max(run.intervalStart, run.intervalEnd)), tryNumber: tryNumber,
            params: dag.mergedParams(conf: run.confObject), log: log, scratchDirectory: scratch, homeDirectory: home.root,
            mapIndex: MappedID.split(instance).index, mapItem: mapItem, backend: backend((dag.id, run.runID, instance)))
    }
}

/// A try that cannot start or end as its definition asks (a mapped instance whose list is gone).
public struct TaskRunnerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
