import ArgumentParser
import Foundation
import Logging

/// `nightshift`: workflows in Swift on cron schedules, one process per task try, state in SQLite.
@main
struct Nightshift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightshift",
        abstract: "A workflow orchestrator: Swift DAGs on cron schedules, a child process per task try, run state in SQLite.",
        subcommands: [
            StandaloneCommand.self, ServeCommand.self, SchedulerCommand.self, DAGsCommand.self, RunsCommand.self, TasksCommand.self, ScheduleCommand.self,
            DBCommand.self, BenchCommand.self, DemoCatalogCommand.self, CatalogueCommand.self, ArchiveCommand.self,
        ])

    /// Maps errors to the documented exit codes: 0 ok, 1 a run or task failed, 2 bad usage, bad input or unknown id.
    static func main() async {
        if let (home, dagID, taskID, runID, tryNumber) = TasksCommand.Run.fastPath(Array(CommandLine.arguments.dropFirst())) {
            do {
                Foundation.exit(try await TasksCommand.Run.execute(home: home, dagID: dagID, taskID: taskID, runID: runID, tryNumber: tryNumber))
            } catch let error as CLIError {
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                Foundation.exit(error.exitCode)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                Foundation.exit(1)
            }
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .failure ? 1 : 2)
        }
    }
}

/// A failure the CLI reports in one sentence, with its exit code.
struct CLIError: Error {
    let message: String
    let exitCode: Int32

    /// Bad usage, bad input or an unknown id: exit 2.
    static func usage(_ message: String) -> CLIError { CLIError(message: message, exitCode: 2) }
    /// A run or task failed, or the store could not be used: exit 1.
    static func failure(_ message: String) -> CLIError { CLIError(message: message, exitCode: 1) }
}
