import Foundation
public import Store
public import Workflow

/// Runs tries inside the current process (shell commands still run as child processes, in a group of their own).
/// For unit tests of the scheduler and for `tasks test`.
public struct InlineExecutor: TryExecutor {
    public let bag: DAGBag
    public let store: StateStore
    public let home: NightshiftHome

    public init(bag: DAGBag, store: StateStore, home: NightshiftHome) {
        self.bag = bag
        self.store = store
        self.home = home
    }

    public func execute(_ launch: TryLaunch) async -> ExecutedTry? {
        guard let dag = bag[launch.dagID], let task = dag.task(launch.taskID) else {
            return ExecutedTry(observed: .failed(exitStatus: nil, error: "unknown task \(launch.dagID).\(launch.taskID)"), exitStatus: nil)
        }
        do {
            guard let run = try await store.run(launch.runID) else {
                return ExecutedTry(observed: .failed(exitStatus: nil, error: "unknown run \(launch.runID)"), exitStatus: nil)
            }
            let logURL = URL(fileURLWithPath: launch.logPath)
            try FileManager.default.createDirectory(at: logURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            let log = TaskLogger { line in Self.append(line + "\n", to: launch.logPath) }
            let store = self.store
            let item = try await TaskRunner.mapItem(of: task, instanceID: launch.taskID, runID: launch.runID, store: store)
            let context = try TaskRunner.makeContext(
                dag: dag, task: task, instanceID: launch.taskID, mapItem: item, run: run, tryNumber: launch.tryNumber, home: home, log: log
            ) { ids in
                StoreContextBackend(store: store, dagID: ids.0, runID: ids.1, taskID: ids.2, tryNumber: launch.tryNumber, home: home)
            }
            let work = Task {
                await TaskRunner.perform(task, context: context, newProcessGroup: true, shellOutput: .appendToFile(launch.logPath))
            }
            var result: (TryOutcome, Int32)
            if let timeout = launch.timeout {
                let timer = Task {
                    try await Task.sleep(for: timeout)
                    work.cancel()
                }
                result = await work.value
                timer.cancel()
                if work.isCancelled { return ExecutedTry(observed: .timedOut(after: timeout.seconds), exitStatus: result.1) }
            } else {
                result = await work.value
            }
            if result.0 == .success,
                let problem = try await TaskRunner.mappingProblem(dag: dag, instanceID: launch.taskID, runID: launch.runID, store: store)
            {
                log.error("try failed: \(problem)")
                result = (.failed(exitStatus: 1, error: problem), 1)
            }
            try await store.recordOutcome(
                runID: launch.runID, taskID: launch.taskID, tryNumber: launch.tryNumber, outcome: result.0, exitStatus: result.1, now: Date())
            return ExecutedTry(observed: result.0, exitStatus: result.1)
        } catch {
            return ExecutedTry(observed: .failed(exitStatus: nil, error: "\(error)"), exitStatus: nil)
        }
    }

    static func append(_ text: String, to path: String) {
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
    }
}
