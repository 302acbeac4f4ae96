import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import Workflow
import Logging
import Store

/// Everything the dashboard enforces on every request:
/// - security headers (a Content-Security-Policy without inline script, `nosniff`, no framing, no referrer);
/// - who the caller is: a session cookie, or for `/api/v1` a bearer token;
/// - login required for everything but the public paths (a redirect to `/login` for pages, a JSON 401 for the API);
/// - a CSRF token on every state-changing request (form field `csrf` or header `X-CSRF-Token`, matching the session);
/// - errors rendered without internals: `HTTPError` messages as JSON or a small page, anything else as a bare 500.
struct SecurityMiddleware: RouterMiddleware {
    typealias Context = DashboardRequestContext
    let dashboard: Dashboard

    static let sessionCookie = "nightshift_session"
    static let loginCookie = "nightshift_login"
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        + "base-uri 'none'; frame-ancestors 'none'"

    /// Paths anyone may read.
    static func isPublic(_ path: String) -> Bool {
        path == "/" || path == "/login" || path == "/health" || path == "/metrics" || path.hasPrefix("/archive/") || path.hasPrefix("/static/")
            || path == "/favicon.ico"
    }

    static func isAPI(_ path: String) -> Bool { path == "/api/v1" || path.hasPrefix("/api/") }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await authorize(request, context: context, next: next)
        } catch let error as HTTPError {
            response = render(error, for: request)
        } catch {
            dashboard.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = render(HTTPError(.internalServerError, message: "internal error"), for: request)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private func authorize(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let path = request.uri.path
        if let id = request.cookies[Self.sessionCookie]?.value {
            do {
                context.session = try await dashboard.sessions.session(id)
            } catch {  // an unreadable store logs the caller out for this request; public pages still answer
                dashboard.logger.error("session lookup failed", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        let api = Self.isAPI(path)
        if api, context.session == nil, let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard dashboard.credentials.checkToken(token) else { throw HTTPError(.unauthorized, message: "invalid API token") }
            context.bearer = true
        }
        let authenticated = context.session != nil || context.bearer
        if !authenticated && !Self.isPublic(path) {
            if api { throw HTTPError(.unauthorized, message: "login required: send a session cookie or 'Authorization: Bearer <token>'") }
            guard request.method == .get || request.method == .head else { throw HTTPError(.forbidden, message: "login required") }
            let target = path + (request.uri.query.map { "?" + $0 } ?? "")
            return Response.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/dags"))
        }
        if request.method != .get && request.method != .head {
            let body = try await request.collectBodyWithinLimit()
            let type = request.headers[.contentType] ?? ""
            if type.hasPrefix("application/x-www-form-urlencoded") {
                context.form = FormData(Substring(String(buffer: body)))
            }
            try checkCSRF(request, context: context, path: path)
            if path != "/login" && path != "/logout" {
                let role = context.bearer ? dashboard.credentials.apiTokenRole : context.session?.role ?? .viewer
                guard role >= .operator else {
                    let who = context.bearer ? "the API token" : "user '\(context.session?.user ?? "?")'"
                    dashboard.logger.notice("forbidden", metadata: [
                        "path": "\(path)", "user": "\(context.session?.user ?? "api")", "role": "\(role.rawValue)", "address": "\(context.clientAddress)",
                    ])
                    throw HTTPError(.forbidden, message: "\(who) has the viewer role, which may read but not change anything; "
                        + "triggering, clearing, marking and pausing need an operator or admin (nightshift users add NAME --role operator)")
                }
            }
        }
        return try await next(request, context)
    }

    /// State-changing requests need the session's CSRF token (bearer-token API calls carry no cookie, so no CSRF risk);
    /// the login form uses a double-submit cookie because there is no session yet.
    private func checkCSRF(_ request: Request, context: Context, path: String) throws {
        if context.bearer { return }
        let sent = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? context.form["csrf"]
        let expected: String?
        if path == "/login" {
            expected = request.cookies[Self.loginCookie]?.value
        } else {
            expected = context.session?.csrf
        }
        guard let sent, let expected, !expected.isEmpty, constantTimeEquals(Array(sent.utf8), Array(expected.utf8)) else {
            throw HTTPError(.forbidden, message: "missing or invalid CSRF token; reload the page and try again")
        }
    }

    private func render(_ error: HTTPError, for request: Request) -> Response {
        let message = error.body ?? error.status.reasonPhrase
        if Self.isAPI(request.uri.path) || request.uri.path == "/health" {
            return JSON.response(.object(["error": .object(["message": .string(message)])]), status: error.status)
        }
        let page = Layout.page(
            title: "\(error.status.code) \(error.status.reasonPhrase)", session: nil,
            body: "<h1>\(error.status.code) \(HTML.escape(error.status.reasonPhrase))</h1><p>\(HTML.escape(message))</p>"
                + "<p><a href=\"/dags\">DAGs</a> · <a href=\"/\">Archive</a></p>")
        return HTML.response(page, status: error.status)
    }
}

extension Request {
    /// The largest request body the dashboard reads.
    static let maxBodyBytes = 1 << 20

    /// The whole body, buffered; one over ``maxBodyBytes`` is a 413 with a sentence (not a 500).
    mutating func collectBodyWithinLimit() async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the request body is over \(Self.maxBodyBytes) bytes (1 MiB)")
        }
    }
}
