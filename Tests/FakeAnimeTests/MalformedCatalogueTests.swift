import FakeAnime
import Foundation
import HTTPFetch
import Hummingbird
import Logging
import NightshiftTesting
import ServiceLifecycle
import Testing

/// A catalogue whose pages are not the JSON the scraper expects: the error names the URL and the page, and nothing is written.
@Suite struct MalformedCatalogueTests {
    static func withServer<T: Sendable>(page body: String, _ test: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("v4/top/anime") { _, _ in body }
        var logger = Logger(label: "malformed-catalogue")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { tasks.cancelAll() }
            do {
                let result = try await test("http://127.0.0.1:\(port)/v4")
                await group.triggerGracefulShutdown()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    @Test(arguments: [
        ("{\"data\": [", "malformed catalogue JSON on page 1"),
        ("{\"data\": [{\"title\": \"No id\"}], \"pagination\": {\"has_next_page\": false}}", "missing field 'mal_id'"),
        ("<html>maintenance</html>", "malformed catalogue JSON on page 1"),
    ])
    func malformedPagesFailTheScrapeNamingThePage(_ page: String, _ message: String) async throws {
        try await withTemporaryHome("malformed") { home in
            let root = home.url.appendingPathComponent("snapshots")
            let error = try await Self.withServer(page: page) { base in
                await #expect(throws: ScrapeError.self) {
                    try await CatalogueScraper(configuration: .init(baseURL: base, maxPages: 3, http: HTTPClient())).scrape(into: root, now: Date())
                }
            }
            let text = try #require(error.map { "\($0)" })
            #expect(text.contains(message), "\(text)")
            #expect(text.contains("/v4/top/anime?page=1"))
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.isEmpty)
        }
    }
}
