import Foundation
import Hummingbird
import NIOCore
import Store
import Workflow
import Synchronization

extension Dashboard {
    func addPublicRoutes(to router: Router<DashboardRequestContext>) {
        router.get("/") { request, context in try await self.archivePage(request, context) }
        router.head("/") { request, context in try await self.archivePage(request, context) }
        router.get("/archive/**") { _, context in
            let segments = context.parameters.getCatchAll()
            guard let path = SafeFiles.resolve(root: self.configuration.home.root.appendingPathComponent("archive"), segments: segments)
            else { throw HTTPError(.notFound, message: "no such file") }
            return try Self.fileResponse(path, cache: "public, max-age=3600")
        }
        router.get("/static/:name") { _, context in
            guard let response = StaticAssets.response(context.parameters.get("name") ?? "") else {
                throw HTTPError(.notFound, message: "no such file")
            }
            return response
        }
        // Browsers ask for it whatever the page says; no icon, and no 404 in their consoles.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent, headers: [.cacheControl: "public, max-age=86400"]) }
        router.get("/health") { _, _ in try await self.health() }
        router.get("/metrics") { _, _ in
            let text = try await MetricsExporter(store: self.store).render()
            return Response(
                status: .ok, headers: [.contentType: MetricsEndpoint.contentType],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// A regular file's bytes with its media type.
    static func fileResponse(_ path: String, cache: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: path) else { throw HTTPError(.notFound, message: "no such file") }
        return Response(
            status: .ok, headers: [.contentType: SafeFiles.mediaType(of: path), .cacheControl: cache],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `/health`: the store answers, and how old the scheduler's heartbeat is. 503 when the store does not answer.
    func health() async throws -> Response {
        guard await store.isReachable() else {
            return JSON.response(.object(["status": "unavailable", "store": "unreachable", "scheduler": .null]), status: .serviceUnavailable)
        }
        let beat = try? await store.lastHeartbeat()
        let age = beat.map { Date().timeIntervalSince($0.at) }
        let scheduler: JSONValue = beat.map { beat in
            .object([
                "pid": .number(Double(beat.pid)), "heartbeat_at": JSON.date(beat.at), "heartbeat_age_s": JSON.number(age),
                "alive": .bool((age ?? .infinity) < 30),
            ])
        } ?? .null
        let status = (age ?? .infinity) < 30 ? "ok" : "degraded"
        return JSON.response(.object(["status": .string(status), "store": "reachable", "scheduler": scheduler]))
    }

    /// The public archive page's HTML body for a random entry (what `/` renders); public for `nightshift bench dashboard`.
    public func renderArchivePage() async throws -> String {
        try await archiveBody(batch: nil, entry: nil, session: nil).html
    }

    /// `/`: one random archived fake anime (or the one `?batch=&entry=` names), the latest batch and the lineage.
    func archivePage(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        guard configuration.publicArchive || request.uri.path != "/" else {
            // A binary without the anime pipeline has no public page: its home is the DAG list.
            return Response(status: .seeOther, headers: [.location: "/dags"])
        }
        let query = request.uri.queryParameters
        let (html, title) = try await archiveBody(batch: query.get("batch"), entry: query.get("entry", as: Int.self), session: context.session)
        return HTML.response(self.page(title: title, session: context.session, body: html, active: "archive"))
    }

    func archiveBody(batch: String?, entry: Int?, session: Session?) async throws -> (html: String, title: String) {
        var chosen: ArchiveEntryRecord?
        if let batch, let entry {
            guard let found = try await store.archiveEntry(batch: batch, entry: entry) else {
                throw HTTPError(.notFound, message: "no fake anime \(batch)#\(entry) in the archive")
            }
            chosen = found
        } else {
            chosen = try await store.randomArchiveEntry()
        }
        let latest = try await store.archiveBatches(limit: 1).first
        var batchEntries: [ArchiveEntryRecord] = []
        if let latest {
            // A published batch never changes: its grid is read once per batch, not once per visitor.
            if let cached = latestBatchCache.withLock({ $0 }), cached.batch == latest.batch {
                batchEntries = cached.entries
            } else {
                batchEntries = try await store.archiveEntries(batch: latest.batch, limit: 60)
                latestBatchCache.withLock { $0 = (latest.batch, batchEntries) }
            }
        }
        return (ArchiveView.render(entry: chosen, latest: latest, batchEntries: batchEntries, session: session), chosen?.title ?? "Fake anime")
    }
}
