import Foundation
import Hummingbird
import Store
import Workflow

extension Dashboard {
    /// `/audit` (login required): the store's audit trail, newest first — logins and logouts, triggers, clears, marks,
    /// pauses, definition changes, cleans and what extensions record (model promotions) — with who and from where.
    /// `?kind=K` (repeatable) filters by kind, `?dag=D` by DAG, `?limit=N` (1–1000, default 100).
    func addAuditRoutes(to router: Router<DashboardRequestContext>) {
        router.get("/audit") { request, context in
            let query = request.uri.queryParameters
            let (limit, _) = try Self.pagination(request, defaultLimit: 100, maxLimit: 1000)
            let kinds = query.getAll("kind").filter { !$0.isEmpty }
            if let bad = kinds.first(where: { !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } }) {
                throw HTTPError(.badRequest, message: "invalid kind '\(bad)': event kinds are words of letters, digits and '_'")
            }
            let dag = query.get("dag").flatMap { $0.isEmpty ? nil : String($0) }
            let events = try await self.store.events(limit: limit, kinds: kinds.isEmpty ? nil : kinds, dagID: dag)
            return HTML.response(self.page(
                title: "Audit", session: context.session, body: Self.auditBody(events, kinds: kinds, dag: dag, limit: limit), active: "audit"))
        }
        router.get("/notifications") { _, context in
            HTML.response(self.page(
                title: "Notifications", session: context.session,
                body: Self.notificationsBody(try await self.store.notifications(), declared: self.configuration.bag.declaredNotifications),
                active: "audit"))
        }
    }

    /// `/notifications` (login required): what the scheduler sends, on which event, to where (`nightshift notify`).
    static func notificationsBody(_ records: [NotificationRecord], declared: [DeclaredNotification] = []) -> String {
        var declaredRows = ""
        for item in declared {
            declaredRows += "<tr><td>\(HTML.escape(item.rule.eventNames))</td><td>\(HTML.escape(item.scope))</td><td>\(item.rule.kind)</td>"
                + "<td class=\"mono\">\(HTML.escape(item.rule.destination))</td><td>\(item.rule.format)</td></tr>\n"
        }
        let inCode = declared.isEmpty ? "" : """
            <h2>Declared in the DAGs' code</h2>
            <div class="card"><table><thead><tr><th>On</th><th>For</th><th>Kind</th><th>Target</th><th>Format</th></tr></thead>
            <tbody>
            \(declaredRows)</tbody></table></div>
            """
        var rows = ""
        for record in records {
            rows += "<tr><td class=\"mono\">\(record.id ?? 0)</td><td>\(HTML.escape(record.event.rawValue))</td>"
                + "<td>\(record.dagID.map(HTML.escape) ?? "<span class=\"muted\">every DAG</span>")</td><td>\(record.kind.rawValue)</td>"
                + "<td class=\"mono\">\(HTML.escape(record.target))</td><td>\(record.format.rawValue)</td>"
                + "<td class=\"mono\">\(Format.date(record.createdAt))</td><td class=\"mono\">\(HTML.escape(record.createdBy))</td></tr>\n"
        }
        return """
            <h1>Notifications</h1>
            <p class="sub">What the scheduler sends on a task's failure, retry or success and on a run timeout: managed with \
            <code>nightshift notify add|list|remove|test</code>; deliveries are counted in <code>/metrics</code> \
            (<code>nightshift_notifications_total</code>). <a href="/audit?kind=notify_add&amp;kind=notify_remove">Changes</a></p>
            \(records.isEmpty ? "<p class=\"muted\">None yet: <code>nightshift notify add --on failure --webhook URL</code>.</p>" : """
            <div class="card"><table><thead><tr><th>Id</th><th>On</th><th>DAG</th><th>Kind</th><th>Target</th><th>Format</th><th>Added (UTC)</th>\
            <th>By</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            """)
            \(inCode)
            """
    }

    static func auditBody(_ events: [EventRecord], kinds: [String], dag: String?, limit: Int) -> String {
        var rows = ""
        for event in events {
            let run = event.runID.map { runID in
                event.dagID.map { "<a href=\"\(HTML.path("dags", $0, "runs", runID))\">\(HTML.escape(runID))</a>" } ?? HTML.escape(runID)
            } ?? "-"
            rows += "<tr><td class=\"mono\">\(Format.date(event.at))</td><td>\(HTML.escape(event.kind))</td>"
                + "<td class=\"mono\">\(HTML.escape(event.actor))</td><td>\(event.dagID.map(HTML.escape) ?? "-")</td><td>\(run)</td>"
                + "<td>\(event.taskID.map(HTML.escape) ?? "-")</td><td>\(HTML.escape(event.detail))</td></tr>\n"
        }
        let filter = (kinds.map { "kind \(HTML.escape($0))" } + (dag.map { ["DAG \(HTML.escape($0))"] } ?? [])).joined(separator: ", ")
        return """
            <h1>Audit</h1>
            <p class="sub">Who changed what, from where: the latest \(limit) events\(filter.isEmpty ? "" : " (\(filter))"), newest first. \
            Also <code>nightshift events list</code>. <a href="/notifications">Notifications</a></p>
            \(events.isEmpty ? "<p class=\"muted\">No events match.</p>" : """
            <div class="card"><table><thead><tr><th>At (UTC)</th><th>Kind</th><th>Actor</th><th>DAG</th><th>Run</th><th>Task</th><th>Detail</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            """)
            """
    }
}
