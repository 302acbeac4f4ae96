import ArgumentParser
import Dashboard
import Executor
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Store
import Telemetry
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
    @Option(help: "Remove finished runs older than this (with their tries, XCom, metrics, logs and old events) at start and once a day, as `db clean --older-than` does: a number and a unit (s, m, h, d, w), such as 30d. Default: keep everything.")
    var retention: String?

    /// The retention in seconds, if one was asked for.
    func retentionSeconds() throws -> TimeInterval? {
        try retention.map { try CLI.parseDuration($0, option: "--retention") }
    }

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
        commandName: "scheduler",
        abstract: "Run the scheduler: fire DAGs on their schedules and run triggered runs, a child process per try.",
        discussion: """
            The scheduler re-executes itself when its binary is rebuilt (or on SIGHUP, or `scheduler --reload`), adopting \
            the tries that are running: a redeploy loses no run.
            """)
    @OptionGroup var home: HomeOptions
    @OptionGroup var options: SchedulerOptions
    @OptionGroup var log: LogOptions
    @Flag(help: "Ask the scheduler running on this home to reload its binary now (SIGHUP), then exit.") var reload = false
    @Option(help: "Serve this scheduler's own /metrics (pass, try and hand-off histograms) on this port; `serve` shows the store's. Default: none.")
    var metricsPort: Int?
    @Option(help: "The interface --metrics-port binds.") var metricsHost = "127.0.0.1"

    func validate() throws {
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("invalid --metrics-port '\(metricsPort)': use 0 to 65535")
        }
    }

    func run() async throws {
        if reload {
            let store = try home.openStore()
            let pid = try await ReloadWatcher.requestReload(store: store, home: home.resolved)
            print("asked the scheduler (pid \(pid)) on \(home.resolved.root.path) to reload")
            return
        }
        CLI.bootstrapLogging(format: log.logFormat)
        Telemetry.bootstrap()
        try await SchedulerRunner.run(
            home: home, configuration: try options.configuration(), retention: try options.retentionSeconds(), label: "nightshift.scheduler",
            metrics: metricsPort.map { (metricsHost, $0) })
    }
}

struct StandaloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standalone",
        abstract: "Everything in one process on one home: the scheduler with this binary's DAGs and the dashboard.")
    @OptionGroup var home: HomeOptions
    @OptionGroup var options: SchedulerOptions
    @OptionGroup var dashboardOptions: DashboardOptions
    @OptionGroup var log: LogOptions
    @Flag(help: "Do not start the first-run work of this binary's extensions (the anime pipeline's first training).") var noFirstRun = false

    func run() async throws {
        let configuration = try options.configuration()
        let retention = try options.retentionSeconds()
        CLI.bootstrapLogging(format: log.logFormat)
        Telemetry.bootstrap()
        let home = self.home.resolved
        let bag = try CLI.bag()
        let environment = CommandEnvironment.current
        let executable = ReloadWatcher.executablePath
        let hints = environment.extensions.flatMap { $0.standaloneHints(executable, home.root.path) }
            + ["\(executable) dags trigger \(bag.ids.first { !$0.hasPrefix("anime_") } ?? bag.ids[0]) --home \(home.root.path) --wait"]
        CLI.announce("""
            Nightshift standalone
              home:  \(home.root.path)
              DAGs:  \(bag.ids.joined(separator: ", "))
              try:   \(hints.joined(separator: "\n         "))
            Stop with Ctrl-C; running tries get \(Int(options.shutdownGrace)) s to finish.

            """)
        try await SchedulerRunner.run(
            home: self.home, configuration: configuration, retention: retention, label: "nightshift.standalone", dashboard: dashboardOptions,
            standalone: .init(firstRun: !noFirstRun))
    }
}

enum SchedulerRunner {
    /// What `standalone` adds: the extensions' services.
    struct StandaloneOptions {
        var firstRun: Bool
    }

    /// Runs the scheduler (and, for `standalone`, the dashboard and the extensions' services) until SIGTERM/SIGINT, or
    /// until a reload, which re-executes this process's binary with the same arguments.
    static func run(
        home options: HomeOptions, configuration: SchedulerConfiguration, retention: TimeInterval? = nil, label: String,
        dashboard: DashboardOptions? = nil, standalone: StandaloneOptions? = nil, metrics: (host: String, port: Int)? = nil
    ) async throws {
        let executable = ReloadWatcher.executablePath
        let started = ReloadWatcher.identity(of: executable)
        let bag = try CLI.bag()
        try options.preflight()
        let store = try options.openStore(longLived: true)
        let home = options.resolved
        let logger = Logger(label: label)
        let executor = LocalExecutor(executable: executable, home: home, store: store, launcher: CommandEnvironment.current.launcher)
        let notifier = Notifier(
            store: store, home: home, baseURL: NotifyCommand.baseURL(dashboardPort: dashboard?.port), logger: Logger(label: "nightshift.notify"))
        let scheduler = SchedulerService(
            bag: bag, store: store, executor: executor, home: home, configuration: configuration, notifier: notifier, logger: logger)
        signal(SIGUSR1, SIG_IGN)
        let poke = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        poke.setEventHandler { scheduler.poke() }
        poke.resume()
        defer { poke.cancel() }
        logger.info("Scheduler started", metadata: ["home": "\(home.root.path)", "dags": "\(bag.ids.count)", "pid": "\(getpid())"])
        try await store.register(bag, now: Date())
        var services: [any Service] = [scheduler]
        if let retention {
            services.append(RetentionService(store: store, home: home, retention: retention, logger: Logger(label: "nightshift.retention")))
        }
        if let dashboard {  // the dashboard beside the scheduler, over the same store
            services.append(dashboard.service(try dashboard.makeDashboard(home: home, store: store, logger: Logger(label: "nightshift.dashboard"))))
        }
        if let metrics {
            services.append(MetricsEndpoint.application(host: metrics.host, port: metrics.port, logger: logger) { port in
                CLI.announce("Scheduler metrics: http://\(metrics.host.contains(":") ? "[\(metrics.host)]" : metrics.host):\(port)/metrics\n")
            })
        }
        if let standalone {
            for plugin in CommandEnvironment.current.extensions {
                services += plugin.standaloneServices(
                    .init(store: store, bag: bag, logger: Logger(label: "nightshift.\(plugin.name)"), firstRun: standalone.firstRun,
                          pokeScheduler: { scheduler.poke() }))
            }
        }
        let watcher = ReloadWatcher(executable: executable, original: started, home: home, logger: logger)
        services.append(watcher)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        watcher.onReload = { [group] in
            scheduler.leaveRunningTriesOnShutdown()
            await group.triggerGracefulShutdown()
        }
        try await group.run()
        if let reason = watcher.reloadReason {
            ReloadWatcher.reexec(executable: executable, reason: reason, logger: logger)  // returns only if exec failed
            throw CLIError.failure("reload failed: cannot execute \(executable): \(String(cString: strerror(errno)))")
        }
    }
}
