import Foundation
import Hummingbird
import Store
import Workflow

/// The state changes the dashboard offers (shared by the HTML forms and the JSON API), each recorded in the store's
/// audit log with the actor, then a wake-up for a scheduler that may be another process.
extension Dashboard {
    /// The DAG with `id`, or a 404 naming the known ids.
    func dagInfo(_ id: String) throws -> DAGInfo {
        guard let info = dagsByID[id] else {
            throw HTTPError(.notFound, message: "unknown DAG id '\(id)'; known: \(dags.map(\.dag.id).joined(separator: ", "))")
        }
        return info
    }

    /// The run `runID` of `dagID`, or a 404.
    func run(_ runID: String, of dagID: String) async throws -> DAGRunRecord {
        guard let run = try await store.run(runID), run.dagID == dagID else {
            throw HTTPError(.notFound, message: "DAG '\(dagID)' has no run '\(runID)'")
        }
        return run
    }

    /// Checks a run's conf against the DAG's params (``DAG/validate(conf:)``: declared, of the param's type, within
    /// its allowed values and bounds).
    /// - Throws: a 400 naming the param, the value and what was expected.
    func validate(conf: [String: JSONValue], for dag: DAG) throws {
        do {
            try dag.validate(conf: conf)
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    /// Starts a manual run now, as `nightshift dags trigger` does, and wakes the scheduler.
    func trigger(_ dag: DAG, conf: [String: JSONValue], actor: String) async throws -> DAGRunRecord {
        try validate(conf: conf, for: dag)
        let run = try await store.triggerManualRun(of: dag, conf: conf, actor: actor)
        await SchedulerWake.poke(store: store)
        return run
    }

    /// Pauses or unpauses a DAG.
    func setPaused(_ dag: DAGInfo, _ paused: Bool, actor: String) async throws {
        try await store.setPaused(dag.dag.id, paused, structure: dag.structure, actor: actor, now: Date())
        if !paused { await SchedulerWake.poke(store: store) }
    }

    /// Clears task instances of a run (all, or one task with or without its downstream tasks), as `tasks clear` does.
    func clear(_ dag: DAG, runID: String, task: String?, downstream: Bool, actor: String) async throws -> [String] {
        var ids: [String]?
        if let task {
            guard dag.task(task) != nil else { throw HTTPError(.notFound, message: "DAG '\(dag.id)' has no task '\(task)'") }
            ids = downstream ? dag.downstreamClosure(of: [task]) : [task]
        }
        var budgets: [String: Int] = [:]
        for definition in dag.tasks { budgets[definition.id] = dag.retryPolicy(for: definition).maxTries }
        do {
            let cleared = try await store.clear(runID: runID, taskIDs: ids, maxTries: budgets, actor: actor, now: Date())
            await SchedulerWake.poke(store: store)
            return cleared
        } catch let error as StoreError {
            throw HTTPError(Self.status(of: error), message: "\(error)")
        }
    }

    /// Marks one task instance success or failed.
    func mark(_ dag: DAG, runID: String, task: String, state: TaskState, actor: String) async throws {
        guard state == .success || state == .failed else { throw HTTPError(.badRequest, message: "state must be success or failed") }
        guard dag.task(task) != nil else { throw HTTPError(.notFound, message: "DAG '\(dag.id)' has no task '\(task)'") }
        do {
            try await store.mark(runID: runID, taskIDs: [task], state: state, actor: actor, now: Date())
            await SchedulerWake.poke(store: store)
        } catch let error as StoreError {
            throw HTTPError(Self.status(of: error), message: "\(error)")
        }
    }

    static func status(of error: StoreError) -> HTTPResponse.Status {
        switch error.kind {
        case .unknownRun, .unknownTask: .notFound
        case .taskRunning, .duplicateRun: .conflict
        default: .internalServerError
        }
    }

    /// Who did it, for the audit log.
    /// Who made a change, for the audit trail: `dashboard:USER@ADDRESS` for a session, `api@ADDRESS` for the token.
    static func actor(_ context: DashboardRequestContext) -> String {
        context.bearer ? "api@\(context.clientAddress)" : actor(user: context.session?.user ?? "anonymous", context: context)
    }

    /// `dashboard:USER@ADDRESS`: a dashboard user, also before a session exists (logins).
    static func actor(user: String, context: DashboardRequestContext) -> String { "dashboard:\(user)@\(context.clientAddress)" }
}
