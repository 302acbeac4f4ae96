import Foundation
import Store
import Workflow

extension Dashboard {
    /// The DAG page's HTML body: state counts, the grid of a page of runs × tasks, the graph coloured by the latest
    /// run, run durations and the definition. Reads one page of runs and its task instances (server-side pagination),
    /// never the whole history. Public for `nightshift bench dashboard`.
    /// - Throws: a 404 for an unknown DAG.
    public func renderDAGPage(dagID: String, limit: Int = 25, offset: Int = 0, csrf: String = "") async throws -> String {
        try await dagPageBody(try dagInfo(dagID), limit: limit, offset: offset, session: Session(id: "", csrf: csrf, expires: .distantFuture, user: "bench", role: .admin))
    }

    func dagPageBody(_ info: DAGInfo, limit: Int, offset: Int, session: Session?) async throws -> String {
        let dag = info.dag
        async let recordRead = store.dagRecord(dag.id)
        async let pageRead = store.runPage(dagID: dag.id, state: nil, limit: limit, offset: offset)
        async let totalRead = store.runCount(dagID: dag.id, state: nil)
        async let countsRead = store.runCountsByState(dagID: dag.id)
        async let chartRead = store.runPage(dagID: dag.id, state: nil, limit: 60, offset: 0)
        let record = try await recordRead
        let page = try await pageRead
        let total = try await totalRead
        let counts = try await countsRead
        let chartRuns = try await chartRead
        let instances = try await store.taskInstances(runIDs: page.map(\.runID))
        var byRun: [String: [String: TaskInstanceRecord]] = [:]
        var mappedByRun: [String: [String: [TaskInstanceRecord]]] = [:]  // a mapped task's instances t[0], t[1], …
        for instance in instances {
            let (taskID, index) = MappedID.split(instance.taskID)
            if index != nil { mappedByRun[instance.runID, default: [:]][taskID, default: []].append(instance) } else { byRun[instance.runID, default: [:]][instance.taskID] = instance }
        }
        let paused = record?.paused ?? false
        let now = Date()

        var html = "<h1>\(HTML.escape(dag.id))</h1><p class=\"sub\">\(HTML.escape(dag.description))</p>"
        html += "<div class=\"actions\">\(pauseToggle(dag.id, paused: paused, session: session, back: HTML.path("dags", dag.id)))"
        if Layout.mayOperate(session) {
            html += "<a class=\"button primary small\" href=\"\(HTML.path("dags", dag.id, "trigger"))\">Trigger…</a>"
        }
        html += dag.tags.map { "<span class=\"tag\">\(HTML.escape($0))</span>" }.joined()
        html += "<span class=\"muted small\">\(HTML.escape(info.scheduleText)) · \(total) \(total == 1 ? "run" : "runs"): "
        html += RunState.allCases.compactMap { state in counts[state.rawValue].map { "\($0) \(state.rawValue)" } }.joined(separator: ", ")
        html += "</span></div>"

        // The grid: oldest of the page on the left.
        let runs = Array(page.reversed())
        html += "<h2>Grid</h2><div class=\"card\">"
        if runs.isEmpty {
            html += "<p class=\"muted\">No runs yet. Trigger one, or wait for the schedule.</p>"
        } else {
            let longest = runs.compactMap { $0.duration(now: now) }.max() ?? 0
            html += "<table class=\"grid\"><thead><tr><th class=\"task\"></th>"
            for run in runs {
                let seconds = run.duration(now: now)
                let height = longest > 0 ? max(3, Int(60 * (seconds ?? 0) / longest)) : 3
                html += "<th class=\"run\">"
                    + "<a class=\"bar st-\(run.state.rawValue) h\(height)\" data-key=\"run:\(HTML.escape(run.runID))\" "
                    + "data-state=\"\(run.state.rawValue)\" data-reload "
                html += "href=\"\(HTML.path("dags", dag.id, "runs", run.runID))\" "
                    + "title=\"\(HTML.escape(run.runID)) · \(run.state.rawValue) · \(HTML.escape(Format.duration(seconds)))\">"
                html += "<svg width=\"16\" height=\"\(height)\" aria-hidden=\"true\"></svg></a></th>"
            }
            html += "</tr></thead><tbody>"
            for taskID in info.taskOrder {
                html += "<tr><th class=\"task\">\(HTML.escape(taskID))</th>"
                for run in runs {
                    if let group = mappedByRun[run.runID]?[taskID] {
                        // A mapped task: one cell for the group, coloured by its most pressing state, counts in the title;
                        // it opens the run page, which lists every instance.
                        let state = Self.groupState(group.map(\.state)).rawValue
                        let title = "\(taskID) · \(group.count) mapped: " + Self.stateCounts(group.map(\.state))
                        html += "<td><a class=\"cell mapped st-\(state)\" data-state=\"\(state)\" "
                            + "href=\"\(HTML.path("dags", dag.id, "runs", run.runID))#task-\(HTML.escape(taskID))\" title=\"\(HTML.escape(title))\"></a></td>"
                        continue
                    }
                    guard let instance = byRun[run.runID]?[taskID] else {
                        html += "<td><span class=\"cell st-none\" title=\"\(HTML.escape(taskID)): not in this run\"></span></td>"
                        continue
                    }
                    let state = instance.state.rawValue
                    let duration = instance.startDate.map { (instance.endDate ?? now).timeIntervalSince($0) }
                    let tries = "\(instance.tryNumber) \(instance.tryNumber == 1 ? "try" : "tries")"
                    let title = "\(taskID) · \(state) · \(tries) · \(Format.duration(duration))"
                    let href = instance.tryNumber > 0
                        ? HTML.path("dags", dag.id, "runs", run.runID, "tasks", taskID, "tries", String(instance.tryNumber))
                        : HTML.path("dags", dag.id, "runs", run.runID)
                    html += "<td>"
                        + "<a class=\"cell st-\(state)\" data-key=\"ti:\(HTML.escape(run.runID)):\(HTML.escape(taskID))\" data-state=\"\(state)\" "
                        + "href=\"\(href)\" title=\"\(HTML.escape(title))\">"
                        + "</a></td>"
                }
                html += "</tr>"
            }
            html += "</tbody></table>"
        }
        html += pager(base: HTML.path("dags", dag.id), total: total, limit: limit, offset: offset)
        html += legend + "</div>"

        // Graph coloured by the latest run.
        let latest = page.first.flatMap { offset == 0 ? $0 : nil } ?? chartRuns.first
        var latestStates: [String: String] = [:]
        var latestMapped: [String: (count: Int, summary: String)] = [:]
        if let latest {
            var latestInstances = (byRun[latest.runID].map { Array($0.values) } ?? []) + (mappedByRun[latest.runID]?.values.flatMap { $0 } ?? [])
            if byRun[latest.runID] == nil && mappedByRun[latest.runID] == nil {
                latestInstances = try await store.taskInstances(runID: latest.runID)
            }
            var mapped: [String: [TaskState]] = [:]
            for instance in latestInstances {
                let (taskID, index) = MappedID.split(instance.taskID)
                if index != nil { mapped[taskID, default: []].append(instance.state) } else { latestStates[instance.taskID] = instance.state.rawValue }
            }
            for (taskID, states) in mapped {
                latestStates[taskID] = Self.groupState(states).rawValue
                latestMapped[taskID] = (states.count, Self.stateCounts(states))
            }
        }
        html += "<h2>Graph <span class=\"muted small\">\(latest.map { "latest run " + HTML.escape($0.runID) } ?? "no run yet")</span></h2>"
        html += "<div class=\"card\">" + Charts.graph(info.graph, states: latestStates, mapped: latestMapped) { task in
            guard let latest, let tries = latestStates[task].flatMap({ _ in byRun[latest.runID]?[task]?.tryNumber }), tries > 0 else {
                return latest.map { HTML.path("dags", dag.id, "runs", $0.runID) }
            }
            return HTML.path("dags", dag.id, "runs", latest.runID, "tasks", task, "tries", String(tries))
        } + "</div>"
        let chart = chartRuns.reversed().map { run in
            (label: run.runID, seconds: run.state.isFinished ? run.duration(now: now) : nil, state: run.state.rawValue,
             href: HTML.path("dags", dag.id, "runs", run.runID))
        }
        html += "<h2>Run durations <span class=\"muted small\">last \(chart.count) \(chart.count == 1 ? "run" : "runs")</span></h2>"
            + "<div class=\"card\">\(Charts.durations(chart))</div>"
        html += definition(info)
        return html
    }

    /// The state a mapped task's group shows: the most pressing of its instances' (running before waiting before failed
    /// before success before skipped).
    static func groupState(_ states: [TaskState]) -> TaskState {
        let order: [TaskState] = [.running, .queued, .upForRetry, .upForReschedule, .scheduled, .failed, .upstreamFailed, .success, .skipped]
        return order.first(where: states.contains) ?? .skipped
    }

    /// "3 success, 1 failed".
    static func stateCounts(_ states: [TaskState]) -> String {
        var counts: [TaskState: Int] = [:]
        for state in states { counts[state, default: 0] += 1 }
        return TaskState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: ", ")
    }

    /// Newer/older links for a page of runs.
    func pager(base: String, total: Int, limit: Int, offset: Int) -> String {
        guard total > limit || offset > 0 else { return "" }
        var html = "<div class=\"pager\">"
        if offset > 0 { html += "<a href=\"\(base)?offset=\(max(0, offset - limit))&amp;limit=\(limit)\">← newer</a>" }
        html += "<span>runs \(min(total, offset + 1))–\(min(total, offset + limit)) of \(total), newest first</span>"
        if offset + limit < total { html += "<a href=\"\(base)?offset=\(offset + limit)&amp;limit=\(limit)\">older →</a>" }
        return html + "</div>"
    }

    /// The definition: schedule, limits, params and every task's retries, timeout and pool.
    func definition(_ info: DAGInfo) -> String {
        let dag = info.dag
        let s = info.structure
        var html = "<h2>Definition</h2><div class=\"card\"><dl class=\"def\">"
        html += "<dt>Schedule</dt>"
            + "<dd>\(HTML.escape(info.scheduleText))\(dag.schedule.expression.map { " <code>\(HTML.escape($0))</code>" } ?? "") "
            + "(\(HTML.escape(dag.schedule.timeZone)))</dd>"
        if !dag.schedule.assets.isEmpty {
            html += "<dt>Runs on assets</dt><dd>" + dag.schedule.assets.map { "<a href=\"\(HTML.path("assets", $0))\">\(HTML.escape($0))</a>" }
                .joined(separator: ", ") + "</dd>"
        }
        html += "<dt>Catchup</dt><dd>\(dag.catchup ? "on" : "off")</dd>"
        html += "<dt>Max active runs / tasks</dt><dd>\(dag.maxActiveRuns) / \(dag.maxActiveTasks)</dd>"
        html += "<dt>Retries</dt><dd>\(dag.retry.retries), first delay \(HTML.escape(Format.duration(dag.retry.delay.seconds)))</dd>"
        html += "<dt>Execution timeout</dt><dd>\(HTML.escape(Format.duration(dag.executionTimeout?.seconds)))</dd>"
        if !s.params.isEmpty {
            html += "<dt>Params</dt>"
                + "<dd>" + s.params.keys.sorted().map { "<code>\(HTML.escape($0)) = \(HTML.escape(s.params[$0]!.jsonText))</code>" }
                .joined(separator: "<br>") + "</dd>"
        }
        html += "</dl></div><div class=\"card\"><table><thead><tr><th>Task</th><th>After</th><th>Trigger rule</th><th class=\"num\">Retries</th>"
            + "<th>Retry delay</th><th>Timeout</th><th>Pool</th><th class=\"num\">Priority</th><th>Runs</th></tr></thead><tbody>"
        for task in s.tasks {
            var runs = task.command.map { "<code>" + HTML.escape(String($0.joined(separator: " ").prefix(120))) + "</code>" }
                ?? task.sensor.map { "Sensor: " + HTML.escape($0) } ?? "Swift closure"
            if let mapped = task.mapped { runs += "<br><span class=\"small\">mapped over \(HTML.escape(mapped))</span>" }
            if let outlets = task.outlets {
                runs += "<br><span class=\"small\">updates " + outlets.map { "<a href=\"\(HTML.path("assets", $0))\">\(HTML.escape($0))</a>" }
                    .joined(separator: ", ") + "</span>"
            }
            html += "<tr><td><b>\(HTML.escape(task.id))</b></td>"
                + "<td>\(task.upstream.isEmpty ? "-" : HTML.escape(task.upstream.joined(separator: ", ")))</td>"
            html += "<td>\(HTML.escape(task.triggerRule))</td><td class=\"num\">\(task.retries)</td>"
                + "<td>\(task.retries == 0 ? "-" : HTML.escape(Format.duration(task.retryDelaySeconds)))</td>"
            html += "<td>\(HTML.escape(Format.duration(task.timeoutSeconds)))</td><td>\(HTML.escape(task.pool))</td>"
                + "<td class=\"num\">\(task.priorityWeight)</td><td class=\"small\">\(runs)</td></tr>"
        }
        return html + "</tbody></table></div>"
    }
}
