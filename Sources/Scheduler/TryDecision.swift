public import Foundation
public import Store
public import Workflow

/// What happens to a task instance after a try. Pure: no I/O, no clock.
public enum TryDecision {
    /// Success marks success; a failure is retried after the policy's backoff while tries are left, else fails.
    /// - Parameters:
    ///   - instance: the instance as stored (its `tryNumber` is the try that ended, `maxTries` its budget).
    ///   - jitterSample: a number in [0, 1) from the scheduler's random source.
    ///   - sensor: the task's sensor, if it is one: a poke that found its condition not met pokes again after `every`,
    ///     until `timeout` has passed since the wait began; a sensor past its timeout is not retried.
    public static func decide(
        _ outcome: TryOutcome, instance: TaskInstanceRecord, policy: RetryPolicy, sensor: Sensor? = nil, now: Date, jitterSample: Double
    ) -> TryAction {
        if outcome == .success { return .markSuccess }
        if case .skipped = outcome { return .markSkipped }
        if let sensor {
            switch outcome {
            case .notReady(let firstPoke, let waiting):
                let since = firstPoke ?? instance.startDate ?? now
                if now.timeIntervalSince(since) >= sensor.timeout.seconds {
                    return .sensorTimedOut(skip: sensor.softFail, note: sensor.timeoutSentence(waiting))
                }
                return .reschedule(at: now.addingTimeInterval(sensor.every.seconds))
            case .failed(Sensor.timeoutExitStatus?, let error):
                return .sensorTimedOut(skip: sensor.softFail, note: error)
            default:
                break
            }
        }
        guard instance.tryNumber < instance.maxTries else { return .markFailed }
        let retry = instance.tryNumber - instance.budgetStart
        let delay = policy.backoff(retry: retry, jitterSample: jitterSample)
        return .scheduleRetry(at: now.addingTimeInterval(delay.seconds))
    }
}
