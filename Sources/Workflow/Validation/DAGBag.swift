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

    /// DAG ids, sorted.
    public var ids: [String] { dags.keys.sorted() }

    /// The DAG with `id`.
    public subscript(id: String) -> DAG? { dags[id] }

    /// The pool a task's tries take a slot of.
    public func pool(of task: TaskDefinition) -> String { task.pool ?? "default" }
}
