import Foundation
public import Store

/// A page section a library adds to the dashboard: every path under `/<prefix>` is handed to ``render``, behind the
/// same login, security headers and page shell as the built-in pages, and the navigation links `/<prefix>`.
///
/// ```swift
/// let reports = DashboardPage(prefix: "reports", title: "Reports") { request in
///     guard request.segments.isEmpty else { return .notFound("no report '\(request.segments.joined(separator: "/"))'") }
///     return .page(title: "Reports", body: "<h1>Reports</h1><p>" + DashboardPage.escape(summary()) + "</p>")
/// }
/// ```
public struct DashboardPage: Sendable {
    /// What a request under the prefix asks for.
    public struct Request: Sendable {
        /// The path segments after the prefix, percent-decoded (`/models/posters/v3` with prefix `models`: `["posters", "v3"]`).
        public var segments: [String]
        /// The query parameters (the first value of each name).
        public var query: [String: String]
        /// The home the dashboard shows.
        public var home: NightshiftHome
        /// Its store.
        public var store: StateStore
        /// The logged-in user's name.
        public var user: String

        public init(segments: [String], query: [String: String], home: NightshiftHome, store: StateStore, user: String) {
            self.segments = segments
            self.query = query
            self.home = home
            self.store = store
            self.user = user
        }
    }

    /// What the page answers.
    public enum Response: Sendable {
        /// A page in the dashboard's shell; `body` is HTML whose text the page escaped with ``DashboardPage/escape(_:)``.
        case page(title: String, body: String)
        /// A file served as is (an image, a text): it must lie inside the home, or the answer is a 404.
        case file(path: String)
        /// A 404 with this sentence.
        case notFound(String)
        /// A 400 with this sentence (a bad query value, named).
        case badRequest(String)
    }

    /// The first path segment (`models` serves `/models` and everything under it).
    public var prefix: String
    /// The navigation link's text.
    public var title: String
    /// Builds the answer.
    public var render: @Sendable (Request) async throws -> Response

    /// - Parameters:
    ///   - prefix: the first path segment; a plain name (letters, digits, `-`, `_`) that no built-in page uses.
    ///   - title: the navigation link's text.
    ///   - render: builds the answer for a request under the prefix.
    public init(prefix: String, title: String, render: @escaping @Sendable (Request) async throws -> Response) {
        precondition(
            !prefix.isEmpty && prefix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                && !Self.reserved.contains(prefix),
            "DashboardPage prefix '\(prefix)' must be a plain name not used by the dashboard (\(Self.reserved.sorted().joined(separator: ", ")))")
        self.prefix = prefix
        self.title = title
        self.render = render
    }

    /// Prefixes the dashboard's own routes use.
    static let reserved: Set<String> = ["dags", "api", "login", "logout", "static", "archive", "health", "metrics", "favicon.ico"]

    /// Escapes text for element content and quoted attribute values (`&`, `<`, `>`, `"`, `'`), as every built-in page does.
    public static func escape(_ text: some StringProtocol) -> String { HTML.escape(text) }

    /// A URL path from segments, each percent-encoded (`path("models", kind, version)` → `/models/posters/v3`).
    public static func path(_ parts: String...) -> String { "/" + parts.map(HTML.segment).joined(separator: "/") }

    /// A state badge in the dashboard's colours (`success`, `failed`, `running`, … ; other words are shown plain).
    public static func badge(_ state: String) -> String { Layout.badge(state) }
}
