@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NightshiftTesting
import Store
import Testing
import Workflow

/// The OpenAPI document against the router: every `/api/v1` route documented, every documented operation answering
/// with one of its documented statuses. (scripts/api-contract validates the document and fuzzes a live server.)
@Suite struct OpenAPITests {
    static func document() throws -> [String: JSONValue] {
        try #require(try JSONValue.parse(OpenAPIDocument.json).objectValue)
    }

    /// "GET /api/v1/dags/{dag}" → the statuses documented for it.
    static func operations() throws -> [String: Set<String>] {
        let paths = try #require(try document()["paths"]?.objectValue)
        var result: [String: Set<String>] = [:]
        for (path, item) in paths {
            for (method, operation) in item.objectValue ?? [:] where ["get", "post", "put", "patch", "delete"].contains(method) {
                result[method.uppercased() + " " + path] = Set((operation.objectValue?["responses"]?.objectValue ?? [:]).keys)
            }
        }
        return result
    }

    @Test func theDocumentIsOpenAPI31AndServed() async throws {
        let document = try Self.document()
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1") == true)
        try await Fixture.with { _, client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get, headers: APITests.bearer)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try JSONValue.parse(String(buffer: response.body)) == JSONValue.parse(OpenAPIDocument.json))
            #expect(try await client.execute(uri: "/api/v1/openapi.json", method: .get).status == .unauthorized, "behind the API's auth")
        }
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationAnswers() async throws {
        let documented = try Self.operations()
        try await Fixture.with { fixture, client in
            // The router's /api/v1 routes (the pages' live-update endpoints are internal), in the document's notation.
            let routes = Set(fixture.dashboard.buildRouter().routes.compactMap { route -> String? in
                let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                let text = "/" + path.joined(separator: "/")
                guard text.hasPrefix("/api/v1"), !text.hasPrefix("/api/v1/live") else { return nil }
                return "\(route.method) \(text)"
            })
            #expect(routes.count >= 13)
            #expect(routes.subtracting(documented.keys).isEmpty, "undocumented routes: \(routes.subtracting(documented.keys).sorted())")
            #expect(Set(documented.keys).subtracting(routes).isEmpty, "documented, not routed: \(Set(documented.keys).subtracting(routes).sorted())")

            try await fixture.seedRun()
            let ids = ["{dag}": "xss_dag", "{run}": "manual__1", "{task}": "extract", "{n}": "1"]
            for (operation, statuses) in documented.sorted(by: { $0.key < $1.key }) {
                let parts = operation.split(separator: " ", maxSplits: 1)
                let uri = ids.reduce(String(parts[1])) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
                let method: HTTPRequest.Method = parts[0] == "POST" ? .post : .get
                let response = try await client.execute(
                    uri: uri, method: method, headers: APITests.bearer, body: method == .post ? ByteBuffer(string: "{}") : nil)
                let status = "\(response.status.code)"
                #expect(statuses.contains(status), "\(operation) answered \(status), documented: \(statuses.sorted())")
                #expect((200..<300).contains(response.status.code), "\(operation) with real ids answers 2xx, not \(status)")
            }
        }
    }

    @Test func aBodyOverOneMebibyteIs413WithASentence() async throws {
        try await Fixture.with { fixture, client in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 << 20)
            let response = try await client.execute(uri: "/api/v1/dags/xss_dag/pause", method: .post, headers: APITests.bearer, body: big)
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("over 1048576 bytes"))
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == false, "nothing done")
        }
    }

    @Test(arguments: [(#"{"task": 5}"#, "task must be a task id"), (#"{"task": "extract", "downstream": "yes"}"#, "downstream must be true or false")])
    func clearRejectsWronglyTypedFields(_ body: String, _ message: String) async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let before = try await fixture.store.taskInstances(runID: "manual__1").map(\.state)
            let response = try await client.execute(
                uri: "/api/v1/dags/xss_dag/runs/manual__1/clear", method: .post, headers: APITests.bearer, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(message))
            #expect(try await fixture.store.taskInstances(runID: "manual__1").map(\.state) == before, "nothing cleared")
        }
    }
}
