import Foundation
import Hummingbird
import Store

extension Dashboard {
    /// `/<prefix>` and every path under it for each ``DashboardPage``, behind the login like every monitoring page.
    func addExtensionPages(to router: Router<DashboardRequestContext>) {
        for page in configuration.pages {
            let handler: @Sendable (Request, DashboardRequestContext) async throws -> Response = { request, context in
                try await self.answer(page, request: request, context: context)
            }
            router.get(RouterPath(page.prefix), use: handler)
            router.get(RouterPath(page.prefix + "/**"), use: handler)
        }
    }

    private func answer(_ page: DashboardPage, request: Request, context: DashboardRequestContext) async throws -> Response {
        let raw = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).dropFirst()
        var segments: [String] = []
        for part in raw {
            guard let decoded = String(part).removingPercentEncoding, !decoded.contains("\0") else {
                throw HTTPError(.badRequest, message: "invalid path segment '\(part.prefix(80))'")
            }
            segments.append(decoded)
        }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where query[String(name)] == nil { query[String(name)] = String(value) }
        let answer = try await page.render(DashboardPage.Request(
            segments: segments, query: query, home: configuration.home, store: store, user: context.bearer ? "api-token" : "admin"))
        switch answer {
        case .page(let title, let body):
            return HTML.response(self.page(
                title: title, session: context.session, body: body,
                active: page.prefix))
        case .file(let path):
            guard let contained = SafeFiles.contained(path, in: configuration.home.root.path) else {
                throw HTTPError(.notFound, message: "no such file")
            }
            return try Self.fileResponse(contained, cache: "private, max-age=600")
        case .notFound(let sentence):
            throw HTTPError(.notFound, message: sentence)
        case .badRequest(let sentence):
            throw HTTPError(.badRequest, message: sentence)
        }
    }
}
