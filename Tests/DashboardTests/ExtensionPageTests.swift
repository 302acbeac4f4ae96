import Dashboard
import NightshiftTesting
import Store
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A section a library adds (`DashboardPage`): behind the login, in the nav, in the page shell, with its errors and
/// files answered the way the built-in pages answer theirs.
@Suite struct ExtensionPageTests {
    static let reports = DashboardPage(prefix: "reports", title: "Reports") { request in
        let segments = request.segments
        if segments.isEmpty {
            return .page(title: "Reports", body: "<h1>Reports</h1><p>" + DashboardPage.escape(Fixture.xss) + "</p>")
        }
        switch (segments[0], segments.count) {
        case ("echo", 2):
            return .page(
                title: segments[1], body: "<p id=\"word\">" + DashboardPage.escape(segments[1]) + "|" + DashboardPage.escape(request.query["q"] ?? "-") + "</p>")
        case ("file", 2):
            return .file(path: request.home.root.appendingPathComponent(segments[1]).path)
        case ("outside", 1):
            return .file(path: "/etc/passwd")
        case ("bad", 1):
            return .badRequest("invalid q '\(request.query["q"] ?? "")': use a number")
        default:
            return .notFound("no report '\(segments.joined(separator: "/"))'")
        }
    }

    @Test func aLibraryPageSitsBehindTheLoginInTheShellAndTheNav() async throws {
        try await Fixture.with(pages: [Self.reports]) { fixture, client in
            // Logged out: a redirect to the login, like every monitoring page; no nav link on the public pages.
            let anonymous = try await client.execute(uri: "/reports/echo/x", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/login?next=") == true)
            let login = try await client.execute(uri: "/login", method: .get)
            #expect(!String(buffer: login.body).contains("href=\"/reports\""))

            let (cookie, _) = try await fixture.login(client)
            let index = try await client.execute(uri: "/reports", method: .get, headers: [.cookie: cookie])
            #expect(index.status == .ok)
            let html = String(buffer: index.body)
            #expect(html.contains("<title>Reports · Nightshift</title>"))
            #expect(html.contains("<a href=\"/reports\" class=\"active\">Reports</a>"))
            #expect(html.contains(Fixture.escaped) && !html.contains(Fixture.xss))
            #expect(index.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            // Other pages link it too.
            let dags = try await client.execute(uri: "/dags", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: dags.body).contains("<a href=\"/reports\">Reports</a>"))

            // Segments are percent-decoded once, the query is passed on, and both are escaped by the page.
            let echo = try await client.execute(uri: "/reports/echo/a%3Cb%3E?q=%22x%22", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: echo.body).contains("<p id=\"word\">a&lt;b&gt;|&quot;x&quot;</p>"))

            // Files inside the home are served; a path outside it is a 404.
            try Data("fake png".utf8).write(to: fixture.home.home.root.appendingPathComponent("sheet.png"))
            let file = try await client.execute(uri: "/reports/file/sheet.png", method: .get, headers: [.cookie: cookie])
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "image/png")
            #expect(String(buffer: file.body) == "fake png")
            #expect(try await client.execute(uri: "/reports/outside", method: .get, headers: [.cookie: cookie]).status == .notFound)
            #expect(try await client.execute(uri: "/reports/file/missing.png", method: .get, headers: [.cookie: cookie]).status == .notFound)

            // The page's own errors keep their sentence.
            let missing = try await client.execute(uri: "/reports/nope/deeper", method: .get, headers: [.cookie: cookie])
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("no report &#39;nope/deeper&#39;"))
            let bad = try await client.execute(uri: "/reports/bad?q=zz", method: .get, headers: [.cookie: cookie])
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("invalid q &#39;zz&#39;: use a number"))
        }
    }

    @Test func withoutPagesTheNavHasNoExtraLinks() async throws {
        try await Fixture.with { fixture, client in
            let (cookie, _) = try await fixture.login(client)
            let dags = String(buffer: try await client.execute(uri: "/dags", method: .get, headers: [.cookie: cookie]).body)
            #expect(!dags.contains("href=\"/reports\""))
            #expect(try await client.execute(uri: "/reports", method: .get, headers: [.cookie: cookie]).status == .notFound)
        }
    }
}
