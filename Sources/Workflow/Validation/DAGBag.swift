/// The validated set of DAGs a process knows, plus the named pools their tasks may use.
public struct DAGBag: Sendable {
    /// The DAGs by id.
    public let dags: [String: DAG]
    /// Pool name → slots. The pool `default` always exists.
    public let pools: [String: Int]

    /// Validates every DAG and the registry as a whole.
    /// - Parameters:
    ///   - dags: the DAG definitions.
    ///   - pools: named pools with their slot counts; `default` is added with `defaultPoolSlots` when missing.
    /// - Throws: the first ``WorkflowError`` (duplicate DAG ids included).
    public init(_ dags: [DAG], pools: [String: Int] = [:], defaultPoolSlots: Int = 128) throws(WorkflowError) {
        var pools = pools
        if pools["default"] == nil { pools["default"] = defaultPoolSlots }
        for (name, slots) in pools.sorted(by: { $0.key < $1.key }) where slots < 1 {
            throw WorkflowError(dagID: "*", kind: .invalidSetting(name: "pool '\(name)'", value: "\(slots)", reason: "needs at least 1 slot"))
        }
        var byID: [String: DAG] = [:]
        let poolNames = pools.keys.sorted()
        for dag in dags {
            guard byID[dag.id] == nil else { throw WorkflowError(dagID: dag.id, kind: .duplicateDAG) }
            try dag.validate(pools: poolNames)
            byID[dag.id] = dag
        }
        self.dags = byID
        self.pools = pools
    }

    /// Problems that do not stop the DAGs from loading: a DAG scheduled on an asset no task lists in its outlets (it runs
    /// only on events another Nightshift binary sharing the store records).
    public var warnings: [String] {
        let produced = Set(dags.values.flatMap { $0.tasks.flatMap(\.outlets) })
        return ids.flatMap { id in
            dags[id]!.schedule.assets.filter { !produced.contains($0) }.map { asset in
                "DAG '\(id)' is scheduled on asset '\(asset)', which no task of these DAGs lists in its outlets: it runs only when another binary sharing this store records an event for it"
            }
        }
    }

    /// The tasks, as "DAG.task", that list `asset` in their outlets.
    public func producers(of asset: String) -> [String] {
        ids.flatMap { id in dags[id]!.tasks.filter { $0.outlets.contains(asset) }.map { "\(id).\($0.id)" } }
    }

    /// The DAGs scheduled on `asset`.
    public func consumers(of asset: String) -> [String] { ids.filter { dags[$0]!.schedule.assets.contains(asset) } }

    /// Every asset some task lists in its outlets or some DAG is scheduled on, sorted.
    public var assets: [String] {
        Set(dags.values.flatMap { $0.schedule.assets + $0.tasks.flatMap(\.outlets) }).sorted()
    }

    /// DAG ids, sorted.
    public var ids: [String] { dags.keys.sorted() }

    /// The DAG with `id`.
    public subscript(id: String) -> DAG? { dags[id] }

    /// The pool a task's tries take a slot of.
    public func pool(of task: TaskDefinition) -> String { task.pool ?? "default" }
}
