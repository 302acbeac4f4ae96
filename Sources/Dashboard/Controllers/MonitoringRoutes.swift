import Foundation
import Hummingbird
import Store
import Workflow

extension Dashboard {
    func addMonitoringRoutes(to router: Router<DashboardRequestContext>) {
        router.get("/dags") { _, context in
            HTML.response(self.page(
                title: "DAGs", session: context.session, body: try await self.dagListBody(session: context.session), live: "/api/v1/live/dags",
                active: "dags"))
        }
        router.get("/dags/:dag") { request, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let (limit, offset) = try Self.pagination(request, defaultLimit: 25, maxLimit: 100)
            let body = try await self.dagPageBody(info, limit: limit, offset: offset, session: context.session)
            let live = HTML.path("api", "v1", "live", "dags", info.dag.id) + "?limit=\(limit)&offset=\(offset)"
            return HTML.response(self.page(title: info.dag.id, session: context.session, body: body, live: live, active: "dags"))
        }
        router.get("/dags/:dag/trigger") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            return HTML.response(self.page(
                title: "Trigger \(info.dag.id)", session: context.session,
                body: self.triggerForm(info, values: [:], errors: [:], session: context.session), active: "dags"))
        }
        router.get("/dags/:dag/runs/:run") { request, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            let notice = request.uri.queryParameters.get("done").map { String($0.prefix(200)) }
            let body = try await self.runPageBody(info, run: run, session: context.session, notice: notice)
            let live = HTML.path("api", "v1", "live", "dags", info.dag.id, "runs", run.runID)
            return HTML.response(self.page(title: run.runID, session: context.session, body: body, live: live, active: "dags"))
        }
        router.get("/dags/:dag/runs/:run/tasks/:task/tries/:n") { _, context in
            let (info, run, attempt) = try await self.tryRecord(context)
            let instance = try await self.store.taskInstances(runID: run.runID).first { $0.taskID == attempt.taskID }
            let body = self.tryPageBody(info, run: run, attempt: attempt, instance: instance, session: context.session)
            return HTML.response(self.page(
                title: "\(attempt.taskID) try \(attempt.tryNumber)", session: context.session, body: body, active: "dags"))
        }
        router.get("/dags/:dag/runs/:run/attachments/:id") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            let id = try context.parameters.require("id", as: Int64.self)
            guard let attachment = try await self.store.attachments(runID: run.runID).first(where: { $0.id == id }),
                !attachment.path.hasPrefix("/"), !attachment.path.split(separator: "/").contains(".."),
                let path = SafeFiles.contained(
                    self.configuration.home.root.appendingPathComponent(attachment.path).path, in: self.configuration.home.root.path)
            else { throw HTTPError(.notFound, message: "no such attachment") }
            return try Self.fileResponse(path, cache: "private, max-age=600")
        }
    }

    /// The DAG, run and try a try route names, or a 404.
    func tryRecord(_ context: DashboardRequestContext) async throws -> (DAGInfo, DAGRunRecord, TaskTryRecord) {
        let info = try dagInfo(try context.parameter("dag"))
        let run = try await run(try context.parameter("run"), of: info.dag.id)
        let task = try context.parameter("task")
        guard let number = context.parameters.get("n", as: Int.self),
            let attempt = try await store.tryRecord(runID: run.runID, taskID: task, tryNumber: number)
        else { throw HTTPError(.notFound, message: "run '\(run.runID)' has no try \(context.parameters.get("n") ?? "") of task '\(task)'") }
        return (info, run, attempt)
    }

    /// `limit` and `offset` from the query, bounds-checked: a 400 naming the bad value.
    static func pagination(_ request: Request, defaultLimit: Int, maxLimit: Int) throws -> (limit: Int, offset: Int) {
        let query = request.uri.queryParameters
        var limit = defaultLimit
        var offset = 0
        if let text = query.get("limit") {
            guard let value = Int(text), (1...maxLimit).contains(value) else {
                throw HTTPError(.badRequest, message: "invalid limit '\(text)': use an integer from 1 to \(maxLimit)")
            }
            limit = value
        }
        if let text = query.get("offset") {
            guard let value = Int(text), (0...100_000_000).contains(value) else {
                throw HTTPError(.badRequest, message: "invalid offset '\(text)': use an integer from 0 to 100000000")
            }
            offset = value
        }
        return (limit, offset)
    }

    /// The trigger form: one field per param, pre-filled with its default (or what was sent), with error messages.
    func triggerForm(_ info: DAGInfo, values: [String: String], errors: [String: String], session: Session?) -> String {
        let dag = info.dag
        var html = "<p class=\"small\"><a href=\"\(HTML.path("dags", dag.id))\">← \(HTML.escape(dag.id))</a></p>"
            + "<h1>Trigger \(HTML.escape(dag.id))</h1>"
        html += "<p class=\"sub\">\(HTML.escape(dag.description))</p>"
        if let general = errors[""] { html += "<div class=\"error\">\(HTML.escape(general))</div>" }
        html += "<div class=\"card\"><form method=\"post\" action=\"\(HTML.path("dags", dag.id, "trigger"))\">\(Layout.csrfField(session))"
        if dag.params.isEmpty { html += "<p class=\"muted\">This DAG has no params: the run starts with an empty conf.</p>" }
        for (name, param) in dag.paramSpecs.sorted(by: { $0.key < $1.key }) {
            let declared = param.defaultValue
            let field = "param." + name
            let id = "p-" + HTML.segment(name)
            html += "<label for=\"\(id)\">\(HTML.escape(name)) "
                + "<span class=\"muted\">(\(HTML.escape(param.summary)), default <code>\(HTML.escape(declared.jsonText))</code>)</span>"
                + "</label>"
            if let description = param.description { html += "<div class=\"muted small\">\(HTML.escape(description))</div>" }
            let current = values[field]
            if let choices = param.oneOf {
                let chosen = current ?? Self.formText(declared)
                html += "<select id=\"\(id)\" name=\"\(HTML.escape(field))\">"
                for choice in choices {
                    let text = Self.formText(choice)
                    html += "<option value=\"\(HTML.escape(text))\"\(text == chosen ? " selected" : "")>\(HTML.escape(text))</option>"
                }
                html += "</select>"
            } else {
                switch param.type {
                case .boolean:
                    let checked = current.map { $0 == "true" } ?? (declared == .bool(true))
                    html += "<input type=\"hidden\" name=\"\(HTML.escape(field))\" value=\"false\">"
                        + "<input type=\"checkbox\" id=\"\(id)\" name=\"\(HTML.escape(field))\" value=\"true\"\(checked ? " checked" : "")>"
                case .integer, .number:
                    let bounds = (param.minimum.map { " min=\"\(Self.formText(.number($0)))\"" } ?? "")
                        + (param.maximum.map { " max=\"\(Self.formText(.number($0)))\"" } ?? "")
                    html += "<input type=\"number\" step=\"\(param.type == .integer ? "1" : "any")\"\(bounds) required id=\"\(id)\" "
                        + "name=\"\(HTML.escape(field))\" value=\"\(HTML.escape(current ?? declared.jsonText))\">"
                case .string:
                    html += "<input type=\"text\" id=\"\(id)\" name=\"\(HTML.escape(field))\" value=\"\(HTML.escape(current ?? Self.formText(declared)))\">"
                default:
                    html += "<textarea id=\"\(id)\" name=\"\(HTML.escape(field))\">\(HTML.escape(current ?? declared.jsonText))</textarea>"
                }
            }
            if let error = errors[name] { html += "<div class=\"error small\">\(HTML.escape(error))</div>" }
        }
        html += "<p>"
            + "<button type=\"submit\" class=\"primary\">Trigger run</button> <a class=\"button\" href=\"\(HTML.path("dags", dag.id))\">Cancel</a>"
            + "</p></form></div>"
        return html
    }

    /// A value as a form field shows it: a string without its quotes, anything else as JSON.
    static func formText(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }

    /// The conf a trigger form describes, or the per-field errors.
    func conf(fromForm form: FormData, for dag: DAG) -> (conf: [String: JSONValue], values: [String: String], errors: [String: String]) {
        var conf: [String: JSONValue] = [:]
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        for (name, param) in dag.paramSpecs.sorted(by: { $0.key < $1.key }) {
            let field = "param." + name
            // A checkbox sends the hidden "false" and, when ticked, "true" after it.
            let sent = form.pairs.last { $0.0 == field }?.1
            guard let sent else { continue }
            values[field] = sent
            let value: JSONValue
            switch param.type {
            case .boolean:
                value = .bool(sent == "true")
            case .integer, .number:
                guard let number = Double(sent.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                    errors[name] = "'\(sent)' is not a number"
                    continue
                }
                value = .number(number)
            case .string:
                value = .string(sent)
            default:
                guard let parsed = try? JSONValue.parse(sent) else {
                    errors[name] = "'\(sent)' is not JSON (\(param.type.rawValue) expected)"
                    continue
                }
                value = parsed
            }
            if let problem = param.problem(with: value, name: name) {
                errors[name] = problem
                continue
            }
            if value != param.defaultValue { conf[name] = value }  // the default: keep the conf small
        }
        return (conf, values, errors)
    }
}
