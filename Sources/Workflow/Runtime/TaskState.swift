/// The state of one task instance in one run (DESIGN.md: `scheduled → queued → running → success | failed |
/// up_for_retry → (scheduled again) | upstream_failed | skipped`; a sensor in reschedule mode goes `running →
/// up_for_reschedule → (queued again)` between pokes).
public enum TaskState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Waiting for its upstream tasks, or for its retry time.
    case scheduled
    /// Chosen by the scheduler and handed to the executor; not started yet.
    case queued
    /// A try is running.
    case running
    case success
    case failed
    /// A try failed; another try is scheduled after a backoff.
    case upForRetry = "up_for_retry"
    /// A sensor in reschedule mode poked and its condition did not hold: it holds no process and no slot until its next poke.
    case upForReschedule = "up_for_reschedule"
    /// An upstream task failed, so this one will not run.
    case upstreamFailed = "upstream_failed"
    /// Its trigger rule decided it should not run, or it skipped itself.
    case skipped

    /// True for states a task instance never leaves without a clear.
    public var isFinished: Bool {
        switch self {
        case .success, .failed, .upstreamFailed, .skipped: return true
        case .scheduled, .queued, .running, .upForRetry, .upForReschedule: return false
        }
    }
}

/// The state of a DAG run.
public enum RunState: String, Sendable, Codable, CaseIterable, Hashable {
    case queued, running, success, failed

    /// True once the run has finished.
    public var isFinished: Bool { self == .success || self == .failed }
}
