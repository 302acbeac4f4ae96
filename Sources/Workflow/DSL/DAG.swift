public import Foundation

/// A workflow: tasks with dependencies, a schedule and the policies its runs follow.
///
/// ```swift
/// static let etl = DAG("example_etl", schedule: .cron("0 3 * * *"), retry: .fixed(retries: 1, delay: .seconds(2))) {
///     let extract = TaskDefinition.shell("extract", "echo extracting {{ ds }}")
///     let load = TaskDefinition("load") { ctx in ctx.log.info("loading") }
///     extract >> load
/// }
/// ```
public struct DAG: Sendable, Identifiable {
    /// The DAG id, unique in the registry (letters, digits, `_`, `-`, `.`).
    public let id: String
    /// One line for people.
    public var description: String
    /// When the scheduler creates runs by itself.
    public var schedule: Schedule
    /// No scheduled run has a logical date before this (nil: from now on).
    public var startDate: Date?
    /// Create a run for every missed tick since the last one (false: only the latest).
    public var catchup: Bool
    /// Runs of this DAG that may be running at once.
    public var maxActiveRuns: Int
    /// Task tries of this DAG that may be running at once, over all its runs.
    public var maxActiveTasks: Int
    /// Retries for tasks that set none.
    public var retry: RetryPolicy
    /// Timeout for one try of tasks that set none (nil: no limit).
    public var executionTimeout: Duration?
    /// How long a run may take from its start: past it the run fails, its running tries' process groups are ended and
    /// its unfinished tasks are skipped (nil: no limit).
    public var runTimeout: Duration?
    /// Labels for filtering.
    public var tags: [String]
    /// Notifications for every task of the DAG and for its runs' timeouts (``NotifyRule``).
    public var notifyRules: [NotifyRule]
    /// The params: defaults, types and rules a run's conf is checked against (see ``Param``).
    public var paramSpecs: [String: Param]
    /// Param defaults; a run's conf overrides them. Setting it declares each param of its default's type.
    public var params: [String: JSONValue] {
        get { paramSpecs.mapValues(\.defaultValue) }
        set { paramSpecs = newValue.mapValues { Param($0) } }
    }
    /// The tasks in definition order, with upstream ids resolved from `>>` edges.
    public let tasks: [TaskDefinition]
    /// Task ids defined twice by different definitions (reported by ``validate()``).
    let duplicateTaskIDs: [String]
    /// Position of each task in ``tasks``: lookups by id are on the scheduler's hot path.
    private let indexByID: [String: Int]
    /// Task ids in an order where every task comes after its upstream tasks (definition order breaks ties; tasks on
    /// a cycle, which ``validate()`` rejects, come last). Computed once: the scheduling pass walks it every time.
    public let topologicalOrder: [String]
    /// Ids of tasks nothing depends on: a run fails when one of them fails.
    public let leafIDs: [String]

    /// Defines a DAG; the body lists tasks and `>>` dependencies.
    public init(
        _ id: String, description: String = "", schedule: Schedule = .manual, startDate: Date? = nil, catchup: Bool = false,
        maxActiveRuns: Int = 16, maxActiveTasks: Int = 16, retry: RetryPolicy = .none, executionTimeout: Duration? = nil,
        runTimeout: Duration? = nil, tags: [String] = [], params: [String: Param] = [:], notify: [NotifyRule] = [],
        @DAGBuilder tasks body: () -> DAGContent
    ) {
        self.id = id
        self.description = description
        self.schedule = schedule
        self.startDate = startDate
        self.catchup = catchup
        self.maxActiveRuns = maxActiveRuns
        self.maxActiveTasks = maxActiveTasks
        self.retry = retry
        self.executionTimeout = executionTimeout
        self.runTimeout = runTimeout
        self.tags = tags
        self.notifyRules = notify
        self.paramSpecs = params
        let content = body()
        var tasks: [TaskDefinition] = []
        var indexByID: [String: Int] = [:]
        var duplicates: [String] = []
        for task in content.tasks {
            if let index = indexByID[task.id] {
                if tasks[index].identity != task.identity, !duplicates.contains(task.id) { duplicates.append(task.id) }
                continue
            }
            indexByID[task.id] = tasks.count
            tasks.append(task)
        }
        for edge in content.edges {
            guard let index = indexByID[edge.downstream], !tasks[index].upstream.contains(edge.upstream) else { continue }
            tasks[index].upstream.append(edge.upstream)
        }
        self.tasks = tasks
        self.duplicateTaskIDs = duplicates
        self.indexByID = indexByID
        self.topologicalOrder = Self.topologicalOrder(of: tasks)
        let upstreamIDs = Set(tasks.flatMap(\.upstream))
        self.leafIDs = tasks.map(\.id).filter { !upstreamIDs.contains($0) }
    }

    /// The task with `id`, if any; a mapped instance's id (`t[3]`) names its task `t`.
    public func task(_ id: String) -> TaskDefinition? {
        if let index = indexByID[id] { return tasks[index] }
        guard id.hasSuffix("]") else { return nil }
        return indexByID[MappedID.taskID(of: id)].map { tasks[$0] }
    }

    /// The ids of tasks that list `id` as upstream.
    public func downstream(of id: String) -> [String] { tasks.filter { $0.upstream.contains(id) }.map(\.id) }

    /// `id` and every task downstream of it, transitively, in definition order.
    public func downstreamClosure(of ids: [String]) -> [String] {
        var included = Set(ids)
        var changed = true
        while changed {
            changed = false
            for task in tasks where !included.contains(task.id) && task.upstream.contains(where: included.contains) {
                included.insert(task.id)
                changed = true
            }
        }
        return tasks.map(\.id).filter(included.contains)
    }

    /// The retry policy a task's tries follow.
    public func retryPolicy(for task: TaskDefinition) -> RetryPolicy { task.retry ?? retry }

    /// The timeout of one try of `task`.
    public func timeout(for task: TaskDefinition) -> Duration? { task.timeout ?? executionTimeout }

    /// The schedule's time zone (validated by ``validate()``; UTC if it cannot be loaded).
    public var timeZone: TimeZone { TimeZone(identifier: schedule.timeZone) ?? TimeZone(identifier: "UTC")! }

    /// The parsed cron expression, or nil for a manual DAG.
    /// - Throws: ``WorkflowError`` when the expression is invalid.
    public func cron() throws(WorkflowError) -> CronExpression? {
        guard let expression = schedule.expression else { return nil }
        do { return try CronExpression(expression) } catch { throw WorkflowError(dagID: id, kind: .invalidCron(error)) }
    }

    /// The schedule in words: "at 03:00 every day (UTC)", "when anime.snapshot is updated", both, or "manual (triggered only)".
    public var scheduleText: String {
        let time = (try? cron())?.map { $0.describe(in: timeZone) }
        let assets = schedule.assets.isEmpty
            ? nil : "when " + schedule.assets.joined(separator: " and ") + (schedule.assets.count == 1 ? " is" : " are") + " updated"
        switch (time, assets) {
        case let (time?, assets?): return "\(time); and \(assets)"
        case let (time?, nil): return time
        case let (nil, assets?): return assets
        case (nil, nil): return "manual (triggered only)"
        }
    }

    /// The params a run sees: the defaults overridden by the run's conf.
    public func mergedParams(conf: [String: JSONValue]) -> [String: JSONValue] {
        params.merging(conf) { _, new in new }
    }
}
