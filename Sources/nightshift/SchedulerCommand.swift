import ArgumentParser
import DAGs
import Executor
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Store
import UnixSignals
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// Options every scheduler-running command shares.
struct SchedulerOptions: ParsableArguments {
    @Option(help: "Task tries running at once over all DAGs.") var parallelism = 16
    @Option(help: "Seconds running tries get to finish on SIGTERM/SIGINT before the scheduler leaves them for the next start.")
    var shutdownGrace = 10.0

    func configuration() throws -> SchedulerConfiguration {
        guard parallelism >= 1 else { throw CLIError.usage("invalid --parallelism '\(parallelism)': must be at least 1") }
        guard shutdownGrace >= 0 else { throw CLIError.usage("invalid --shutdown-grace '\(shutdownGrace)': must not be negative") }
        var configuration = SchedulerConfiguration()
        configuration.limits.parallelism = parallelism
        configuration.shutdownGrace = .milliseconds(Int64(shutdownGrace * 1000))
        return configuration
    }
}

struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Run the scheduler: fire DAGs on their schedules and run triggered runs, a child process per try.")
    @OptionGroup var home: HomeOptions
    @OptionGroup var options: SchedulerOptions

    func run() async throws {
        CLI.bootstrapLogging()
        try await SchedulerRunner.run(home: home, configuration: try options.configuration(), label: "nightshift.scheduler")
    }
}

struct StandaloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standalone",
        abstract: "Everything in one process on one home: the scheduler with the project's DAGs and the dashboard.")
    @OptionGroup var home: HomeOptions
    @OptionGroup var options: SchedulerOptions
    @OptionGroup var dashboardOptions: DashboardOptions
    @Flag(help: "Do not trigger the anime pipeline's first run on an empty archive.") var noFirstRun = false

    func run() async throws {
        CLI.bootstrapLogging()
        let home = self.home.resolved
        let bag = try CLI.bag()
        FileHandle.standardError.write(Data("""
            Nightshift standalone
              home:  \(home.root.path)
              DAGs:  \(bag.ids.joined(separator: ", "))
              try:   \(LocalExecutor.currentExecutable) archive random --home \(home.root.path)
                     \(LocalExecutor.currentExecutable) dags trigger example_etl --home \(home.root.path) --wait
            Stop with Ctrl-C; running tries get \(Int(options.shutdownGrace)) s to finish.

            """.utf8))
        try await SchedulerRunner.run(home: self.home, configuration: try options.configuration(), label: "nightshift.standalone", dashboard: dashboardOptions,
            anime: .init(firstRun: !noFirstRun))
    }
}

enum SchedulerRunner {
    /// What `standalone` adds for the anime pipeline.
    struct AnimeOptions {
        var firstRun: Bool
    }

    static func run(
        home options: HomeOptions, configuration: SchedulerConfiguration, label: String, dashboard: DashboardOptions? = nil,
        anime: AnimeOptions? = nil
    ) async throws {
        let bag = try CLI.bag()
        let store = try options.openStore(longLived: true)
        let home = options.resolved
        let logger = Logger(label: label)
        let executor = LocalExecutor(executable: LocalExecutor.currentExecutable, home: home, store: store)
        let scheduler = SchedulerService(bag: bag, store: store, executor: executor, home: home, configuration: configuration, logger: logger)
        signal(SIGUSR1, SIG_IGN)
        let poke = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        poke.setEventHandler { scheduler.poke() }
        poke.resume()
        defer { poke.cancel() }
        logger.info("Scheduler started", metadata: ["home": "\(home.root.path)", "dags": "\(bag.ids.count)", "pid": "\(getpid())"])
        var services: [any Service] = [scheduler]
        if let dashboard {  // the dashboard beside the scheduler, over the same store
            try await store.register(bag, now: Date())
            services.append(dashboard.service(try dashboard.makeDashboard(home: home, store: store, logger: Logger(label: "nightshift.dashboard"))))
        }
        if let anime {
            try await store.register(bag, now: Date())
            services.append(AnimeBootstrap(
                store: store, bag: bag, logger: Logger(label: "nightshift.anime"), poke: { scheduler.poke() }, firstRun: anime.firstRun))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
