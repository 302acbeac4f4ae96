import Foundation
import Hummingbird
import Logging
import Store
import Synchronization

extension Dashboard {
    func addLoginRoutes(to router: Router<DashboardRequestContext>) {
        router.get("/login") { request, context in
            let next = Self.localTarget(request.uri.queryParameters.get("next"))
            if context.session != nil { return Response.redirect(to: next) }
            return self.loginPage(next: next, error: nil, status: .ok)
        }
        router.post("/login") { _, context in
            let next = Self.localTarget(context.form["next"])
            let password = context.form["password"] ?? ""
            let name = (context.form["username"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let user = name.isEmpty ? "admin" : name
            let keys = LoginThrottle.keys(user: user, address: context.clientAddress)
            if let wait = self.loginThrottle.retryAfter(keys, now: self.loginThrottle.now()).map({ Int($0.rounded(.up)) }) {
                self.logger.warning("login refused: too many failed attempts", metadata: [
                    "user": "\(user)", "address": "\(context.clientAddress)", "retry_after_s": "\(wait)",
                ])
                var response = self.loginPage(next: next, error: "Too many failed logins. Try again in \(wait) s.", status: .tooManyRequests)
                response.headers[.retryAfter] = "\(wait)"
                return response
            }
            // The PBKDF2 check is deliberately slow; a wrong password also waits a little to blunt guessing.
            guard let role = try await self.checkLogin(user: user, password: password) else {
                let lock = self.loginThrottle.recordFailure(keys, now: self.loginThrottle.now())
                self.logger.notice("login failed: wrong password", metadata: [
                    "user": "\(user)", "address": "\(context.clientAddress)", "locked_s": "\(lock.map { Int($0) } ?? 0)",
                ])
                try? await self.audit("login_failed", user: user, context: context, detail: lock.map { "locked for \(Int($0)) s" } ?? "")
                try await Task.sleep(for: .milliseconds(300))
                return self.loginPage(next: next, error: "Wrong user name or password.", status: .unauthorized)
            }
            self.loginThrottle.recordSuccess(keys)
            if user == "admin" { self.upgradePasswordHash(password) }
            let session = try await self.sessions.create(user: user, role: role, address: context.clientAddress)
            try await self.audit("login", user: user, context: context)
            var response = Response.redirect(to: next)
            response.setCookie(
                Cookie(name: SecurityMiddleware.sessionCookie, value: session.id, path: "/", httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: SecurityMiddleware.loginCookie, value: "", maxAge: 0, path: "/login", httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/logout") { _, context in
            let body = """
                <div class="login-box card"><h1>Log out</h1><p class="sub">End this session, or every session of this user \
                (other browsers and devices too)?</p>
                <form method="post" action="/logout">\(Layout.csrfField(context.session))\
                <button type="submit" class="primary">Log out</button></form>
                <form method="post" action="/logout">\(Layout.csrfField(context.session))\
                <input type="hidden" name="everywhere" value="true">\
                <button type="submit">Log out everywhere</button></form></div>
                """
            return HTML.response(self.page(title: "Log out", session: context.session, body: body))
        }
        router.post("/logout") { _, context in
            if let session = context.session {
                if context.form["everywhere"] == "true" {
                    let ended = try await self.sessions.removeAll(user: session.user)
                    try await self.audit("logout_everywhere", user: session.user, context: context, detail: "\(ended) sessions ended")
                } else {
                    try await self.sessions.remove(session.id)
                    try await self.audit("logout", user: session.user, context: context)
                }
            }
            var response = Response.redirect(to: "/login")
            response.setCookie(Cookie(name: SecurityMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// The role of `user` when `password` is theirs, else nil: `admin` against `admin.json`, anyone else against the
    /// store's users. An unknown user costs the same PBKDF2 work as a known one, so timing does not tell names apart.
    func checkLogin(user: String, password: String) async throws -> UserRole? {
        if user == "admin" { return credentials.checkPassword(password) ? .admin : nil }
        guard let record = try await store.user(user) else {
            _ = UserPasswords.verify(password, stored: Self.decoyHash)
            return nil
        }
        return UserPasswords.verify(password, stored: record.password) ? record.role : nil
    }

    /// A hash no password matches, checked for unknown users.
    static let decoyHash = UserPasswords.hash(UUID().uuidString)

    /// Records a login-related audit event: actor `dashboard:USER@ADDRESS`.
    func audit(_ kind: String, user: String, context: DashboardRequestContext, detail: String = "") async throws {
        _ = try await store.recordEvent(kind: kind, actor: Self.actor(user: user, context: context), detail: detail)
    }

    /// A same-site path to go to after login (never another host: `//evil.example` and absolute URLs become `/dags`).
    static func localTarget(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\r"), !next.contains("\n")
        else { return "/dags" }
        return next
    }

    func loginPage(next: String, error: String?, status: HTTPResponse.Status) -> Response {
        let token = [UInt8].random(count: 24).hex
        let body = """
            <div class="login-box card"><h1>Log in</h1>
            <p class="sub">The monitoring views show logs and can start work. Log in as <b>admin</b> or a user made with \
            <code>nightshift users add</code>.</p>
            \(error.map { "<div class=\"error\">\(HTML.escape($0))</div>" } ?? "")
            <form method="post" action="/login">
            <input type="hidden" name="csrf" value="\(token)">
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <label for="username">User</label>
            <input type="text" id="username" name="username" value="admin" autocomplete="username" required>
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
            <p><button type="submit" class="primary">Log in</button></p>
            </form>
            <p class="muted small">The password is printed once when the dashboard first starts (or set NIGHTSHIFT_ADMIN_PASSWORD).</p>
            </div>
            """
        var response = HTML.response(self.page(title: "Log in", session: nil, body: body), status: status)
        response.setCookie(Cookie(name: SecurityMiddleware.loginCookie, value: token, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    /// After a successful login: re-hashes a password stored with fewer PBKDF2 iterations than configured (hashes from
    /// before the 600,000 default) and saves it. A failed save is logged and the login still succeeds.
    func upgradePasswordHash(_ password: String) {
        let iterations = configuration.passwordIterations
        guard let upgraded = credentials.upgraded(password: password, iterations: iterations) else { return }
        let directory = configuration.home.root.appendingPathComponent("dashboard")
        do {
            try upgraded.save(in: directory)
            credentialStore.withLock { $0 = upgraded }
            logger.notice("admin password hash upgraded", metadata: ["iterations": "\(iterations)", "path": "\(directory.path)/admin.json"])
        } catch {
            logger.error("could not save the upgraded admin password hash", metadata: ["path": "\(directory.path)/admin.json", "error": "\(error)"])
        }
    }
}
