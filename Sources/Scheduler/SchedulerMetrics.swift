import CoreMetrics
public import Store
public import Workflow

/// What the scheduler records through swift-metrics (a no-op until a process bootstraps a backend; `Telemetry`
/// gives these labels their Prometheus names): each pass's duration, each try's wall-clock duration from launch to
/// exit, and the hand-off latency of each first try with upstream tasks.
struct SchedulerMetrics: Sendable {
    static let passLabel = "nightshift.scheduler.pass"
    static let tryDurationLabel = "nightshift.task.try.duration"
    static let handoffLabel = "nightshift.task.handoff"

    /// Each DAG's upstream task ids per task (what a hand-off waits for).
    let upstream: [String: [String: [String]]]
    private let pass = CoreMetrics.Timer(label: passLabel)

    init(bag: DAGBag) {
        upstream = bag.dags.mapValues { dag in Dictionary(uniqueKeysWithValues: dag.tasks.map { ($0.id, $0.upstream) }) }
    }

    func recordPass(_ duration: Duration) { pass.recordNanoseconds(Self.nanoseconds(duration)) }

    func recordTry(dagID: String, _ duration: Duration) {
        CoreMetrics.Timer(label: Self.tryDurationLabel, dimensions: [("dag.id", dagID)]).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Records the hand-off of every ended first try among `ended` that waited for upstream tasks (read from the
    /// store: the start and end times the tries themselves recorded).
    func recordHandoffs(_ ended: [(dagID: String, runID: String, taskID: String)], store: StateStore) async throws {
        for (dagID, seconds) in try await store.handoffLatencies(of: ended, upstream: upstream) {
            CoreMetrics.Timer(label: Self.handoffLabel, dimensions: [("dag.id", dagID)]).recordNanoseconds(Int64((seconds * 1e9).rounded()))
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
