import ArgumentParser
import CForkServer
import Executor
import Foundation
import Logging
import Store
public import Workflow

/// The whole Nightshift command line over a DAG list of your own: scheduler, dashboard, `standalone`, `dags`, `runs`,
/// `tasks`, `schedule`, `db` and `bench`, with each task try run as a child process of the same binary.
///
/// A package of your own DAGs hands its list to ``main(dags:pools:extensions:)`` from its executable's `main.swift`:
///
/// ```swift
/// import NightshiftCLI
/// import Workflow
///
/// let report = DAG("nightly_report", schedule: .cron("0 3 * * *")) {
///     TaskDefinition.shell("fetch", "echo fetching {{ ds }}")
/// }
/// Nightshift.main(dags: [report], pools: ["database": 2])
/// ```
///
/// Then `swift run my-jobs standalone` runs the scheduler and the dashboard over `./.nightshift`, and
/// `swift run my-jobs dags trigger nightly_report --wait` runs it once.
public enum Nightshift {
    /// Parses the process's arguments, runs the command over `dags`, and exits with the documented exit code: 0 ok, 1 a run
    /// or task failed (or a DAG definition is invalid), 2 bad usage, bad input or an unknown id.
    ///
    /// Every command validates the DAG list first: a duplicate id, a cycle, a bad cron field, an unknown pool or an empty
    /// list is reported in one sentence naming the DAG, and the process exits 1. A task try's own process (the
    /// executor's `tasks run`) checks only its DAG: the scheduler that launched it checked the list.
    /// - Parameters:
    ///   - dags: the DAGs this binary schedules and runs.
    ///   - pools: named pools and their slot counts (`["training": 1]`); tasks without a pool share `default`.
    ///   - extensions: extra commands and `standalone` services, such as ``Extension`` values that libraries provide
    ///     (the fake anime pipeline's `FakeAnimeDAGs.AnimePipeline.extension`).
    ///
    /// Call it without `await` (from `main.swift`'s synchronous top level): then the scheduler's fork server is warm,
    /// so every task try starts with the DAG list built and validated and the code a try runs already loaded (see
    /// ``LocalExecutor/Launcher/spawnAhead``). The `async` overload, for a `main.swift` that awaits it, works the
    /// same except that its tries come from a cold fork server.
    public static func main(dags: [DAG], pools: [String: Int] = [:], extensions: [Extension] = []) -> Never {
        var environment = CommandEnvironment(dags: dags, pools: pools, extensions: extensions)
        environment.launcher = .spawnAhead
        CommandEnvironment.install(environment)
        var arguments = Array(CommandLine.arguments.dropFirst())
        if ns_fork_server_pending() != 0 {
            // This process is a warm fork server, still on its only thread: warm up, then serve. The server never
            // comes back from serve(); each child forked for a try does, with the try's arguments.
            ForkServerWarmUp.run()
            if ns_fork_server_serve() != 0 {
                if ns_fork_server_is_standby() != 0 {
                    // A standby: warms up with threads (which the server may not have), waits to be assigned a try, and
                    // runs it on the thread that is already going.
                    Task.detached {
                        await ForkServerWarmUp.standBy()
                        Foundation.exit(await run(ForkServerWarmUp.childArguments()))
                    }
                    dispatchMain()
                }
                arguments = ForkServerWarmUp.childArguments()
            }
        }
        Task.detached { Foundation.exit(await run(arguments)) }
        dispatchMain()
    }

    /// ``main(dags:pools:extensions:)`` for a `main.swift` that calls it with `await`.
    public static func main(dags: [DAG], pools: [String: Int] = [:], extensions: [Extension] = []) async -> Never {
        if ns_fork_server_pending() != 0 {
            ns_fork_server_refuse("main.swift awaits Nightshift.main, so this process already has threads and cannot fork tries")
        }
        CommandEnvironment.install(CommandEnvironment(dags: dags, pools: pools, extensions: extensions))
        Foundation.exit(await run(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs one command line and returns its exit code (``main(dags:pools:extensions:)`` without the exit).
    static func run(_ arguments: [String]) async -> Int32 {
        if let (home, dagID, taskID, runID, tryNumber) = TasksCommand.Run.fastPath(arguments) {
            do {
                return try await TasksCommand.Run.execute(home: home, dagID: dagID, taskID: taskID, runID: runID, tryNumber: tryNumber)
            } catch {
                return report(error)
            }
        }
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if !(command is InitCommand) && !(command is ScheduleCommand.Next) {
                _ = try CLI.bag()  // a broken DAG list is reported by every command that schedules, lists or runs DAGs
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            return report(error)
        }
    }

    private static func report(_ error: any Error) -> Int32 {
        if let error = error as? CLIError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            return error.exitCode
        }
        if let error = error as? ExitCode { return error.rawValue }
        if let sentence = StoreError.diskFullSentence(error) {
            FileHandle.standardError.write(Data("error: \(sentence)\n".utf8))
            return 1
        }
        let code = RootCommand.exitCode(for: error)
        if code == .success {  // --help, --version: ArgumentParser's text on stdout
            print(RootCommand.fullMessage(for: error))
            return 0
        }
        FileHandle.standardError.write(Data((RootCommand.fullMessage(for: error) + "\n").utf8))
        return code == .failure ? 1 : 2
    }
}

/// The root of the command tree. Its name is the running binary's, so `my-jobs --help` reads as `my-jobs`.
struct RootCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        let environment = CommandEnvironment.current
        return CommandConfiguration(
            commandName: environment.commandName,
            abstract: "A workflow orchestrator: Swift DAGs on cron schedules, a child process per task try, run state in SQLite.",
            subcommands: [
                StandaloneCommand.self, ServeCommand.self, SchedulerCommand.self, DAGsCommand.self, RunsCommand.self, TasksCommand.self,
                ScheduleCommand.self, DBCommand.self, BenchCommand.self, EventsCommand.self, AssetsCommand.self, UsersCommand.self, NotifyCommand.self, InitCommand.self,
            ] + environment.extensions.flatMap(\.commands))
    }
}

/// A failure the CLI reports in one sentence, with its exit code.
package struct CLIError: Error {
    package let message: String
    package let exitCode: Int32

    /// Bad usage, bad input or an unknown id: exit 2.
    package static func usage(_ message: String) -> CLIError { CLIError(message: message, exitCode: 2) }
    /// A run or task failed, or the store could not be used: exit 1.
    package static func failure(_ message: String) -> CLIError { CLIError(message: message, exitCode: 1) }
}
