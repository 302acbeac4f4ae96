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

/// The Assets pages: every asset with its latest event, one asset's events with their extra JSON (escaped) and the runs
/// they caused, a clear 404 for an unknown asset, and a login in front of both.
@Suite struct AssetPageTests {
    @Test func assetsListTheirEventsAndTheRunsTheyCaused() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun("manual__1")
            try await fixture.store.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO asset_events (asset, dag_id, run_id, task_id, try_number, extra, created_at)
                        VALUES ('data.csv', 'xss_dag', 'manual__0', 'load', 1, ?, 1790000000)
                        """,
                    arguments: [JSONValue.object(["note": .string(Fixture.xss)]).jsonText])
                try db.execute(sql: "INSERT INTO asset_event_runs (event_id, dag_id, run_id) VALUES (1, 'xss_dag', 'manual__1')")
            }
            let anonymous = try await client.execute(uri: "/assets", method: .get)
            #expect(anonymous.status == .seeOther, "behind the login")
            let (cookie, _) = try await fixture.login(client)
            let list = try await client.execute(uri: "/assets", method: .get, headers: [.cookie: cookie])
            #expect(list.status == .ok)
            let listHTML = String(buffer: list.body)
            #expect(listHTML.contains("<a href=\"/assets/data.csv\">data.csv</a>"))
            #expect(listHTML.contains("<td class=\"num\">1</td>"))
            #expect(listHTML.contains("href=\"/assets\">Assets</a>") || listHTML.contains(">Assets</a>"), "the navigation links it")

            let page = try await client.execute(uri: "/assets/data.csv", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains(Fixture.xss), "the extra JSON is escaped")
            #expect(html.contains("href=\"/dags/xss_dag/runs/manual__1\">xss_dag: manual__1</a>"), "the run it caused")
            #expect(html.contains("href=\"/dags/xss_dag/runs/manual__0\">manual__0</a>"), "the run that made it")

            let unknown = try await client.execute(uri: "/assets/nope", method: .get, headers: [.cookie: cookie])
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains("unknown asset &#39;nope&#39;") || String(buffer: unknown.body).contains("unknown asset 'nope'"))
        }
    }
}
