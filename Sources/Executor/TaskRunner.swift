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
        [
            "NIGHTSHIFT_DAG_ID": context.dagID,
            "NIGHTSHIFT_RUN_ID": context.runID,
            "NIGHTSHIFT_TASK_ID": context.taskID,
            "NIGHTSHIFT_TRY_NUMBER": String(context.tryNumber),
            "NIGHTSHIFT_LOGICAL_DATE": Template.timestamp(context.logicalDate),
        ]
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
                        context.log.info("sensor: \(waiting); the scheduler pokes again in \(Sensor.describe(sensor.every))")
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
            let context = try makeContext(dag: dag, task: task, run: run, tryNumber: tryNumber, home: home, log: log) { ids in
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
    public static func makeContext(
        dag: DAG, task: TaskDefinition, run: DAGRunRecord, tryNumber: Int, home: NightshiftHome, log: TaskLogger,
        backend: ((String, String, String)) -> any TaskContextBackend
    ) throws -> TaskContext {
        let scratch = home.scratchDirectory(dagID: dag.id, runID: run.runID, taskID: task.id, tryNumber: tryNumber)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        return TaskContext(
            dagID: dag.id, runID: run.runID, taskID: task.id, logicalDate: run.logicalDate,
            dataInterval: DateInterval(start: run.intervalStart, end: max(run.intervalStart, run.intervalEnd)), tryNumber: tryNumber,
            params: dag.mergedParams(conf: run.confObject), log: log, scratchDirectory: scratch, homeDirectory: home.root,
            backend: backend((dag.id, run.runID, task.id)))
    }
}
