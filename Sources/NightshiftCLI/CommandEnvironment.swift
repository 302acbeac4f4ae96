package import Executor
import Foundation
import Synchronization
package import Workflow

/// What this process's command line runs over: the DAG list, pools and extensions handed to ``Nightshift/main(dags:pools:extensions:)``.
/// Installed once before any command parses; commands read it through ``CLI/bag()``.
package struct CommandEnvironment: Sendable {
    package var dags: [DAG]
    package var pools: [String: Int]
    package var extensions: [Nightshift.Extension]
    /// The binary's file name (`nightshift`, `my-jobs`), used in help and in the commands `standalone` suggests.
    package var commandName: String
    /// How the scheduler starts tries: from a warm fork server when `main` was entered synchronously (the process
    /// is single-threaded there, so it can serve forks after warming up), else from a cold one.
    package var launcher: LocalExecutor.Launcher = .forkServer

    package init(dags: [DAG], pools: [String: Int], extensions: [Nightshift.Extension], commandName: String? = nil) {
        self.dags = dags
        self.pools = pools
        self.extensions = extensions
        self.commandName = commandName ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "nightshift").lastPathComponent
    }

    private static let installed = Mutex(CommandEnvironment(dags: [], pools: [:], extensions: [], commandName: "nightshift"))

    package static var current: CommandEnvironment { installed.withLock { $0 } }

    package static func install(_ environment: CommandEnvironment) {
        installed.withLock { $0 = environment }
        CLI.validated.withLock { $0 = nil }
    }
}
