import Store
import Foundation

/// The page shell: header with navigation, the stylesheet and script (both served files, so the CSP needs no inline
/// code), and the live-update hook (`data-live` on `<body>` names the JSON endpoint the script polls).
enum Layout {
    /// A complete page.
    /// - Parameters:
    ///   - title: the `<title>` (escaped here).
    ///   - session: the viewer's session (shows the monitoring navigation and a logout form) or nil.
    ///   - body: the page content, already escaped HTML.
    ///   - live: a JSON endpoint the script polls for state changes, or nil.
    ///   - wide: let the content use the full window width (grids).
    /// - Parameter archiveLink: whether the nav links the public fake anime page (false in a binary without the anime
    ///   pipeline, whose `/` leads to `/dags`).
    /// - Parameter pages: the sections libraries added (``DashboardPage``), linked after DAGs when a session is open.
    /// True when the viewer may change things (operator or admin): views show their forms and buttons only then.
    static func mayOperate(_ session: Session?) -> Bool { (session?.role ?? .viewer) >= .operator }

    static func page(
        archiveLink: Bool = true, pages: [(prefix: String, title: String)] = [], title: String, session: Session?, body: String,
        live: String? = nil, active: String = ""
    ) -> String {
        var nav = "<a class=\"brand\" href=\"/\">Nightshift</a>"
        if archiveLink { nav += link("/", "Fake anime", active == "archive") }
        nav += link("/dags", "DAGs", active == "dags")
        if session != nil {
            for page in pages { nav += link("/" + HTML.segment(page.prefix), HTML.escape(page.title), active == page.prefix) }
            nav += link("/assets", "Assets", active == "assets")
            nav += link("/audit", "Audit", active == "audit")
        }
        if let session {
            nav += "<form class=\"logout\" method=\"post\" action=\"/logout\">\(csrfField(session))<button type=\"submit\" "
                + "class=\"link\">Log out</button>"
                + "</form>"
        } else {
            nav += "<a class=\"login\" href=\"/login\">Log in</a>"
        }
        let liveAttribute = live.map { " " + HTML.attribute("data-live", $0) } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · Nightshift</title>
            <link rel="icon" href="data:,"><link rel="stylesheet" href="/static/dashboard.css?v=\(StaticAssets.version)">
            <script src="/static/dashboard.js?v=\(StaticAssets.version)" defer></script>
            </head><body\(liveAttribute)><header class="top"><nav>\(nav)</nav></header>
            <main>\(body)</main></body></html>
            """
    }

    private static func link(_ href: String, _ text: String, _ active: Bool) -> String {
        "<a href=\"\(href)\"\(active ? " class=\"active\"" : "")>\(text)</a>"
    }

    /// The hidden CSRF field every form carries.
    static func csrfField(_ session: Session?) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(session?.csrf ?? ""))\">"
    }

    /// A state badge: `<span class="badge st-success">success</span>`.
    static func badge(_ state: String) -> String {
        "<span class=\"badge st-\(HTML.escape(state))\">\(HTML.escape(state.replacingOccurrences(of: "_", with: " ")))</span>"
    }
}
