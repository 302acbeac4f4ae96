import Foundation
import HTTPFetch
import Testing

/// Conditional GETs: validators remembered in memory and on disk, and 304s served from the cache.
@Suite struct ConditionalRequestTests {
    @Test func etagRevalidationServesTheCachedBody() async throws {
        try await withFixtureServer { base, recorder in
            let client = makeClient()
            let first = try await client.get(base + "/etag")
            let second = try await client.get(base + "/etag")
            #expect(first.fromCache == false)
            #expect(String(decoding: first.body, as: UTF8.self) == Fixture.etagBody)
            #expect(second.fromCache == true)
            #expect(second.status == 200)
            #expect(second.body == first.body)
            #expect(second.headers["etag"] == Fixture.etag)
            let seen = recorder.requests(to: "/etag")
            #expect(seen.map { $0.headers["if-none-match"] } == [nil, Fixture.etag])
        }
    }

    @Test func lastModifiedRevalidationServesTheCachedBody() async throws {
        try await withFixtureServer { base, recorder in
            let client = makeClient()
            let first = try await client.get(base + "/last-modified")
            let second = try await client.get(base + "/last-modified")
            #expect(first.fromCache == false)
            #expect(second.fromCache == true)
            #expect(String(decoding: second.body, as: UTF8.self) == Fixture.lastModifiedBody)
            #expect(recorder.requests(to: "/last-modified").map { $0.headers["if-modified-since"] } == [nil, Fixture.lastModified])
        }
    }

    @Test func validatorsPersistAcrossClientsSharingACacheDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("httpfetch-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withFixtureServer { base, recorder in
            let first = try await makeClient { $0.cacheDirectory = directory.path }.get(base + "/etag")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(files.count == 2)
            #expect(files.contains { $0.hasSuffix(".json") } && files.contains { $0.hasSuffix(".body") })
            let second = try await makeClient { $0.cacheDirectory = directory.path }.get(base + "/etag")
            #expect(second.fromCache == true)
            #expect(second.body == first.body)
            #expect(recorder.requests(to: "/etag").last?.headers["if-none-match"] == Fixture.etag)
        }
    }

    @Test func aCorruptBodyFileIsACacheMiss() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("httpfetch-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withFixtureServer { base, recorder in
            _ = try await makeClient { $0.cacheDirectory = directory.path }.get(base + "/etag")
            let body = try #require(FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".body") })
            try Data("tampered".utf8).write(to: directory.appendingPathComponent(body))
            let again = try await makeClient { $0.cacheDirectory = directory.path }.get(base + "/etag")
            #expect(again.fromCache == false)
            #expect(String(decoding: again.body, as: UTF8.self) == Fixture.etagBody)
            #expect(recorder.requests(to: "/etag").last?.headers["if-none-match"] == nil)
        }
    }

    @Test func callerSuppliedValidatorsWin() async throws {
        try await withFixtureServer { base, recorder in
            let client = makeClient()
            _ = try await client.get(base + "/etag")
            let response = try await client.get(base + "/etag", headers: ["If-None-Match": "\"other\""])
            #expect(response.fromCache == false)
            #expect(recorder.requests(to: "/etag").last?.headers["if-none-match"] == "\"other\"")
        }
    }
}
