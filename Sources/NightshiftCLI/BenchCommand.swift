import ArgumentParser
import Executor
import Foundation
import Logging
import Scheduler
import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "bench", abstract: "Benchmarks that print figures.",
            subcommands: [SchedulerBench.self, DashboardBench.self] + CommandEnvironment.current.extensions.flatMap(\.benchCommands))
    }
}

extension BenchCommand {
    struct SchedulerBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scheduler",
            abstract: "Run a synthetic DAG of no-op shell tasks through the real scheduler, store and executor on a temporary home.")
        enum Shape: String, ExpressibleByArgument, CaseIterable { case chain, fan }
        enum ExecutorKind: String, ExpressibleByArgument, CaseIterable { case local, inline }

        @Option(help: "chain (each task after the previous) or fan (independent tasks).") var shape: Shape = .chain
        @Option(help: "Number of tasks.") var tasks = 50
        @Option(help: "local (a child process per try) or inline (same process).") var executor: ExecutorKind = .local
        @Option(help: """
            How the local executor starts a try: default (what the scheduler uses), spawn-ahead, warm-fork-server, \
            fork-server (cold), or spawn (posix_spawn).
            """)
        var launcher: LauncherKind = .default
        enum LauncherKind: String, ExpressibleByArgument, CaseIterable {
            case `default`, spawnAhead = "spawn-ahead", warmForkServer = "warm-fork-server", forkServer = "fork-server", spawn
        }
        @Option(help: "Repeats; the median is reported.") var `repeat` = 3
        @Option(help: "Task tries running at once.") var parallelism = 16
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            guard (1...20_000).contains(tasks) else { throw CLIError.usage("invalid --tasks '\(tasks)': use 1 to 20000") }
            guard `repeat` >= 1 else { throw CLIError.usage("invalid --repeat '\(`repeat`)': must be at least 1") }
            let chosen = LocalExecutor.Launcher(rawValue: launcher.rawValue) ?? CommandEnvironment.current.launcher
            let spec = "\(shape.rawValue):\(tasks)"
            setenv(SyntheticDAGs.environmentKey, spec, 1)  // the children rebuild the same DAG from it
            let bag = try CLI.bag()
            let dag = SyntheticDAGs.dags(for: spec)[0]
            var walls: [Double] = []
            var inTry: [Double] = [], between: [Double] = []
            for _ in 0..<`repeat` {
                let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightshift-bench-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: root) }
                let home = NightshiftHome(root)
                let store = try home.openStore()
                let executor: any TryExecutor = executor == .local
                    ? LocalExecutor(executable: LocalExecutor.currentExecutable, home: home, store: store,
                                    launcher: chosen)
                    : InlineExecutor(bag: bag, store: store, home: home)
                var configuration = SchedulerConfiguration()
                configuration.exitWhenIdle = true
                configuration.limits.parallelism = parallelism
                let scheduler = SchedulerService(bag: bag, store: store, executor: executor, home: home, configuration: configuration,
                                                 logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
                let started = Date()
                let request = RunFactory.manualRun(of: dag, cron: nil, logicalDate: started, suffix: "bench")
                try await store.createRun(of: dag, runID: request.runID, logicalDate: started, interval: request.interval, type: .manual, conf: [:],
                                          actor: "bench", now: started)
                try await scheduler.run()
                let wall = Date().timeIntervalSince(started)
                guard let run = try await store.run(request.runID), run.state == .success else {
                    throw CLIError.failure("benchmark run did not succeed; see \(home.root.path)")
                }
                walls.append(wall)
                if shape == .chain {  // a hop: the try (its row started → its outcome recorded), then the scheduler (→ the next row)
                    let tries = try await store.tries(runID: request.runID).sorted { $0.startDate < $1.startDate }
                    for (index, attempt) in tries.enumerated() {
                        guard let end = attempt.endDate else { continue }
                        inTry.append(end.timeIntervalSince(attempt.startDate) * 1000)
                        if index + 1 < tries.count { between.append(tries[index + 1].startDate.timeIntervalSince(end) * 1000) }
                    }
                }
                if !json { FileHandle.standardError.write(Data(String(format: "  run: %.3f s\n", wall).utf8)) }
            }
            let wall = Self.median(walls)
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            let peakMB = Double(usage.ru_maxrss) / 1024
            let perTask = wall / Double(tasks) * 1000
            if json {
                CLI.printJSON(.object([
                    "shape": .string(shape.rawValue), "tasks": .number(Double(tasks)), "executor": .string(executor.rawValue),
                    "launcher": .string(executor == .local ? chosen.rawValue : "none"),
                    "repeat": .number(Double(`repeat`)), "wall_s": .number(wall), "per_task_ms": .number(perTask), "peak_rss_mb": .number(peakMB),
                    "walls_s": .array(walls.map(JSONValue.number)),
                    "try_ms_median": inTry.isEmpty ? .null : .number(Self.median(inTry)),
                    "scheduler_ms_median": between.isEmpty ? .null : .number(Self.median(between)),
                ]))
            } else {
                let how = executor == .local ? "local executor (\(chosen.rawValue))" : "inline executor"
                print(String(format: "%@ of %d, %@, median of %d: wall %.3f s, %.2f ms per task, peak RSS %.1f MB",
                             shape.rawValue, tasks, how, `repeat`, wall, perTask, peakMB))
                if !inTry.isEmpty, !between.isEmpty {
                    print(String(format: "  per hop (medians): %.2f ms in the try (its row started → its outcome recorded), %.2f ms in the scheduler (outcome → next row started)",
                                 Self.median(inTry), Self.median(between)))
                }
            }
        }

        static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    }
}
