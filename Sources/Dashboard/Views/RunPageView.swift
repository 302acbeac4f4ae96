import Foundation
import Store
import Workflow

extension Dashboard {
    /// The run page: the run's facts and actions, its task instances (state, tries, times, exit status, per-task
    /// actions), the Gantt chart, XCom values, a line chart per recorded metric and the images its tasks attached.
    func runPageBody(_ info: DAGInfo, run: DAGRunRecord, session: Session?, notice: String?) async throws -> String {
        let dag = info.dag
        async let instancesRead = store.taskInstances(runID: run.runID)
        async let triesRead = store.tries(runID: run.runID)
        async let xcomsRead = store.xcoms(runID: run.runID)
        async let metricsRead = store.metrics(runID: run.runID)
        async let attachmentsRead = store.attachments(runID: run.runID)
        async let changesRead = store.definitionChanges(runID: run.runID)
        let instances = try await instancesRead
        let tries = try await triesRead
        let xcoms = try await xcomsRead
        let metrics = try await metricsRead
        let attachments = try await attachmentsRead
        let changes = try await changesRead
        let now = Date()
        var lastTry: [String: TaskTryRecord] = [:]
        for attempt in tries { lastTry[attempt.taskID] = attempt }
        let runPath = HTML.path("dags", dag.id, "runs", run.runID)

        var html = "<p class=\"small\"><a href=\"\(HTML.path("dags", dag.id))\">← \(HTML.escape(dag.id))</a></p>"
        let state = run.state.rawValue
        html += "<h1>\(HTML.escape(run.runID)) <span class=\"badge st-\(state)\" data-key=\"run:\(HTML.escape(run.runID))\" "
            + "data-state=\"\(state)\" data-reload data-live-text>\(state)</span></h1>"
        if let notice { html += "<div class=\"ok\">\(HTML.escape(notice))</div>" }
        if let note = run.note { html += "<div class=\"error\">This run \(HTML.escape(note)).</div>" }
        html += "<div class=\"card\"><dl class=\"def\">"
        html += "<dt>Type</dt><dd>\(run.runType.rawValue)</dd><dt>Logical date</dt><dd>\(Format.date(run.logicalDate)) UTC</dd>"
        html += "<dt>Data interval</dt><dd>\(Format.date(run.intervalStart)) → \(Format.date(run.intervalEnd))</dd>"
        html += "<dt>Started / ended</dt><dd>\(Format.date(run.startDate)) → \(Format.date(run.endDate))</dd>"
        html += "<dt>Duration</dt><dd>\(HTML.escape(Format.duration(run.duration(now: now))))</dd>"
        html += "<dt>Conf</dt><dd><code>\(HTML.escape(run.conf))</code></dd>"
        if run.runType == .assetTriggered {
            let events = try await store.assetEvents(causing: run.runID).map { event in
                "<a href=\"\(HTML.path("assets", event.asset))\">\(HTML.escape(event.asset))</a> from "
                    + "<a href=\"\(HTML.path("dags", event.dagID, "runs", event.runID))\">\(HTML.escape(event.dagID)): \(HTML.escape(event.runID))</a>"
            }
            html += "<dt>Triggered by</dt><dd>\(events.isEmpty ? "-" : events.joined(separator: "<br>"))</dd>"
        }
        html += "<dt>Definition</dt><dd>"
        if let fingerprint = run.fingerprint {
            let current = info.fingerprint
            html += "<code>\(HTML.escape(fingerprint))</code>"
                + (fingerprint == current ? " (the current one)" : " (the DAG's definition is now <code>\(HTML.escape(current))</code>)")
        } else {
            html += "not recorded (the run predates definition fingerprints)"
        }
        for change in changes {
            html += "<br><span class=\"small\">changed during the run at \(Format.date(change.at)): \(HTML.escape(change.detail))</span>"
        }
        html += "</dd></dl>"
        if Layout.mayOperate(session) {
            html += "<p class=\"actions\">"
                + "<form class=\"inline\" method=\"post\" action=\"\(runPath)/clear\" "
                + "data-confirm=\"Clear every task of this run so it runs again?\">\(Layout.csrfField(session))"
            html += "<button type=\"submit\">Re-run (clear all tasks)</button></form></p>"
        }
        html += "</div>"

        html += "<h2>Task instances</h2><div class=\"card\"><table><thead><tr><th>Task</th><th>State</th><th class=\"num\">Tries</th><th>Start</th>"
            + "<th>End</th><th class=\"num\">Duration</th><th class=\"num\">Exit</th><th>Note</th><th>Actions</th></tr></thead><tbody>"
        // A mapped task's instances (`t[0]`, `t[1]`, …) follow a row for the group with its count per state.
        let rows = info.taskOrder.flatMap { taskID -> [TaskInstanceRecord] in
            let own = instances.filter { MappedID.taskID(of: $0.taskID) == taskID }
            return own.sorted { (MappedID.split($0.taskID).index ?? -1) < (MappedID.split($1.taskID).index ?? -1) }
        }
        var grouped = Set<String>()
        for instance in rows {
            let taskID = instance.taskID
            let base = MappedID.taskID(of: taskID)
            if base != taskID, grouped.insert(base).inserted {
                let group = instances.filter { MappedID.split($0.taskID).index != nil && MappedID.taskID(of: $0.taskID) == base }
                let state = Self.groupState(group.map(\.state)).rawValue
                html += "<tr id=\"task-\(HTML.escape(base))\"><td><b>\(HTML.escape(base))</b></td><td><span class=\"badge st-\(state)\">"
                    + "\(group.count) mapped</span></td><td colspan=\"7\" class=\"small\">\(HTML.escape(Self.stateCounts(group.map(\.state))))</td></tr>"
            }
            let attempt = lastTry[taskID]
            let duration = instance.startDate.map { (instance.endDate ?? now).timeIntervalSince($0) }
            var tryLinks = ""
            if instance.tryNumber > 0 {
                tryLinks = (1...instance.tryNumber).map {
                    "<a href=\"\(runPath)/tasks/\(HTML.segment(taskID))/tries/\($0)\">log \($0)</a>"
                }.joined(separator: " ")
            }
            let busy = instance.state == .running || instance.state == .queued
            html += "<tr><td><b>\(HTML.escape(taskID))</b></td>"
            html += "<td>"
                + "<span class=\"badge st-\(instance.state.rawValue)\" data-key=\"ti:\(HTML.escape(taskID))\" "
                + "data-state=\"\(instance.state.rawValue)\" "
                + "data-reload data-live-text>\(instance.state.rawValue.replacingOccurrences(of: "_", with: " "))</span>"
                + "</td>"
            html += "<td class=\"num\">\(instance.tryNumber) / \(instance.maxTries)</td><td class=\"small\">\(Format.date(instance.startDate))</td>"
                + "<td class=\"small\">\(Format.date(instance.endDate))</td>"
            html += "<td class=\"num\">\(HTML.escape(Format.duration(duration)))</td>"
                + "<td class=\"num\">\(attempt?.exitStatus.map(String.init) ?? "-")</td>"
            html += "<td class=\"small\">\(HTML.escape(instance.note ?? attempt?.error ?? ""))</td><td><div class=\"actions small\">\(tryLinks)"
            if !busy && Layout.mayOperate(session) {
                html += "<form class=\"inline\" method=\"post\" action=\"\(runPath)/clear\">\(Layout.csrfField(session))<input type=\"hidden\" "
                    + "name=\"task\" value=\"\(HTML.escape(taskID))\">"
                    + "<input type=\"hidden\" name=\"downstream\" value=\"true\">"
                    + "<button class=\"small\" type=\"submit\" title=\"Run this task and everything downstream of it again\">"
                    + "Clear ↓</button></form>"
                if instance.state != .success {
                    html += markForm(runPath, taskID, "success", session)
                }
                if instance.state != .failed {
                    html += markForm(runPath, taskID, "failed", session)
                }
            }
            html += "</div></td></tr>"
        }
        html += "</tbody></table></div>"

        // The latest try of a task spans its instance's start and end (what the scheduler saw, process start-up included);
        // earlier tries span their own rows.
        let instanceByTask = Dictionary(uniqueKeysWithValues: instances.map { ($0.taskID, $0) })
        let spans = tries.map { attempt in
            let instance = instanceByTask[attempt.taskID]
            let latest = instance?.tryNumber == attempt.tryNumber
            let start = latest ? instance?.startDate ?? attempt.startDate : attempt.startDate
            let end = (latest ? instance?.endDate : attempt.endDate) ?? attempt.endDate ?? now
            return Charts.Span(
                row: MappedID.taskID(of: attempt.taskID), start: start, end: max(end, start), state: Self.instanceState(of: attempt),
                label: "\(attempt.taskID) try \(attempt.tryNumber): \(attempt.state.rawValue), " + Format.duration(end.timeIntervalSince(start)),
                href: "\(runPath)/tasks/\(HTML.segment(attempt.taskID))/tries/\(attempt.tryNumber)")
        }
        html += "<h2>Gantt</h2><div class=\"card\">\(Charts.gantt(rows: info.taskOrder, spans: spans))</div>"

        html += "<h2>XCom</h2><div class=\"card\">"
        if xcoms.isEmpty {
            html += "<p class=\"muted\">No XCom values.</p>"
        } else {
            html += "<table><thead><tr><th>Task</th><th>Key</th><th>Value</th></tr></thead><tbody>"
            for xcom in xcoms {
                let value = xcom.json.count > 4000 ? String(xcom.json.prefix(4000)) + "… (\(xcom.json.count) characters)" : xcom.json
                html += "<tr><td>\(HTML.escape(xcom.taskID))</td><td><code>\(HTML.escape(xcom.key))</code></td><td>"
                    + "<pre class=\"xcom mono\">\(HTML.escape(value))</pre></td></tr>"
            }
            html += "</tbody></table>"
        }
        html += "</div>"

        if !metrics.isEmpty {
            var series: [String: [(step: Int, value: Double)]] = [:]
            var order: [String] = []
            for point in metrics {
                let key = "\(point.taskID) · \(point.name)"
                if series[key] == nil { order.append(key) }
                series[key, default: []].append((point.step, point.value))
            }
            html += "<h2>Metrics</h2><div class=\"card\">"
                + "<div class=\"charts\">" + order.map { Charts.line(title: $0, points: series[$0]!) }.joined() + "</div></div>"
        }
        if !attachments.isEmpty {
            html += "<h2>Attachments</h2><div class=\"card\">"
            for attachment in attachments {
                let href = "\(runPath)/attachments/\(attachment.id ?? 0)"
                html += "<h3 class=\"small\">\(HTML.escape(attachment.taskID)) · \(HTML.escape(attachment.name))</h3>"
                if attachment.mediaType.hasPrefix("image/") {
                    html += "<a href=\"\(href)\"><img class=\"attachment\" src=\"\(href)\" alt=\"\(HTML.escape(attachment.name))\"></a>"
                } else {
                    html += "<p>"
                        + "<a href=\"\(href)\">\(HTML.escape(attachment.name))</a> <span class=\"muted\">\(HTML.escape(attachment.mediaType))</span>"
                        + "</p>"
                }
            }
            html += "</div>"
        }
        return html
    }

    private func markForm(_ runPath: String, _ taskID: String, _ state: String, _ session: Session?) -> String {
        "<form class=\"inline\" method=\"post\" action=\"\(runPath)/mark\">\(Layout.csrfField(session))"
            + "<input type=\"hidden\" name=\"task\" value=\"\(HTML.escape(taskID))\"><input type=\"hidden\" name=\"state\" value=\"\(state)\">"
            + "<button class=\"small\(state == "failed" ? " danger" : "")\" type=\"submit\">Mark \(state)</button></form>"
    }

    /// The colour class of a try: its own state, with a running try shown as running.
    static func instanceState(of attempt: TaskTryRecord) -> String {
        switch attempt.state {
        case .success: "success"
        case .running: "running"
        case .skipped: "skipped"
        case .upForReschedule: "up_for_reschedule"  // a sensor's poke that found its condition not met
        case .failed: "failed"
        }
    }

    /// The try page: facts about one try and its log, tailed live while it runs.
    func tryPageBody(_ info: DAGInfo, run: DAGRunRecord, attempt: TaskTryRecord, instance: TaskInstanceRecord?, session: Session?) -> String {
        let dag = info.dag
        let runPath = HTML.path("dags", dag.id, "runs", run.runID)
        let base = "\(runPath)/tasks/\(HTML.segment(attempt.taskID))/tries"
        var html = "<p class=\"small\">"
            + "<a href=\"\(HTML.path("dags", dag.id))\">\(HTML.escape(dag.id))</a> / <a href=\"\(runPath)\">\(HTML.escape(run.runID))</a></p>"
        let state = Self.instanceState(of: attempt)
        html += "<h1>\(HTML.escape(attempt.taskID)) · try \(attempt.tryNumber) <span id=\"try-state\" "
            + "class=\"badge st-\(state)\">\(HTML.escape(attempt.state.rawValue))</span>"
            + "</h1>"
        if let instance, instance.tryNumber > 1 {
            html += "<p class=\"actions small\">Tries: " + (1...instance.tryNumber).map { n in
                n == attempt.tryNumber ? "<b>\(n)</b>" : "<a href=\"\(base)/\(n)\">\(n)</a>"
            }.joined(separator: " ") + "</p>"
        }
        let duration = attempt.durationSeconds ?? (attempt.endDate ?? Date()).timeIntervalSince(attempt.startDate)
        html += "<div class=\"card\"><dl class=\"def\"><dt>Started</dt><dd>\(Format.date(attempt.startDate)) UTC</dd><dt>Ended</dt>"
            + "<dd>\(Format.date(attempt.endDate))</dd>"
        html += "<dt>Duration</dt><dd>\(HTML.escape(Format.duration(duration)))</dd><dt>Exit status</dt>"
            + "<dd>\(attempt.exitStatus.map(String.init) ?? "-")</dd>"
        html += "<dt>Host / pid</dt><dd>\(HTML.escape(attempt.host ?? "-")) / \(attempt.pid.map(String.init) ?? "-")</dd>"
        if let error = attempt.error { html += "<dt>Error</dt><dd>\(HTML.escape(error))</dd>" }
        html += "</dl></div>"
        let limit = 512 * 1024
        let logRoot = configuration.home.root.appendingPathComponent("logs").path
        let file = SafeFiles.contained(attempt.logPath, in: logRoot)
        let chunk = file.flatMap { path -> (Data, UInt64)? in
            guard let size = SafeFiles.read(path, offset: 0, limit: 0)?.size else { return nil }
            let start = size > UInt64(limit) ? size - UInt64(limit) : 0
            return SafeFiles.read(path, offset: start, limit: limit).map { ($0.data, $0.size) }
        }
        let running = attempt.state == .running
        html += "<h2>Log</h2>"
        if let (data, size) = chunk {
            if size > UInt64(limit) { html += "<p class=\"notice small\">Showing the last 512 KB of \(size / 1024) KB.</p>" }
            let tail = "/api/v1" + base + "/\(attempt.tryNumber)/log"
            html += "<pre class=\"log\" data-tail=\"\(HTML.escape(tail))\" data-offset=\"\(size)\" "
                + "data-running=\"\(running)\">\(HTML.escape(String(decoding: data, as: UTF8.self)))</pre>"
            if data.isEmpty { html += "<p class=\"muted small\">The log is empty\(running ? " so far" : "").</p>" }
        } else {
            html += "<p class=\"muted\">No log file for this try.</p>"
        }
        return html
    }
}
