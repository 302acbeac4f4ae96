public import Workflow

/// Every DAG this build of Nightshift knows, and the pools their tasks share.
public enum Registry {
    /// The project's DAGs.
    public static let dags: [DAG] = [AnimeScrape.dag, AnimeNightly.dag, ExampleETL.dag, ExampleParams.dag]

    /// Named pools: `training` has one slot so two trainings never share the 2 cores.
    public static let pools: [String: Int] = ["training": 1]

    /// The validated registry, plus the synthetic DAGs named in `environment` (benchmarks and tests).
    /// - Throws: the first ``WorkflowError`` of an invalid definition.
    public static func bag(environment: [String: String]) throws(WorkflowError) -> DAGBag {
        let synthetic = environment[SyntheticDAGs.environmentKey].map(SyntheticDAGs.dags(for:)) ?? []
        return try DAGBag(dags + synthetic, pools: pools)
    }
}
