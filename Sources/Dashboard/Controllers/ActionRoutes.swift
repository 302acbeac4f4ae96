import Foundation
import Hummingbird
import Store
import Workflow

/// The state-changing form posts (the CSRF check happened in ``SecurityMiddleware``); each redirects back (POST,
/// redirect, GET) so a reload does not repeat it.
extension Dashboard {
    func addActionRoutes(to router: Router<DashboardRequestContext>) {
        router.post("/dags/:dag/trigger") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let parsed = self.conf(fromForm: context.form, for: info.dag)
            guard parsed.errors.isEmpty else {
                let body = self.triggerForm(info, values: parsed.values, errors: parsed.errors, session: context.session)
                return HTML.response(self.page(title: "Trigger \(info.dag.id)", session: context.session, body: body), status: .badRequest)
            }
            let run: DAGRunRecord
            do {
                run = try await self.trigger(info.dag, conf: parsed.conf, actor: Self.actor(context))
            } catch let error as HTTPError where error.status == .badRequest {
                let body = self.triggerForm(info, values: parsed.values, errors: ["": error.body ?? "invalid conf"], session: context.session)
                return HTML.response(self.page(title: "Trigger \(info.dag.id)", session: context.session, body: body), status: .badRequest)
            }
            return Response.redirect(to: HTML.path("dags", info.dag.id, "runs", run.runID) + "?done=Triggered.")
        }
        router.post("/dags/:dag/pause") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let paused = (context.form["paused"] ?? "true") != "false"
            try await self.setPaused(info, paused, actor: Self.actor(context))
            return Response.redirect(to: Self.localTarget(context.form["next"] ?? HTML.path("dags", info.dag.id)))
        }
        router.post("/dags/:dag/runs/:run/clear") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            let task = context.form["task"].flatMap { $0.isEmpty ? nil : $0 }
            let cleared = try await self.clear(
                info.dag, runID: run.runID, task: task, downstream: context.form["downstream"] == "true", actor: Self.actor(context))
            let message = "Cleared \(cleared.joined(separator: ", "))."
            return Response.redirect(
                to: HTML.path("dags", info.dag.id, "runs", run.runID) + "?done="
                    + (message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        router.post("/dags/:dag/runs/:run/mark") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            guard let task = context.form["task"], let state = context.form["state"].flatMap(TaskState.init(rawValue:)) else {
                throw HTTPError(.badRequest, message: "send task and state (success or failed)")
            }
            try await self.mark(info.dag, runID: run.runID, task: task, state: state, actor: Self.actor(context))
            let message = "Marked \(task) \(state.rawValue)."
            return Response.redirect(
                to: HTML.path("dags", info.dag.id, "runs", run.runID) + "?done="
                    + (message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
    }
}
