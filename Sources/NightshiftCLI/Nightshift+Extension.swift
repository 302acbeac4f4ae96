public import ArgumentParser
public import Dashboard
public import Logging
public import ServiceLifecycle
public import Store
public import Workflow

extension Nightshift {
    /// What a library adds to the command line beside its DAGs: commands of its own, benchmarks under `bench`, and
    /// services that `standalone` runs next to the scheduler and the dashboard (a demo data source, a first run).
    ///
    /// ```swift
    /// struct Greet: AsyncParsableCommand {
    ///     func run() async throws { print("hello") }
    /// }
    /// Nightshift.main(dags: MyJobs.dags, extensions: [.init(name: "greetings", commands: [Greet.self])])
    /// ```
    /// `@unchecked Sendable`: the command types are immutable metatypes, the closures are `@Sendable`.
    public struct Extension: @unchecked Sendable {
        /// Shown in logs.
        public var name: String
        /// Extra top-level commands.
        public var commands: [any AsyncParsableCommand.Type]
        /// Extra subcommands of `bench`.
        public var benchCommands: [any AsyncParsableCommand.Type]
        /// The services `standalone` runs beside the scheduler and the dashboard.
        public var standaloneServices: @Sendable (StandaloneContext) -> [any Service]
        /// Lines `standalone` prints under "try:", given the binary's path and the home's.
        public var standaloneHints: @Sendable (_ executable: String, _ home: String) -> [String]
        /// Whether the dashboard's `/` is the public archive page this extension fills (else `/` leads to `/dags`).
        public var servesPublicArchive: Bool
        /// Sections the dashboard adds behind its login (`serve` and `standalone`), such as the anime pipeline's `/models`.
        public var dashboardPages: [DashboardPage]

        /// - Parameters:
        ///   - name: shown in logs.
        ///   - commands: extra top-level commands.
        ///   - benchCommands: extra subcommands of `bench`.
        ///   - standaloneServices: services to run in `standalone`, built once the store is open.
        ///   - standaloneHints: example commands `standalone` prints at start.
        ///   - servesPublicArchive: whether the dashboard's `/` shows the archive this extension publishes.
        ///   - dashboardPages: dashboard sections this extension serves.
        public init(
            name: String, commands: [any AsyncParsableCommand.Type] = [], benchCommands: [any AsyncParsableCommand.Type] = [],
            standaloneServices: @escaping @Sendable (StandaloneContext) -> [any Service] = { _ in [] },
            standaloneHints: @escaping @Sendable (_ executable: String, _ home: String) -> [String] = { _, _ in [] },
            servesPublicArchive: Bool = false, dashboardPages: [DashboardPage] = []
        ) {
            self.servesPublicArchive = servesPublicArchive
            self.dashboardPages = dashboardPages
            self.name = name
            self.commands = commands
            self.benchCommands = benchCommands
            self.standaloneServices = standaloneServices
            self.standaloneHints = standaloneHints
        }
    }

    /// What an ``Extension``'s `standalone` services get.
    public struct StandaloneContext: Sendable {
        /// The open store of the home `standalone` runs on (DAGs already registered).
        public let store: StateStore
        /// The validated DAG list.
        public let bag: DAGBag
        /// A logger labelled with the extension's name.
        public let logger: Logger
        /// False with `standalone --no-first-run`: skip work meant only for a fresh home.
        public let firstRun: Bool
        /// Wakes the scheduler at once (after triggering a run).
        public let pokeScheduler: @Sendable () -> Void
    }
}
