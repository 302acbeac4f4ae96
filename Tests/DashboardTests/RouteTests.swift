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

@Suite struct PublicRouteTests {
    @Test func emptyArchiveSaysSoPlainly() async throws {
        try await Fixture.with { _, client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("No fake anime yet — the first batch appears after anime_nightly publishes"))
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await Fixture.with { _, client in
            for uri in ["/", "/login", "/dags", "/health", "/nope", "/api/v1/dags"] {
                let response = try await client.execute(uri: uri, method: .get)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test func staticAssetsAreServedAndUnknownOnesAre404() async throws {
        try await Fixture.with { _, client in
            let css = try await client.execute(uri: "/static/dashboard.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            let js = try await client.execute(uri: "/static/dashboard.js", method: .get)
            #expect(js.status == .ok)
            #expect(String(buffer: js.body).contains("data-live"))
            #expect(try await client.execute(uri: "/static/other.js", method: .get).status == .notFound)
        }
    }

    @Test func healthReportsStoreAndHeartbeat() async throws {
        try await Fixture.with { fixture, client in
            var response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            var json = try JSONValue.parse(String(buffer: response.body)).objectValue ?? [:]
            #expect(json["store"] == "reachable")
            #expect(json["scheduler"] == .null)
            try await fixture.store.heartbeat(pid: 42, host: "h", startedAt: Date(), now: Date().addingTimeInterval(-3))
            response = try await client.execute(uri: "/health", method: .get)
            json = try JSONValue.parse(String(buffer: response.body)).objectValue ?? [:]
            let age = try #require(json["scheduler"]?.objectValue?["heartbeat_age_s"]?.doubleValue)
            #expect(age >= 3 && age < 60)
            #expect(json["status"] == "ok")
        }
    }

    @Test func healthIs503WhenTheStoreIsUnreachable() async throws {
        try await Fixture.with { fixture, client in
            try fixture.store.writer.close()
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            let json = try JSONValue.parse(String(buffer: response.body)).objectValue ?? [:]
            #expect(json["store"] == "unreachable")
        }
    }

    @Test func unknownRouteIs404WithoutInternals() async throws {
        try await Fixture.with { fixture, client in
            let cookie = try await fixture.login(client).cookie
            let page = try await client.execute(uri: "/dags/nope", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .notFound)
            #expect(String(buffer: page.body).contains("unknown DAG id"))
            let api = try await client.execute(uri: "/api/v1/dags/nope", method: .get, headers: [.cookie: cookie])
            #expect(api.status == .notFound)
            #expect(try Fixture.errorMessage(api)?.contains("nope") == true)
        }
    }
}

@Suite struct LoginTests {
    @Test func pagesRedirectToLoginAndTheAPIAnswers401() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            for uri in ["/dags", "/dags/xss_dag", "/dags/xss_dag/runs/manual__1", "/dags/xss_dag/runs/manual__1/tasks/extract/tries/1",
                "/dags/xss_dag/trigger", "/logout"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .seeOther, "\(uri)")
                #expect(response.headers[.location]?.hasPrefix("/login?next=") == true, "\(uri)")
            }
            for uri in ["/api/v1", "/api/v1/dags", "/api/v1/runs", "/api/v1/dags/xss_dag/runs/manual__1/tasks", "/api/v1/live/dags"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .unauthorized, "\(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(try JSONValue.parse(String(buffer: response.body)).objectValue?["error"] != nil)
            }
            let post = try await client.execute(uri: "/dags/xss_dag/pause", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: Fixture.form(["paused": "true"]))
            #expect(post.status == .forbidden)
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == false)
        }
    }

    @Test func wrongPasswordIsRefused() async throws {
        try await Fixture.with { _, client in
            let form = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(Fixture.cookie(form, named: "nightshift_login"))
            let csrf = try #require(Fixture.hiddenCSRF(String(buffer: form.body)))
            let response = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded",
                    .cookie: "nightshift_login=\(loginCookie)"],
                body: Fixture.form(["csrf": csrf, "password": "guess"]))
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("Wrong user name or password"))
            #expect(Fixture.cookie(response, named: "nightshift_session") == nil)
        }
    }

    @Test func loginWithoutItsCSRFCookieIsRefused() async throws {
        try await Fixture.with { _, client in
            let response = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: Fixture.form(["csrf": "abc", "password": Fixture.password]))
            #expect(response.status == .forbidden)
            #expect(Fixture.cookie(response, named: "nightshift_session") == nil)
        }
    }

    @Test func sessionCookieIsHttpOnlyAndStrict() async throws {
        try await Fixture.with { _, client in
            let form = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(Fixture.cookie(form, named: "nightshift_login"))
            let csrf = try #require(Fixture.hiddenCSRF(String(buffer: form.body)))
            let response = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded",
                    .cookie: "nightshift_login=\(loginCookie)"],
                body: Fixture.form(["csrf": csrf, "password": Fixture.password, "next": "//evil.example/"]))
            #expect(response.headers[.location] == "/dags")
            let header = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("nightshift_session=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Strict"))
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await Fixture.with { fixture, client in
            let (cookie, csrf) = try await fixture.login(client)
            #expect(try await client.execute(uri: "/logout", method: .get, headers: [.cookie: cookie]).status == .ok)
            let out = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: Fixture.form(["csrf": csrf]))
            #expect(out.status == .seeOther)
            #expect(try await client.execute(uri: "/dags", method: .get, headers: [.cookie: cookie]).status == .seeOther)
        }
    }

    @Test func stateChangesNeedTheSessionsCSRFToken() async throws {
        try await Fixture.with { fixture, client in
            let (cookie, csrf) = try await fixture.login(client)
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let missing = try await client.execute(uri: "/dags/xss_dag/pause", method: .post, headers: headers,
                body: Fixture.form(["paused": "true"]))
            #expect(missing.status == .forbidden)
            let wrong = try await client.execute(
                uri: "/dags/xss_dag/pause", method: .post, headers: headers, body: Fixture.form(["paused": "true", "csrf": String(csrf.reversed())]))
            #expect(wrong.status == .forbidden)
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == false)
            let api = try await client.execute(uri: "/api/v1/dags/xss_dag/pause", method: .post, headers: [.cookie: cookie])
            #expect(api.status == .forbidden)
            let right = try await client.execute(
                uri: "/dags/xss_dag/pause", method: .post, headers: headers, body: Fixture.form(["paused": "true", "csrf": csrf, "next": "/dags"]))
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/dags")
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == true)
            var apiHeaders: HTTPFields = [.cookie: cookie]
            apiHeaders[HTTPField.Name("X-CSRF-Token")!] = csrf
            let viaHeader = try await client.execute(uri: "/api/v1/dags/xss_dag/unpause", method: .post, headers: apiHeaders)
            #expect(viaHeader.status == .ok)
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == false)
        }
    }
}

@Suite struct LiveServerTests {
    /// The application `serve` and `standalone` run, over a real loopback socket.
    @Test func applicationAnswersOverASocket() async throws {
        try await withTemporaryHome("dashboard-live") { home in
            let store = try home.home.openStore()
            let bag = try DAGBag([Fixture.dag])
            let dashboard = try Dashboard(
                configuration: .init(home: home.home, bag: bag, port: 0, passwordIterations: 10, environment: [:]), store: store)
            #expect(dashboard.announcement.password != nil)
            #expect(dashboard.startupBanner(url: "http://127.0.0.1:1/").contains("admin password: \(dashboard.announcement.password!)"))
            try await dashboard.buildApplication().test(.live) { client in
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
                let page = try await client.execute(uri: "/dags", method: .get)
                #expect(page.status == .seeOther)
            }
        }
    }
}

@Suite struct OwnDAGsHomePageTests {
    /// A binary of one's own DAGs (no anime pipeline) has no public archive page: `/` leads to the DAG list.
    @Test func rootLeadsToTheDAGListWithoutAnArchive() async throws {
        try await withTemporaryHome("dashboard-own") { home in
            let store = try home.home.openStore()
            let bag = try DAGBag([Fixture.dag])
            let dashboard = try Dashboard(
                configuration: .init(home: home.home, bag: bag, port: 0, passwordIterations: 10, environment: [:], publicArchive: false),
                store: store)
            try await dashboard.buildApplication().test(.router) { client in
                let root = try await client.execute(uri: "/", method: .get)
                #expect(root.status == .seeOther)
                #expect(root.headers[.location] == "/dags")
                // The archive's own pages and the health check stay where they are; the nav has no fake anime link.
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
                let login = try await client.execute(uri: "/login", method: .get)
                let html = String(buffer: login.body)
                #expect(html.contains("href=\"/dags\""))
                #expect(!html.contains(">Fake anime<"))
            }
        }
    }
}
