import Foundation
import Store
import Workflow

extension Dashboard {
    /// The DAG list's HTML body: every DAG with its description, tags, schedule in words, next run, the last 20 runs as
    /// squares, the pause toggle and the trigger button. Two store reads in all (the recent runs are one indexed query
    /// per DAG). Public for `nightshift bench dashboard`.
    public func renderDAGList(csrf: String = "") async throws -> String {
        try await dagListBody(session: Session(id: "", csrf: csrf, expires: .distantFuture, user: "bench", role: .admin))
    }

    func dagListBody(session: Session?) async throws -> String {
        let ids = dags.map(\.dag.id)
        async let recordsRead = store.dagRecords()
        async let recentRead = store.recentRuns(dagIDs: ids, perDAG: 20)
        async let lastRead = store.lastScheduledLogicalDates()
        let records = Dictionary(uniqueKeysWithValues: try await recordsRead.map { ($0.dagID, $0) })
        let recent = try await recentRead
        let lastScheduled = try await lastRead
        let now = Date()
        var rows = ""
        for info in dags {
            let dag = info.dag
            let record = records[dag.id]
            let paused = record?.paused ?? false
            var next = "-"
            if let cron = info.cron, !paused,
                let date = RunDates.nextRunDate(
                    of: dag, cron: cron, lastLogicalDate: lastScheduled[dag.id], registeredAt: record?.registeredAt ?? now, now: now)
            {
                next = Format.shortDate(date) + " UTC"
            } else if paused {
                next = "paused"
            }
            let runs = (recent[dag.id] ?? []).reversed()
            var squares = ""
            for run in runs {
                squares += "<a class=\"sq st-\(run.state.rawValue)\" data-key=\"run:\(HTML.escape(run.runID))\" data-state=\"\(run.state.rawValue)\" "
                squares += "href=\"\(HTML.path("dags", dag.id, "runs", run.runID))\" "
                    + "title=\"\(HTML.escape(run.runID)) · \(run.state.rawValue) · \(Format.shortDate(run.logicalDate))\">"
                    + "</a>"
            }
            if runs.isEmpty { squares = "<span class=\"muted small\">no runs yet</span>" }
            let tags = dag.tags.map { "<span class=\"tag\">\(HTML.escape($0))</span>" }.joined()
            rows += """
                <tr><td><a href="\(HTML.path("dags", dag.id))"><b>\(HTML.escape(dag.id))</b></a>\
                <div class="muted small">\(HTML.escape(dag.description))</div></td>
                <td>\(tags)</td>
                <td class="schedule">\(HTML.escape(info.scheduleText))</td>
                <td class="small next">\(HTML.escape(next))</td>
                <td><div class="squares">\(squares)</div></td>
                <td>\(pauseToggle(dag.id, paused: paused, session: session, back: "/dags"))</td>
                <td>\(Layout.mayOperate(session) ? "<a class=\"button small\" href=\"\(HTML.path("dags", dag.id, "trigger"))\">Trigger…</a>" : "")</td></tr>
                """
        }
        return """
            <h1>DAGs</h1><p class="sub">\(dags.count) DAG\(dags.count == 1 ? "" : "s") · times in UTC · squares are the last 20 runs, oldest left</p>
            <div class="card"><table><thead><tr><th>DAG</th><th>Tags</th><th>Schedule</th><th>Next run</th><th>Recent runs</th>\
            <th>Active</th><th></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(legend)</div>
            """
    }

    /// The pause toggle: a form posting the opposite state.
    func pauseToggle(_ dagID: String, paused: Bool, session: Session?, back: String) -> String {
        guard Layout.mayOperate(session) else {  // a viewer sees the state, not a button
            return "<span class=\"toggle \(paused ? "off" : "on") small\">\(paused ? "Paused" : "Active")</span>"
        }
        return """
        <form class="inline" method="post" action="\(HTML.path("dags", dagID, "pause"))">\(Layout.csrfField(session))\
        <input type="hidden" name="paused" value="\(paused ? "false" : "true")"><input type="hidden" name="next" value="\(HTML.escape(back))">\
        <button type="submit" class="toggle \(paused ? "off" : "on") small" \
        title="\(paused ? "Paused: click to resume scheduling" : "Active: click to pause")">\(paused ? "Paused" : "Active")</button></form>
        """
    }

    var legend: String {
        let states = ["success", "failed", "running", "queued", "scheduled", "up_for_retry", "up_for_reschedule", "upstream_failed", "skipped"]
        return "<div class=\"legend\">" + states.map { "<span><span class=\"sq st-\($0)\">"
            + "</span>\($0.replacingOccurrences(of: "_", with: " "))</span>" }.joined() + "</div>"
    }
}
