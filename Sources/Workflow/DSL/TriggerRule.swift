/// When a task may run, given the states of its upstream tasks (Airflow's trigger rules).
public enum TriggerRule: String, Sendable, Codable, CaseIterable, Hashable {
    case allSuccess = "all_success"
    case allDone = "all_done"
    case allFailed = "all_failed"
    case oneSuccess = "one_success"
    case oneFailed = "one_failed"
    case noneFailed = "none_failed"
    case noneFailedMinOneSuccess = "none_failed_min_one_success"

    /// What the rule decides for a task whose upstream tasks are in `upstream` states.
    public enum Decision: Sendable, Equatable {
        /// Upstream tasks are still running or waiting.
        case wait
        /// The task may run now.
        case run
        /// The task will not run and counts as skipped.
        case skip
        /// The task will not run because an upstream task failed.
        case upstreamFailed
    }

    /// Decides from the upstream states alone; a task with no upstream always runs.
    public func decide(upstream: [TaskState]) -> Decision {
        if upstream.isEmpty { return .run }
        var success = 0, failed = 0, skipped = 0, done = 0
        for state in upstream {
            switch state {
            case .success: success += 1; done += 1
            case .failed, .upstreamFailed: failed += 1; done += 1
            case .skipped: skipped += 1; done += 1
            case .scheduled, .queued, .running, .upForRetry, .upForReschedule: break
            }
        }
        let allDone = done == upstream.count
        switch self {
        case .allSuccess:
            if failed > 0 { return .upstreamFailed }
            if skipped > 0 { return .skip }
            return allDone ? .run : .wait
        case .allDone:
            return allDone ? .run : .wait
        case .allFailed:
            if success > 0 || skipped > 0 { return .skip }
            return allDone ? .run : .wait
        case .oneSuccess:
            if success > 0 { return .run }
            guard allDone else { return .wait }
            return skipped == upstream.count ? .skip : .upstreamFailed
        case .oneFailed:
            if failed > 0 { return .run }
            return allDone ? .skip : .wait
        case .noneFailed:
            if failed > 0 { return .upstreamFailed }
            return allDone ? .run : .wait
        case .noneFailedMinOneSuccess:
            if failed > 0 { return .upstreamFailed }
            guard allDone else { return .wait }
            return success > 0 ? .run : .skip
        }
    }
}
