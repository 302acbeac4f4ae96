import ArgumentParser
import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import Store
import Telemetry
import UnixSignals

/// `--host` and `--port`, shared by `serve` and `standalone`.
struct DashboardOptions: ParsableArguments {
    @Option(help: "The interface the dashboard binds (127.0.0.1 keeps it local; 0.0.0.0 exposes it).") var host = "127.0.0.1"
    @Option(help: "The dashboard's port.") var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("invalid --port '\(port)': use 0 to 65535") }
    }

    /// The dashboard over `store` with the project's DAGs; prints where it listens and any generated secret once.
    func makeDashboard(home: NightshiftHome, store: StateStore, logger: Logger) throws -> Dashboard {
        do {
            let extensions = CommandEnvironment.current.extensions
            return try Dashboard(
                configuration: .init(
                    home: home, bag: try CLI.bag(), host: host, port: port, publicArchive: extensions.contains(where: \.servesPublicArchive),
                    pages: extensions.flatMap(\.dashboardPages)),
                store: store, logger: logger)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.failure("cannot set up the dashboard's credentials under \(home.root.path)/dashboard: \(error)")
        }
    }

    /// The dashboard as a service: prints the banner (with the bound port) once it listens.
    func service(_ dashboard: Dashboard) -> some Service {
        let host = self.host
        return dashboard.buildApplication { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            CLI.announce(dashboard.startupBanner(url: "http://\(shown):\(port)/"))
        }
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the dashboard alone over a home (the scheduler may run in another process).")
    @OptionGroup var home: HomeOptions
    @OptionGroup var dashboardOptions: DashboardOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        CLI.bootstrapLogging(format: log.logFormat)
        Telemetry.bootstrap()
        let logger = Logger(label: "nightshift.dashboard")
        try home.preflight()
        let store = try home.openStore(longLived: true)
        let bag = try CLI.bag()
        try await store.register(bag, now: Date())
        let dashboard = try dashboardOptions.makeDashboard(home: home.resolved, store: store, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [dashboardOptions.service(dashboard)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
