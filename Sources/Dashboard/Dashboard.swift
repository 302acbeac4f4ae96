public import Foundation
public import Hummingbird
public import Logging
public import Store
public import Workflow
import Synchronization

/// The Nightshift dashboard: server-rendered monitoring views, the public fake anime archive page, a JSON API under
/// `/api/v1`, Prometheus metrics and a health check, all over one ``StateStore`` (the scheduler may be another
/// process: the dashboard only reads the store, and writes through it).
///
/// ```swift
/// let dashboard = try Dashboard(configuration: .init(home: home, bag: bag), store: store, logger: logger)
/// let app = dashboard.buildApplication()
/// try await app.runService()
/// ```
public final class Dashboard: Sendable {
    /// Where and what the dashboard serves.
    public struct Configuration: Sendable {
        /// The interface to bind (127.0.0.1 by default: use `0.0.0.0` to expose it).
        public var host: String
        /// The port (0 picks a free one).
        public var port: Int
        /// The home whose store, logs and archive are shown.
        public var home: NightshiftHome
        /// The DAG definitions (the executable passes the project's registry).
        public var bag: DAGBag
        /// PBKDF2 iterations for a newly stored password.
        public var passwordIterations: Int
        /// The environment the admin password and API token may come from.
        public var environment: [String: String]
        /// Whether `/` is the public fake anime page (the anime pipeline runs here); otherwise `/` leads to `/dags`.
        public var publicArchive: Bool
        /// Sections libraries add (the fake anime pipeline's `/models`), behind the login.
        public var pages: [DashboardPage]

        /// - Parameters:
        ///   - home: the Nightshift home.
        ///   - bag: the DAG definitions to show.
        ///   - host: the interface to bind.
        ///   - port: the port.
        ///   - passwordIterations: PBKDF2 iterations for a new password hash (tests lower it).
        ///   - environment: where `NIGHTSHIFT_ADMIN_PASSWORD` and `NIGHTSHIFT_API_TOKEN` are read.
        ///   - publicArchive: whether `/` shows the fake anime archive (false: it redirects to `/dags`).
        ///   - pages: sections libraries add; two with one prefix is a programming error.
        public init(
            home: NightshiftHome, bag: DAGBag, host: String = "127.0.0.1", port: Int = 8080,
            passwordIterations: Int = AdminCredentials.defaultIterations,
            environment: [String: String] = ProcessInfo.processInfo.environment, publicArchive: Bool = true, pages: [DashboardPage] = []
        ) {
            precondition(Set(pages.map(\.prefix)).count == pages.count, "two dashboard pages share a prefix: \(pages.map(\.prefix))")
            self.publicArchive = publicArchive
            self.pages = pages
            self.host = host
            self.port = port
            self.home = home
            self.bag = bag
            self.passwordIterations = passwordIterations
            self.environment = environment
        }
    }

    let configuration: Configuration
    let store: StateStore
    let logger: Logger
    /// The stored secrets; replaced when a login upgrades the password hash.
    let credentialStore: Mutex<AdminCredentials>
    var credentials: AdminCredentials { credentialStore.withLock { $0 } }
    /// The secrets generated at this start, to print once.
    public let announcement: AdminCredentials.Announcement
    /// Logins, kept in the store (they survive a restart).
    let sessions: SessionStore
    /// Failed logins per user and client address.
    let loginThrottle = LoginThrottle()
    /// The entries of the latest archive batch, by batch id (batches are immutable once published).
    let latestBatchCache = Mutex<(batch: String, entries: [ArchiveEntryRecord])?>(nil)
    /// The DAGs in id order, with derived data computed once.
    let dags: [DAGInfo]
    let dagsByID: [String: DAGInfo]
    /// A page in the shell with this dashboard's navigation (the archive link when `/` is the archive, the library
    /// sections' links); see ``Layout/page(archiveLink:pages:title:session:body:live:active:)``.
    func page(title: String, session: Session?, body: String, live: String? = nil, active: String = "") -> String {
        Layout.page(
            archiveLink: configuration.publicArchive, pages: configuration.pages.map { ($0.prefix, $0.title) }, title: title,
            session: session, body: body, live: live, active: active)
    }

    /// Loads (or creates) the admin credentials under `HOME/dashboard/`.
    /// - Throws: when the credentials file cannot be written.
    public init(configuration: Configuration, store: StateStore, logger: Logger = Logger(label: "nightshift.dashboard")) throws {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.sessions = SessionStore(store: store)
        let (credentials, announcement) = try AdminCredentials.load(
            directory: configuration.home.root.appendingPathComponent("dashboard"), environment: configuration.environment,
            iterations: configuration.passwordIterations)
        self.credentialStore = Mutex(credentials)
        self.announcement = announcement
        dags = configuration.bag.ids.map { DAGInfo(configuration.bag[$0]!) }
        dagsByID = Dictionary(uniqueKeysWithValues: dags.map { ($0.dag.id, $0) })
    }

    /// The text to print once at start: where the dashboard listens and any secret generated now.
    public func startupBanner(url: String) -> String {
        var lines = ["Dashboard: \(url)" + (configuration.publicArchive ? "  (archive page at /, monitoring at /dags)" : "dags  (log in as admin)")]
        if let password = announcement.password {
            lines.append("  admin password: \(password)   (generated now and shown once; stored hashed in \(announcement.path))")
        }
        if let token = announcement.token {
            lines.append("  API token:      \(token)   (shown once; use as 'Authorization: Bearer <token>')")
        }
        if announcement.password == nil, configuration.environment["NIGHTSHIFT_ADMIN_PASSWORD"] == nil {
            lines.append("  log in as admin with the password printed at first start (reset: set NIGHTSHIFT_ADMIN_PASSWORD)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The router with every route and the security middleware.
    public func buildRouter() -> Router<DashboardRequestContext> {
        let router = Router(context: DashboardRequestContext.self)
        router.add(middleware: MetricsMiddleware())  // request latency per route, through swift-metrics (Telemetry)
        router.add(middleware: SecurityMiddleware(dashboard: self))
        addPublicRoutes(to: router)
        addLoginRoutes(to: router)
        addMonitoringRoutes(to: router)
        addActionRoutes(to: router)
        addAuditRoutes(to: router)
        addAssetRoutes(to: router)
        addAPIRoutes(to: router)
        addExtensionPages(to: router)
        return router
    }

    /// The HTTP application (a ServiceLifecycle `Service`): run it alone or beside the scheduler in a `ServiceGroup`.
    /// - Parameter onServerRunning: called with the bound channel once the server listens (e.g. to learn the port).
    public func buildApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
