@testable import Dashboard
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NightshiftTesting
import Store
import Testing
import Workflow

@Suite struct APITests {
    static let bearer: HTTPFields = [.authorization: "Bearer \(Fixture.token)", .contentType: "application/json"]

    @Test func triggerWithTheBearerTokenCreatesARun() async throws {
        try await Fixture.with { fixture, client in
            let response = try await client.execute(
                uri: "/api/v1/dags/xss_dag/runs", method: .post, headers: Self.bearer, body: ByteBuffer(string: #"{"conf": {"count": 5}}"#))
            #expect(response.status == .created)
            let json = try JSONValue.parse(String(buffer: response.body)).objectValue ?? [:]
            let runID = try #require(json["run_id"]?.stringValue)
            let run = try #require(try await fixture.store.run(runID))
            #expect(run.confObject == ["count": 5])
            #expect(try await fixture.store.taskInstances(runID: runID).count == 3)
            #expect(try await fixture.store.events(limit: 1).first?.actor == "api@unknown", "the API token's changes name it and the address")
        }
    }

    @Test(arguments: [
        (#"{"conf": {"nope": 1}}"#, "has no param 'nope'"), (#"{"conf": {"count": "five"}}"#, #"param 'count' must be an integer, got string "five""#),
        (#"{"conf": {"level": 9}}"#, "param 'level' must be at most 5, got 9"), (#"{"conf": {"mode": "lazy"}}"#, "must be one of"),
        (#"{"conf": [1]}"#, "conf must be a JSON object"), ("not json", "not valid JSON"),
    ])
    func triggerRejectsBadConf(_ body: String, _ message: String) async throws {
        try await Fixture.with { fixture, client in
            let response = try await client.execute(uri: "/api/v1/dags/xss_dag/runs", method: .post, headers: Self.bearer,
                body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(try Fixture.errorMessage(response)?.contains(message) == true)
            #expect(try await fixture.store.runs().isEmpty)
        }
    }

    @Test func wrongBearerTokenIs401() async throws {
        try await Fixture.with { _, client in
            let response = try await client.execute(uri: "/api/v1/dags", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(response.status == .unauthorized)
            // A token never opens HTML views.
            let page = try await client.execute(uri: "/dags", method: .get, headers: [.authorization: "Bearer \(Fixture.token)"])
            #expect(page.status == .seeOther)
        }
    }

    @Test(arguments: ["limit=0", "limit=1001", "limit=abc", "offset=-1", "offset=x", "state=bogus", "limit=1.5"])
    func paginationBoundsAre400(_ query: String) async throws {
        try await Fixture.with { _, client in
            let response = try await client.execute(uri: "/api/v1/runs?\(query)", method: .get, headers: Self.bearer)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try JSONValue.parse(String(buffer: response.body)).objectValue?["error"]?.objectValue?["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func runsArePaginatedAndFiltered() async throws {
        try await Fixture.with { fixture, client in
            for index in 0..<5 { try await fixture.seedRun("manual__\(index)") }
            try await fixture.store.writer.write { db in try db.execute(sql: "UPDATE dag_runs SET state = 'failed' WHERE run_id = 'manual__2'") }
            let page = try JSONValue.parse(String(buffer: try await client.execute(uri: "/api/v1/runs?dag_id=xss_dag&limit=2&offset=1",
                method: .get, headers: Self.bearer).body)).objectValue ?? [:]
            #expect(page["total"]?.doubleValue == 5)
            #expect(page["runs"].flatMap { if case .array(let a) = $0 { a.count } else { nil } } == 2)
            let failed = try JSONValue.parse(String(buffer: try await client.execute(uri: "/api/v1/dags/xss_dag/runs?state=failed", method: .get,
                headers: Self.bearer).body)).objectValue ?? [:]
            #expect(failed["total"]?.doubleValue == 1)
            #expect(try await client.execute(uri: "/api/v1/runs?dag_id=nope", method: .get, headers: Self.bearer).status == .notFound)
        }
    }

    @Test func dagsRunTasksLogsClearAndPause() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let dags = try JSONValue.parse(String(buffer: try await client.execute(uri: "/api/v1/dags", method: .get, headers: Self.bearer).body))
            #expect(dags.jsonText.contains("\"schedule_text\":\"every day at 03:00 UTC\""))
            let dag = try await client.execute(uri: "/api/v1/dags/xss_dag", method: .get, headers: Self.bearer)
            #expect(String(buffer: dag.body).contains("\"structure\""))
            #expect(try await client.execute(uri: "/api/v1/dags/xss_dag/runs/manual__1", method: .get, headers: Self.bearer).status == .ok)
            let tasks = String(buffer: try await client.execute(uri: "/api/v1/dags/xss_dag/runs/manual__1/tasks", method: .get,
                headers: Self.bearer).body)
            #expect(tasks.contains("\"exit_status\":0"))
            let logResponse = try await client.execute(
                uri: "/api/v1/dags/xss_dag/runs/manual__1/tasks/extract/tries/1/log", method: .get, headers: Self.bearer)
            let log = try JSONValue.parse(String(buffer: logResponse.body))
            #expect(log.objectValue?["text"] == "hello from the log\n")
            let cleared = try await client.execute(
                uri: "/api/v1/dags/xss_dag/runs/manual__1/clear", method: .post, headers: Self.bearer,
                body: ByteBuffer(string: #"{"task": "extract", "downstream": true}"#))
            #expect(cleared.status == .ok)
            #expect(String(buffer: cleared.body).contains("[\"extract\",\"load\",\"report\"]"))
            #expect(try await client.execute(uri: "/api/v1/dags/xss_dag/pause", method: .post, headers: Self.bearer).status == .ok)
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == true)
            #expect(try await client.execute(uri: "/api/v1/dags/xss_dag/unpause", method: .post, headers: Self.bearer).status == .ok)
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == false)
            let live = String(buffer: try await client.execute(uri: "/api/v1/live/dags/xss_dag/runs/manual__1", method: .get,
                headers: Self.bearer).body)
            #expect(live.contains("\"ti:extract\":\"scheduled\""))
            #expect(try await client.execute(uri: "/api/v1", method: .get, headers: Self.bearer).status == .ok)
        }
    }
}
