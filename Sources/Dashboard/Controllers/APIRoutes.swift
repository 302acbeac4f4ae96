import Foundation
import Hummingbird
import NIOCore
import Store
import Workflow

/// The JSON API under `/api/v1` (session cookie + `X-CSRF-Token` for writes, or `Authorization: Bearer <token>`), and
/// the small live-update endpoints the pages poll.
extension Dashboard {
    func addAPIRoutes(to router: Router<DashboardRequestContext>) {
        let api = router.group("api/v1")
        api.get { _, _ in
            JSON.response(.object([
                "endpoints": .array([
                    "GET /api/v1/dags", "GET /api/v1/dags/{dag}", "POST /api/v1/dags/{dag}/pause", "POST /api/v1/dags/{dag}/unpause",
                    "GET /api/v1/runs?dag_id=&state=&limit=&offset=", "GET /api/v1/dags/{dag}/runs?state=&limit=&offset=",
                    "POST /api/v1/dags/{dag}/runs {\"conf\": {…}}", "GET /api/v1/dags/{dag}/runs/{run}",
                    "GET /api/v1/dags/{dag}/runs/{run}/tasks", "POST /api/v1/dags/{dag}/runs/{run}/clear {\"task\": …, \"downstream\": true}",
                    "GET /api/v1/dags/{dag}/runs/{run}/tasks/{task}/tries/{n}/log?offset=",
                ].map(JSONValue.string)),
            ]))
        }
        api.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        api.get("dags") { _, _ in
            let records = Dictionary(uniqueKeysWithValues: try await self.store.dagRecords().map { ($0.dagID, $0) })
            let last = try await self.store.lastScheduledLogicalDates()
            let items = self.dags.map { self.dagJSON($0, record: records[$0.dag.id], lastScheduled: last[$0.dag.id]) }
            return JSON.response(.object(["dags": .array(items)]))
        }
        api.get("dags/:dag") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let record = try await self.store.dagRecord(info.dag.id)
            let last = try await self.store.lastScheduledLogicalDate(of: info.dag.id)
            var object = self.dagJSON(info, record: record, lastScheduled: last).objectValue ?? [:]
            object["structure"] = (try? JSONValue.parse(info.structure.json)) ?? .null
            return JSON.response(.object(object))
        }
        api.post("dags/:dag/pause") { _, context in try await self.apiPause(context, true) }
        api.post("dags/:dag/unpause") { _, context in try await self.apiPause(context, false) }
        api.get("runs") { request, _ in
            let dagID = request.uri.queryParameters.get("dag_id") ?? request.uri.queryParameters.get("dag")
            if let dagID { _ = try self.dagInfo(dagID) }
            return try await self.runList(request, dagID: dagID)
        }
        api.get("dags/:dag/runs") { request, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            return try await self.runList(request, dagID: info.dag.id)
        }
        api.post("dags/:dag/runs") { request, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let body = try await Self.jsonBody(request)
            var conf: [String: JSONValue] = [:]
            if let value = body["conf"] {
                guard let object = value.objectValue else { throw HTTPError(.badRequest, message: "conf must be a JSON object") }
                conf = object
            }
            let run = try await self.trigger(info.dag, conf: conf, actor: Self.actor(context))
            return JSON.response(self.runJSON(run), status: .created)
        }
        api.get("dags/:dag/runs/:run") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            return JSON.response(self.runJSON(run))
        }
        api.get("dags/:dag/runs/:run/tasks") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            let tries = try await self.store.tries(runID: run.runID)
            let instances = info.dag.inDefinitionOrder(try await self.store.taskInstances(runID: run.runID), id: \.taskID).map { instance in
                JSONValue.object([
                    "task_id": .string(MappedID.taskID(of: instance.taskID)), "map_index": JSON.int(MappedID.split(instance.taskID).index),
                    "state": .string(instance.state.rawValue), "try_number": JSON.int(instance.tryNumber),
                    "max_tries": JSON.int(instance.maxTries), "start_date": JSON.date(instance.startDate), "end_date": JSON.date(instance.endDate),
                    "duration_s": JSON.number(instance.startDate.map { (instance.endDate ?? Date()).timeIntervalSince($0) }),
                    "note": JSON.string(instance.note),
                    "tries": .array(tries.filter { $0.taskID == instance.taskID }.map { attempt in
                        .object([
                            "try_number": JSON.int(attempt.tryNumber), "state": .string(attempt.state.rawValue),
                            "start_date": JSON.date(attempt.startDate), "end_date": JSON.date(attempt.endDate),
                            "duration_s": JSON.number(attempt.durationSeconds), "exit_status": JSON.int(attempt.exitStatus.map(Int.init)),
                            "error": JSON.string(attempt.error),
                        ])
                    }),
                ])
            }
            return JSON.response(.object(["run_id": .string(run.runID), "task_instances": .array(instances)]))
        }
        api.post("dags/:dag/runs/:run/clear") { request, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            let body = try await Self.jsonBody(request)
            let task: String?
            switch body["task"] {
            case nil, .null?: task = nil
            case .string(let id)?: task = id
            case let other?: throw HTTPError(.badRequest, message: "task must be a task id (a string), not \(other)")
            }
            let downstream: Bool
            switch body["downstream"] {
            case nil, .null?: downstream = false
            case .bool(let flag)?: downstream = flag
            case let other?: throw HTTPError(.badRequest, message: "downstream must be true or false, not \(other)")
            }
            let cleared = try await self.clear(info.dag, runID: run.runID, task: task, downstream: downstream, actor: Self.actor(context))
            return JSON.response(.object(["run_id": .string(run.runID), "cleared": .array(cleared.map(JSONValue.string))]))
        }
        api.get("dags/:dag/runs/:run/tasks/:task/tries/:n/log") { request, context in
            let (_, _, attempt) = try await self.tryRecord(context)
            let offsetText = request.uri.queryParameters.get("offset") ?? "0"
            guard let offset = UInt64(offsetText) else {
                throw HTTPError(.badRequest, message: "invalid offset '\(offsetText)': use a byte offset from 0")
            }
            let logRoot = self.configuration.home.root.appendingPathComponent("logs").path
            guard let path = SafeFiles.contained(attempt.logPath, in: logRoot), let chunk = SafeFiles.read(path, offset: offset, limit: 256 * 1024)
            else { throw HTTPError(.notFound, message: "no log file for this try") }
            let next = min(offset, chunk.size) + UInt64(chunk.data.count)
            return JSON.response(.object([
                "text": .string(String(decoding: chunk.data, as: UTF8.self)), "offset": .number(Double(offset)),
                "next_offset": .number(Double(next)), "size": .number(Double(chunk.size)),
                "running": .bool(attempt.state == .running || next < chunk.size), "state": .string(Self.instanceState(of: attempt)),
            ]))
        }
        // Live updates: state per element key, and whether anything is still moving.
        api.get("live/dags") { _, _ in
            let recent = try await self.store.recentRuns(dagIDs: self.dags.map(\.dag.id), perDAG: 20)
            var states: [String: JSONValue] = [:]
            var active = false
            for run in recent.values.joined() {
                states["run:" + run.runID] = .string(run.state.rawValue)
                active = active || !run.state.isFinished
            }
            return JSON.response(.object(["states": .object(states), "active": .bool(active)]))
        }
        api.get("live/dags/:dag") { request, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let (limit, offset) = try Self.pagination(request, defaultLimit: 25, maxLimit: 100)
            let runs = try await self.store.runPage(dagID: info.dag.id, state: nil, limit: limit, offset: offset)
            var states: [String: JSONValue] = [:]
            var active = false
            for run in runs {
                states["run:" + run.runID] = .string(run.state.rawValue)
                active = active || !run.state.isFinished
            }
            for instance in try await self.store.taskInstances(runIDs: runs.map(\.runID)) {
                states["ti:\(instance.runID):\(instance.taskID)"] = .string(instance.state.rawValue)
            }
            if offset == 0, let latest = runs.first {
                for instance in try await self.store.taskInstances(runID: latest.runID) {
                    states["node:" + instance.taskID] = .string(instance.state.rawValue)
                }
            }
            return JSON.response(.object(["states": .object(states), "active": .bool(active)]))
        }
        api.get("live/dags/:dag/runs/:run") { _, context in
            let info = try self.dagInfo(try context.parameter("dag"))
            let run = try await self.run(try context.parameter("run"), of: info.dag.id)
            var states: [String: JSONValue] = ["run:" + run.runID: .string(run.state.rawValue)]
            for instance in try await self.store.taskInstances(runID: run.runID) {
                states["ti:" + instance.taskID] = .string(instance.state.rawValue)
            }
            return JSON.response(.object(["states": .object(states), "active": .bool(!run.state.isFinished)]))
        }
    }

    private func apiPause(_ context: DashboardRequestContext, _ paused: Bool) async throws -> Response {
        let info = try dagInfo(try context.parameter("dag"))
        try await setPaused(info, paused, actor: Self.actor(context))
        return JSON.response(.object(["dag_id": .string(info.dag.id), "paused": .bool(paused)]))
    }

    private func runList(_ request: Request, dagID: String?) async throws -> Response {
        let (limit, offset) = try Self.pagination(request, defaultLimit: 100, maxLimit: 1000)
        var state: RunState?
        if let text = request.uri.queryParameters.get("state") {
            guard let parsed = RunState(rawValue: text) else {
                let known = RunState.allCases.map(\.rawValue).joined(separator: ", ")
                throw HTTPError(.badRequest, message: "invalid state '\(text)': use one of \(known)")
            }
            state = parsed
        }
        let runs = try await store.runPage(dagID: dagID, state: state, limit: limit, offset: offset)
        let total = try await store.runCount(dagID: dagID, state: state)
        return JSON.response(.object([
            "runs": .array(runs.map(runJSON)), "total": JSON.int(total), "limit": JSON.int(limit), "offset": JSON.int(offset),
        ]))
    }

    /// A JSON object body (an empty body is an empty object), or a 400.
    static func jsonBody(_ request: Request) async throws -> [String: JSONValue] {
        var request = request
        let buffer = try await request.collectBodyWithinLimit()
        let text = String(buffer: buffer)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [:] }
        guard let value = try? JSONValue.parse(text) else { throw HTTPError(.badRequest, message: "the body is not valid JSON") }
        guard let object = value.objectValue else { throw HTTPError(.badRequest, message: "the body must be a JSON object") }
        return object
    }

    func runJSON(_ run: DAGRunRecord) -> JSONValue {
        .object([
            "run_id": .string(run.runID), "dag_id": .string(run.dagID), "state": .string(run.state.rawValue),
            "run_type": .string(run.runType.rawValue),
            "logical_date": JSON.date(run.logicalDate), "data_interval_start": JSON.date(run.intervalStart),
            "data_interval_end": JSON.date(run.intervalEnd), "queued_at": JSON.date(run.queuedAt), "start_date": JSON.date(run.startDate),
            "end_date": JSON.date(run.endDate), "duration_s": JSON.number(run.duration(now: Date())), "conf": .object(run.confObject),
            "note": JSON.string(run.note),
        ])
    }

    func dagJSON(_ info: DAGInfo, record: DAGRecord?, lastScheduled: Date?) -> JSONValue {
        let dag = info.dag
        let paused = record?.paused ?? false
        let next = info.cron.flatMap { cron in
            paused
                ? nil
                : RunDates.nextRunDate(
                    of: dag, cron: cron, lastLogicalDate: lastScheduled, registeredAt: record?.registeredAt ?? Date(), now: Date())
        }
        return .object([
            "dag_id": .string(dag.id), "description": .string(dag.description), "schedule": JSON.string(dag.schedule.expression),
            "time_zone": .string(dag.schedule.timeZone), "schedule_text": .string(info.scheduleText), "paused": .bool(paused),
            "tags": .array(dag.tags.map(JSONValue.string)), "params": .object(dag.params), "next_run": JSON.date(next),
            "tasks": .array(dag.tasks.map { .string($0.id) }),
        ])
    }
}
