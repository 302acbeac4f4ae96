@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NightshiftTesting
import Store
import Testing
import Workflow

/// Users and roles: a viewer reads everything behind the login and is refused every change with a 403 sentence (HTML
/// and JSON); an operator changes things; the API token has a role of its own.
@Suite struct RoleTests {
    static let viewerPassword = "viewer-password-1"
    static let operatorPassword = "operator-password-1"

    static func addUsers(_ store: StateStore) async throws {
        let now = Date()
        #expect(try await store.addUser(
            UserRecord(name: "vera", role: .viewer, password: UserPasswords.hash(viewerPassword, iterations: 50), createdAt: now, updatedAt: now),
            actor: "tests"))
        #expect(try await store.addUser(
            UserRecord(name: "otto", role: .operator, password: UserPasswords.hash(operatorPassword, iterations: 50), createdAt: now, updatedAt: now),
            actor: "tests"))
    }

    /// Logs in through the form as `user`; returns the status and, on success, the session cookie and CSRF token.
    static func login(_ client: some TestClientProtocol, user: String, password: String) async throws -> (HTTPResponse.Status, String?, String?) {
        let form = try await client.execute(uri: "/login", method: .get)
        #expect(String(buffer: form.body).contains("name=\"username\""), "the login form asks for a user name")
        let loginCookie = try #require(Fixture.cookie(form, named: "nightshift_login"))
        let csrf = try #require(Fixture.hiddenCSRF(String(buffer: form.body)))
        let response = try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "nightshift_login=\(loginCookie)"],
            body: Fixture.form(["csrf": csrf, "username": user, "password": password, "next": "/dags"]))
        guard let session = Fixture.cookie(response, named: "nightshift_session") else { return (response.status, nil, nil) }
        let cookie = "nightshift_session=\(session)"
        let page = try await client.execute(uri: "/dags", method: .get, headers: [.cookie: cookie])
        return (response.status, cookie, Fixture.hiddenCSRF(String(buffer: page.body)))
    }

    static func pause(_ client: some TestClientProtocol, cookie: String, csrf: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/dags/xss_dag/pause", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: Fixture.form(["csrf": csrf, "paused": "true"]))
    }

    @Test func aViewerReadsButChangesNothingAndAnOperatorChanges() async throws {
        try await Fixture.with { fixture, client in
            try await Self.addUsers(fixture.store)
            try await fixture.seedRun()
            let (status, viewer, viewerCSRF) = try await Self.login(client, user: "vera", password: Self.viewerPassword)
            #expect(status == .seeOther)
            let cookie = try #require(viewer)
            for path in ["/dags", "/dags/xss_dag", "/dags/xss_dag/runs/manual__1", "/audit"] {
                #expect(try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]).status == .ok, "\(path)")
            }
            for path in ["/dags", "/dags/xss_dag", "/dags/xss_dag/runs/manual__1"] {
                let html = String(buffer: try await client.execute(uri: path, method: .get, headers: [.cookie: cookie]).body)
                #expect(!html.contains("Trigger…") && !html.contains("/pause\"") && !html.contains("/clear\"") && !html.contains("/mark\""),
                        "a viewer sees no buttons it may not use: \(path)")
            }
            let refused = try await Self.pause(client, cookie: cookie, csrf: try #require(viewerCSRF))
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("user &#39;vera&#39; has the viewer role")
                || String(buffer: refused.body).contains("user 'vera' has the viewer role"), "\(String(buffer: refused.body))")
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == false, "nothing changed")
            let clear = try await client.execute(
                uri: "/api/v1/dags/xss_dag/runs/manual__1/clear", method: .post,
                headers: [.cookie: cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: try #require(viewerCSRF)],
                body: ByteBuffer(string: "{}"))
            #expect(clear.status == .forbidden)
            #expect(try Fixture.errorMessage(clear)?.contains("viewer role") == true, "a JSON sentence for the API")

            let (_, operatorCookie, operatorCSRF) = try await Self.login(client, user: "otto", password: Self.operatorPassword)
            let operatorPage = String(buffer: try await client.execute(uri: "/dags/xss_dag", method: .get, headers: [.cookie: try #require(operatorCookie)]).body)
            #expect(operatorPage.contains("Trigger…") && operatorPage.contains("/pause\""), "an operator sees the buttons")
            let paused = try await Self.pause(client, cookie: try #require(operatorCookie), csrf: try #require(operatorCSRF))
            #expect(paused.status == .seeOther)
            #expect(try await fixture.store.dagRecord("xss_dag")?.paused == true)
            #expect(try await fixture.store.events(limit: 5).first { $0.kind == "pause" }?.actor == "dashboard:otto@unknown")
        }
    }

    @Test func wrongPasswordsAndUnknownUsersAreRefusedAlike() async throws {
        try await Fixture.with { fixture, client in
            try await Self.addUsers(fixture.store)
            let (wrong, noSession, _) = try await Self.login(client, user: "vera", password: Self.operatorPassword)
            #expect(wrong == .unauthorized && noSession == nil)
            let (unknown, _, _) = try await Self.login(client, user: "nobody", password: Self.viewerPassword)
            #expect(unknown == .unauthorized)
            let (admin, adminCookie, _) = try await Self.login(client, user: "", password: Fixture.password)
            #expect(admin == .seeOther && adminCookie != nil, "an empty user name is admin, as before users existed")
        }
    }

    @Test func theAPITokenHasARole() async throws {
        try await withTemporaryHome("roles") { home in
            let store = try home.home.openStore()
            let bag = try DAGBag([Fixture.dag])
            try await store.register(bag, now: Date())
            let environment = ["NIGHTSHIFT_ADMIN_PASSWORD": Fixture.password, "NIGHTSHIFT_API_TOKEN": Fixture.token, "NIGHTSHIFT_API_TOKEN_ROLE": "viewer"]
            let dashboard = try Dashboard(
                configuration: .init(home: home.home, bag: bag, passwordIterations: 50, environment: environment), store: store)
            try await Application(router: dashboard.buildRouter()).test(.router) { client in
                let bearer: HTTPFields = [.authorization: "Bearer \(Fixture.token)", .contentType: "application/json"]
                #expect(try await client.execute(uri: "/api/v1/dags", method: .get, headers: bearer).status == .ok)
                let refused = try await client.execute(uri: "/api/v1/dags/xss_dag/pause", method: .post, headers: bearer)
                #expect(refused.status == .forbidden)
                #expect(try Fixture.errorMessage(refused)?.contains("the API token has the viewer role") == true)
            }
            var bad = environment
            bad["NIGHTSHIFT_API_TOKEN_ROLE"] = "root"
            #expect {
                try Dashboard(configuration: .init(home: home.home, bag: bag, passwordIterations: 50, environment: bad), store: store)
            } throws: { "\($0)".contains("invalid NIGHTSHIFT_API_TOKEN_ROLE 'root'") }
        }
    }
}
