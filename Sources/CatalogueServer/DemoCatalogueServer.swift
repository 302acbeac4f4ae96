public import FakeAnime
public import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import Logging
import NIOCore
import ServiceLifecycle

/// Serves a `DemoCatalogue` on loopback in the Jikan v4 shape, so the scraper runs end to end without a network.
///
/// Routes: `GET /v4/top/anime?page=N` (JSON pages) and `GET /posters/{id}.jpg` (JPEG posters, encoded once and
/// cached). Every response carries a strong `ETag`; `If-None-Match` gets `304`. Faults are injected as configured.
public struct DemoCatalogueServer: Sendable {
    /// The catalogue served.
    public let catalogue: DemoCatalogue
    /// Port, page size and faults.
    public let configuration: CatalogueServerConfiguration
    private let logger: Logger

    /// Creates a server; nothing listens until `run(onReady:)`.
    public init(catalogue: DemoCatalogue, configuration: CatalogueServerConfiguration) {
        self.catalogue = catalogue
        self.configuration = configuration
        var logger = Logger(label: "nightshift.catalogue-server")
        logger.logLevel = .warning
        self.logger = logger
    }

    /// Listens on `127.0.0.1` and serves until the task is cancelled or a surrounding `ServiceGroup` shuts down gracefully.
    /// - Parameter onReady: called once with the bound port (the chosen one when the configuration asks for port 0).
    /// - Throws: `CatalogueServerError` for a bad configuration, or the error that stopped the server (a port in use).
    public func run(onReady: @escaping @Sendable (Int) async -> Void) async throws {
        try configuration.validate()
        try await makeApplication(onReady: onReady).run()
    }

    /// Runs a server for `catalogue` on an ephemeral loopback port for the duration of `body`, then shuts it down gracefully.
    /// - Parameters:
    ///   - configuration: its `port` is used as given (0, the default, picks a free one).
    ///   - body: receives the API base URL, such as `http://127.0.0.1:41234/v4`.
    /// - Returns: what `body` returns.
    /// - Throws: `CatalogueServerError` when the server cannot start, or what `body` throws.
    public static func withRunningServer<T>(
        _ catalogue: DemoCatalogue, configuration: CatalogueServerConfiguration = .init(), _ body: (URL) async throws -> T
    ) async throws -> T {
        try configuration.validate()
        let server = DemoCatalogueServer(catalogue: catalogue, configuration: configuration)
        let (ports, ready) = AsyncStream.makeStream(of: Int.self)
        let app = server.makeApplication { port in
            ready.yield(port)
            ready.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: server.logger))
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
            tasks.addTask {
                defer { ready.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), let base = URL(string: "http://\(configuration.host):\(port)/v4") else {
                try await tasks.waitForAll()
                throw CatalogueServerError(.notStarted(host: configuration.host, port: configuration.port))
            }
            do {
                let result = try await body(base)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// The Hummingbird application: routes, fault middleware, and the bound-port report.
    func makeApplication(onReady: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let bound = BoundPort()
        let router = makeRouter(bound: bound)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                bound.set(port)
                await onReady(port)
            },
            logger: logger)
    }

    private func makeRouter(bound: BoundPort) -> Router<BasicRequestContext> {
        let catalogue = catalogue, configuration = configuration
        let cache = ResponseCache()
        let router = Router()
        router.add(middleware: FaultMiddleware(injector: FaultInjector(configuration.faults), delay: configuration.faults.slowResponse))

        router.get("/v4/top/anime") { request, _ -> Response in
            let text = request.uri.queryParameters["page"].map(String.init) ?? "1"
            guard let page = Int(text), page >= 1 else {
                return CatalogueResponses.error(.badRequest, type: "ValidationException",
                                                message: "The page must be a whole number of 1 or more, got '\(text)'.")
            }
            let host = configuration.host
            let body = try await cache.body(for: .page(page)) {
                let json = try TopAnimePage(shows: catalogue.shows, page: page, pageSize: configuration.pageSize,
                                            posterBase: "http://\(host):\(bound.port)").json()
                return CachedBody(bytes: json, contentType: "application/json; charset=utf-8")
            }
            return CatalogueResponses.content(body, for: request)
        }

        router.get("/posters/{id}.jpg") { request, context -> Response in
            let text = context.parameters.get("id") ?? ""
            guard let id = Int(text), catalogue.show(id: id) != nil, !configuration.faults.missingPosterIDs.contains(id) else {
                return CatalogueResponses.error(.notFound, type: "BadResponseException", message: "No poster for id '\(text)'.")
            }
            let corrupt = configuration.faults.corruptPosterIDs.contains(id)
            let body = try await cache.body(for: corrupt ? .corruptPoster(id) : .poster(id)) {
                let jpeg = try Self.posterJPEG(catalogue, id: id)
                return CachedBody(bytes: corrupt ? Self.corrupted(jpeg) : jpeg, contentType: "image/jpeg")
            }
            return CatalogueResponses.content(body, for: request)
        }
        return router
    }

    /// The poster of show `id` as a quality-90 JPEG, at the catalogue's default poster size.
    static func posterJPEG(_ catalogue: DemoCatalogue, id: Int) throws -> [UInt8] {
        let canvas = catalogue.poster(for: id)
        return try JPEG.encode(RGBImage(width: canvas.width, height: canvas.height, pixels: canvas.pixels), quality: 90)
    }

    /// `jpeg` cut to three fifths with its entropy-coded data garbled: it still starts with FF D8 and has valid headers,
    /// but it has no end-of-image marker and cannot be decoded.
    static func corrupted(_ jpeg: [UInt8]) -> [UInt8] {
        var bytes = Array(jpeg.prefix(max(jpeg.count * 3 / 5, 4)))
        for index in stride(from: bytes.count / 2, to: bytes.count, by: 7) where bytes[index] != 0xFF {
            bytes[index] ^= 0x5A
        }
        if bytes.suffix(2) == [0xFF, 0xD9] { bytes.removeLast(2) }
        return bytes
    }
}
