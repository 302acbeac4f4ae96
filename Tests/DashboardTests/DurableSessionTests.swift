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

/// Sessions live in the store: a restarted dashboard keeps its logins, the store holds only token hashes, "log out
/// everywhere" ends every browser's session, and logins and changes are audit events with the user and address.
@Suite struct DurableSessionTests {
    @Test func aSessionSurvivesARestartAndTheStoreKeepsOnlyItsHash() async throws {
        try await Fixture.with { fixture, client in
            let (cookie, _) = try await fixture.login(client)
            let token = String(cookie.dropFirst("nightshift_session=".count))
            let stored = try await fixture.store.writer.read { db in try String.fetchAll(db, sql: "SELECT token_hash FROM dashboard_sessions") }
            #expect(stored == [SessionStore.hash(token)], "one session, stored as the SHA-256 of its token")
            #expect(!stored.contains(token))

            // A second dashboard over the same home and store: what a restart (or a redeploy) starts.
            let restarted = try Dashboard(
                configuration: .init(
                    home: fixture.home.home, bag: try DAGBag([Fixture.dag]), passwordIterations: 50,
                    environment: ["NIGHTSHIFT_ADMIN_PASSWORD": Fixture.password, "NIGHTSHIFT_API_TOKEN": Fixture.token]),
                store: fixture.store)
            try await Application(router: restarted.buildRouter()).test(.router) { after in
                let page = try await after.execute(uri: "/dags", method: .get, headers: [.cookie: cookie])
                #expect(page.status == .ok, "the session outlives the process that created it")
                #expect(try await after.execute(uri: "/dags", method: .get, headers: [.cookie: "nightshift_session=\(String(repeating: "0", count: 64))"])
                    .status == .seeOther)
            }
        }
    }

    @Test func anExpiredSessionIsGone() async throws {
        try await withTemporaryHome("sessions") { home in
            let store = try home.home.openStore()
            let sessions = SessionStore(store: store, lifetime: 3600)
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            let session = try await sessions.create(user: "admin", role: .admin, address: "10.0.0.7", now: t0)
            #expect(try await sessions.session(session.id, now: t0.addingTimeInterval(3000))?.user == "admin")
            // Used at 3000 s: the expiry moved to 3000 + 3600.
            #expect(try await sessions.session(session.id, now: t0.addingTimeInterval(6000)) != nil)
            #expect(try await sessions.session(session.id, now: t0.addingTimeInterval(6000 + 3601)) == nil, "an hour unused ends it")
        }
    }

    @Test func logOutEverywhereEndsEveryBrowsersSessionAndIsAudited() async throws {
        try await Fixture.with { fixture, client in
            let (first, csrf) = try await fixture.login(client)
            let (second, _) = try await fixture.login(client)
            #expect(first != second)
            let page = try await client.execute(uri: "/logout", method: .get, headers: [.cookie: first])
            #expect(String(buffer: page.body).contains("Log out everywhere"))
            let out = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: first, .contentType: "application/x-www-form-urlencoded"],
                body: Fixture.form(["csrf": csrf, "everywhere": "true"]))
            #expect(out.status == .seeOther)
            for cookie in [first, second] {
                #expect(try await client.execute(uri: "/dags", method: .get, headers: [.cookie: cookie]).status == .seeOther)
            }
            let events = try await fixture.store.events(limit: 10)
            let everywhere = try #require(events.first { $0.kind == "logout_everywhere" })
            #expect(everywhere.actor == "dashboard:admin@unknown" && everywhere.detail == "2 sessions ended", "\(everywhere)")
            #expect(events.filter { $0.kind == "login" }.count == 2)
        }
    }

    @Test func theAuditPageShowsWhoDidWhatFromWhereAndFilters() async throws {
        try await Fixture.with { fixture, client in
            _ = try await CredentialUpgradeTests.login(client, password: "guess")
            let (cookie, csrf) = try await fixture.login(client)
            let paused = try await client.execute(
                uri: "/dags/xss_dag/pause", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: Fixture.form(["csrf": csrf, "paused": "true"]))
            #expect(paused.status == .seeOther)
            let events = try await fixture.store.events(limit: 10)
            #expect(events.first { $0.kind == "pause" }?.actor == "dashboard:admin@unknown", "a change names the user and the address")

            #expect(try await client.execute(uri: "/audit", method: .get).status == .seeOther, "login required")
            let audit = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: cookie])
            #expect(audit.status == .ok)
            let html = String(buffer: audit.body)
            for kind in ["login_failed", "login", "pause"] { #expect(html.contains("<td>\(kind)</td>"), "\(kind)") }
            #expect(html.contains("dashboard:admin@unknown"))
            #expect(html.contains("href=\"/audit\""), "the nav links the Audit page")
            let filtered = String(buffer: try await client.execute(uri: "/audit?kind=pause", method: .get, headers: [.cookie: cookie]).body)
            #expect(filtered.contains("<td>pause</td>") && !filtered.contains("<td>login</td>"))
            let bad = try await client.execute(uri: "/audit?kind=%3Cx%3E", method: .get, headers: [.cookie: cookie])
            #expect(bad.status == .badRequest)
            #expect(!String(buffer: bad.body).contains("<x>"), "the bad value is escaped")
        }
    }
}
