import CatalogueServer
import FakeAnime
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Imaging
import Logging
import ServiceLifecycle
import Testing

/// The demo catalogue served on a real loopback socket: Jikan-shaped pages, JPEG posters, ETags and injected faults.
@Suite struct DemoCatalogueServerTests {
    struct Fetched {
        let status: Int
        /// Lowercased names.
        let headers: [String: String]
        let body: [UInt8]
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    }

    /// A session without a cache, so conditional requests reach the server exactly as written.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: URL, headers: [String: String] = [:]) async throws -> Fetched {
        var request = URLRequest(url: url)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Fetched(status: http.statusCode, headers: fields, body: Array(data))
    }

    static func page(_ base: URL, _ number: Int) -> URL {
        URL(string: base.absoluteString + "/top/anime?page=\(number)")!
    }

    static func items(_ page: Fetched) -> [[String: Any]] { page.json["data"] as? [[String: Any]] ?? [] }
    static func pagination(_ page: Fetched) -> [String: Any] { page.json["pagination"] as? [String: Any] ?? [:] }

    @Test func pagesCoverTheCatalogueExactlyOnce() async throws {
        let catalogue = DemoCatalogue(shows: 60, seed: 4)
        try await DemoCatalogueServer.withRunningServer(catalogue) { base in
            #expect(base.absoluteString.hasPrefix("http://127.0.0.1:") && base.path == "/v4")
            let first = try await Self.get(Self.page(base, 1))
            #expect(first.status == 200)
            #expect(first.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(Self.items(first).count == 25)
            #expect(Self.pagination(first)["has_next_page"] as? Bool == true)
            #expect(Self.pagination(first)["current_page"] as? Int == 1)
            #expect(Self.pagination(first)["last_visible_page"] as? Int == 3)
            let counts = Self.pagination(first)["items"] as? [String: Any]
            #expect(counts?["count"] as? Int == 25 && counts?["total"] as? Int == 60 && counts?["per_page"] as? Int == 25)

            var ids: [Int] = []
            for number in 1...3 {
                let page = try await Self.get(Self.page(base, number))
                ids += Self.items(page).compactMap { $0["mal_id"] as? Int }
                #expect(Self.pagination(page)["has_next_page"] as? Bool == (number < 3))
            }
            #expect(ids == catalogue.shows.map(\.malID))
            let beyond = try await Self.get(Self.page(base, 4))
            #expect(beyond.status == 200 && Self.items(beyond).isEmpty && Self.pagination(beyond)["has_next_page"] as? Bool == false)
        }
    }

    @Test func itemsHaveTheJikanShape() async throws {
        let catalogue = DemoCatalogue(shows: 300, seed: 1)
        try await DemoCatalogueServer.withRunningServer(catalogue) { base in
            var nullSynopses = 0
            for number in 1...12 {
                let page = try await Self.get(Self.page(base, number))
                for item in Self.items(page) {
                    let id = try #require(item["mal_id"] as? Int)
                    let show = try #require(catalogue.show(id: id))
                    #expect(item["title"] as? String == show.title)
                    if show.synopsis.isEmpty {
                        #expect(item["synopsis"] is NSNull)
                        nullSynopses += 1
                    } else {
                        #expect(item["synopsis"] as? String == show.synopsis)
                    }
                    #expect((item["genres"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == show.genres)
                    let url = ((item["images"] as? [String: Any])?["jpg"] as? [String: Any])?["image_url"] as? String
                    #expect(url == "http://\(base.host!):\(base.port!)/posters/\(id).jpg")
                }
            }
            #expect(nullSynopses == catalogue.shows.filter { $0.synopsis.isEmpty }.count)
            #expect(nullSynopses > 0)
        }
    }

    @Test func badPageIsABadRequest() async throws {
        try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 5, seed: 1)) { base in
            let bad = try await Self.get(URL(string: base.absoluteString + "/top/anime?page=zero")!)
            #expect(bad.status == 400)
            #expect((bad.json["message"] as? String)?.contains("'zero'") == true)
            let noPage = try await Self.get(URL(string: base.absoluteString + "/top/anime")!)
            #expect(noPage.status == 200 && Self.pagination(noPage)["current_page"] as? Int == 1)
        }
    }

    @Test func postersAreJPEGsOfTheDrawnPoster() async throws {
        let catalogue = DemoCatalogue(shows: 30, seed: 2)
        try await DemoCatalogueServer.withRunningServer(catalogue) { base in
            let page = try await Self.get(Self.page(base, 1))
            let item = try #require(Self.items(page).first)
            let link = ((item["images"] as? [String: Any])?["jpg"] as? [String: Any])?["image_url"] as? String
            let url = try #require(link.flatMap { URL(string: $0) })
            let poster = try await Self.get(url)
            #expect(poster.status == 200)
            #expect(poster.headers["content-type"] == "image/jpeg")
            #expect(Array(poster.body.prefix(2)) == [0xFF, 0xD8])
            #expect(Array(poster.body.suffix(2)) == [0xFF, 0xD9])
            let image = try JPEG.decode(poster.body, name: url.lastPathComponent)
            #expect(image.width == 225 && image.height == 318)
            // Lossy, but close to the drawn pixels.
            let drawn = catalogue.poster(for: try #require(item["mal_id"] as? Int))
            let error = zip(image.pixels, drawn.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
            #expect(Double(error) / Double(drawn.pixels.count) < 6)
            // Served again from the cache: the same bytes.
            #expect(try await Self.get(url).body == poster.body)
        }
    }

    @Test func unknownPosterIs404() async throws {
        try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 5, seed: 1)) { base in
            let root = base.deletingLastPathComponent()
            let unknown = try await Self.get(root.appendingPathComponent("posters/123456789.jpg"))
            let notNumeric = try await Self.get(root.appendingPathComponent("posters/abc.jpg"))
            #expect(unknown.status == 404 && notNumeric.status == 404)
            #expect(unknown.headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test func eTagsAnswerConditionalRequestsWith304() async throws {
        let catalogue = DemoCatalogue(shows: 30, seed: 2)
        try await DemoCatalogueServer.withRunningServer(catalogue) { base in
            let poster = base.deletingLastPathComponent().appendingPathComponent("posters/\(catalogue.shows[3].malID).jpg")
            for url in [Self.page(base, 1), poster] {
                let first = try await Self.get(url)
                let eTag = try #require(first.headers["etag"])
                #expect(eTag.hasPrefix("\"") && eTag.hasSuffix("\"") && eTag.count > 2, "strong, quoted: \(eTag)")
                #expect(first.headers["last-modified"] == "Wed, 01 Jan 2025 00:00:00 GMT")
                let again = try await Self.get(url, headers: ["If-None-Match": eTag])
                #expect(again.status == 304)
                #expect(again.body.isEmpty)
                #expect(again.headers["etag"] == eTag)
                let stale = try await Self.get(url, headers: ["If-None-Match": "\"0000000000000000\""])
                #expect(stale.status == 200 && stale.body == first.body)
            }
            let page1 = try await Self.get(Self.page(base, 1)), page2 = try await Self.get(Self.page(base, 2))
            #expect(page1.headers["etag"] != page2.headers["etag"])
        }
    }

    @Test func rateLimitEveryNthRequest() async throws {
        var configuration = CatalogueServerConfiguration()
        configuration.faults.rateLimitEvery = 2
        try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 30, seed: 1), configuration: configuration) { base in
            let statuses = try await (1...4).asyncMap { _ in try await Self.get(Self.page(base, 1)) }
            #expect(statuses.map(\.status) == [200, 429, 200, 429])
            #expect(statuses[1].headers["retry-after"] == "1")
            #expect(statuses[1].headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test func serverErrorEveryNthRequest() async throws {
        var configuration = CatalogueServerConfiguration()
        configuration.faults.serverErrorEvery = 3
        configuration.faults.slowResponse = .milliseconds(1)
        try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 30, seed: 1), configuration: configuration) { base in
            let statuses = try await (1...6).asyncMap { _ in try await Self.get(Self.page(base, 2)).status }
            #expect(statuses == [200, 200, 500, 200, 200, 500])
        }
    }

    @Test func corruptAndMissingPosters() async throws {
        let catalogue = DemoCatalogue(shows: 30, seed: 7)
        let ids = catalogue.shows.map(\.malID)
        var configuration = CatalogueServerConfiguration()
        configuration.faults.corruptPosterIDs = [ids[0]]
        configuration.faults.missingPosterIDs = [ids[1]]
        try await DemoCatalogueServer.withRunningServer(catalogue, configuration: configuration) { base in
            let root = base.deletingLastPathComponent()
            let corrupt = try await Self.get(root.appendingPathComponent("posters/\(ids[0]).jpg"))
            #expect(corrupt.status == 200)
            #expect(Array(corrupt.body.prefix(2)) == [0xFF, 0xD8])
            #expect(Array(corrupt.body.suffix(2)) != [0xFF, 0xD9])
            #expect(throws: ImagingError.self) { try JPEG.decode(corrupt.body, name: "corrupt.jpg") }
            #expect(try await Self.get(root.appendingPathComponent("posters/\(ids[1]).jpg")).status == 404)
            let healthy = try await Self.get(root.appendingPathComponent("posters/\(ids[2]).jpg"))
            #expect(healthy.status == 200)
            #expect(throws: Never.self) { try JPEG.decode(healthy.body, name: "healthy.jpg") }
        }
    }

    @Test func invalidConfigurationNamesTheField() async throws {
        var configuration = CatalogueServerConfiguration()
        configuration.pageSize = 0
        let error = await #expect(throws: CatalogueServerError.self) {
            try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 3, seed: 1), configuration: configuration) { _ in }
        }
        #expect(error?.description == "catalogue server: invalid pageSize '0': expected at least 1")
        configuration = CatalogueServerConfiguration(faults: .init(rateLimitEvery: 0))
        let rate = await #expect(throws: CatalogueServerError.self) {
            try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 3, seed: 1), configuration: configuration) { _ in }
        }
        #expect(rate?.description.contains("faults.rateLimitEvery '0'") == true)
    }

    @Test func aPortInUseFailsWithAnError() async throws {
        try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 3, seed: 1)) { base in
            let taken = CatalogueServerConfiguration(port: try #require(base.port))
            await #expect(throws: (any Error).self) {
                try await DemoCatalogueServer.withRunningServer(DemoCatalogue(shows: 3, seed: 1), configuration: taken) { _ in }
            }
        }
    }

    @Test func runReportsTheBoundPortAndStopsOnGracefulShutdown() async throws {
        let server = DemoCatalogueServer(catalogue: DemoCatalogue(shows: 3, seed: 1), configuration: .init())
        let (ports, ready) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(services: [ReadyReporting(server: server, ready: ready)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            #expect(port > 0)
            let page = try await Self.get(URL(string: "http://127.0.0.1:\(port)/v4/top/anime?page=1")!)
            #expect(page.status == 200 && Self.items(page).count == 3)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// `DemoCatalogueServer.run(onReady:)` as a service, the way the CLI runs it.
private struct ReadyReporting: Service {
    let server: DemoCatalogueServer
    let ready: AsyncStream<Int>.Continuation

    func run() async throws {
        try await server.run { port in ready.yield(port) }
    }
}

extension Sequence {
    /// `map` with an async transform, one element at a time, in order.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
