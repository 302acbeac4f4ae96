public import Foundation
public import Store
public import Workflow

/// What happens to a task instance after a try. Pure: no I/O, no clock.
public enum TryDecision {
    /// Success marks success; a failure is retried after the policy's backoff while tries are left, else fails.
    /// - Parameters:
    ///   - instance: the instance as stored (its `tryNumber` is the try that ended, `maxTries` its budget).
    ///   - jitterSample: a number in [0, 1) from the scheduler's random source.
    public static func decide(_ outcome: TryOutcome, instance: TaskInstanceRecord, policy: RetryPolicy, now: Date, jitterSample: Double)
        -> TryAction
    {
        if outcome == .success { return .markSuccess }
        if case .skipped = outcome { return .markSkipped }
        guard instance.tryNumber < instance.maxTries else { return .markFailed }
        let retry = instance.tryNumber - instance.budgetStart
        let delay = policy.backoff(retry: retry, jitterSample: jitterSample)
        return .scheduleRetry(at: now.addingTimeInterval(delay.seconds))
    }
}
