import Foundation
import Testing

import Scheduler
@testable import Store
import Workflow

/// Retries twice (three tries): 10 s, then 20 s, spread by ±50 %.
private let nightlyPolicy = RetryPolicy.exponential(retries: 2, base: .seconds(10), cap: .seconds(3600), jitter: 0.5)
private let now = Fixtures.t0
private let failure = TryOutcome.failed(exitStatus: 1, error: "boom")

/// The stored instance after try `tryNumber` of a budget of `maxTries`.
private func instance(tryNumber: Int, maxTries: Int, budgetStart: Int = 0) -> TaskInstanceRecord {
    TaskInstanceRecord(
        id: 1, runPK: 1, dagID: "x", runID: "scheduled__2026-05-14T12:00:00+00:00", taskID: "train", state: .running, tryNumber: tryNumber,
        maxTries: maxTries, budgetStart: budgetStart, pool: "default", priorityWeight: 1)
}

private func decide(
    _ outcome: TryOutcome = failure, tryNumber: Int, maxTries: Int, budgetStart: Int = 0, policy: RetryPolicy = nightlyPolicy,
    sample: Double = 0.5
) -> TryAction {
    TryDecision.decide(
        outcome, instance: instance(tryNumber: tryNumber, maxTries: maxTries, budgetStart: budgetStart), policy: policy, now: now,
        jitterSample: sample)
}

@Suite("TryDecision")
struct TryDecisionTests {
    @Test(arguments: [(1, 3), (3, 3), (1, 1)])
    func successMarksSuccess(_ tryNumber: Int, _ maxTries: Int) {
        #expect(decide(.success, tryNumber: tryNumber, maxTries: maxTries) == .markSuccess)
    }

    /// Try `tryNumber` of 3 failed: the retry waits the policy's backoff for that retry, spread by the sample.
    @Test(arguments: [
        (1, 0.0, 5.0),
        (1, 0.25, 7.5),
        (1, 0.5, 10.0),
        (1, 0.75, 12.5),
        (2, 0.0, 10.0),
        (2, 0.5, 20.0),
        (2, 0.75, 25.0),
    ])
    func failureWithTriesLeftIsRetriedAfterBackoff(_ tryNumber: Int, _ sample: Double, _ seconds: Double) {
        #expect(decide(tryNumber: tryNumber, maxTries: 3, sample: sample) == .scheduleRetry(at: now.addingTimeInterval(seconds)))
    }

    @Test(arguments: [
        TryOutcome.failed(exitStatus: 2, error: "exit 2"),
        .failed(exitStatus: nil, error: "thrown"),
        .timedOut(after: 30),
        .processLost("process 123 is gone"),
    ])
    func everyNonSuccessOutcomeIsAFailure(_ outcome: TryOutcome) {
        #expect(decide(outcome, tryNumber: 1, maxTries: 3) == .scheduleRetry(at: now.addingTimeInterval(10)))
        #expect(decide(outcome, tryNumber: 3, maxTries: 3) == .markFailed)
    }

    @Test(arguments: [(3, 3), (4, 3), (1, 1)])
    func noTriesLeftMarksFailed(_ tryNumber: Int, _ maxTries: Int) {
        #expect(decide(tryNumber: tryNumber, maxTries: maxTries) == .markFailed)
    }

    @Test
    func noRetryPolicyFailsOnTheFirstFailure() {
        #expect(decide(tryNumber: 1, maxTries: RetryPolicy.none.maxTries, policy: .none) == .markFailed)
    }

    @Test
    func backoffRestartsAtTheFirstRetryAfterAClear() {
        // Three tries failed; a clear grants a fresh budget on top: maxTries = tries so far + policy.maxTries.
        #expect(decide(tryNumber: 3, maxTries: 3) == .markFailed)
        let cleared = 3 + nightlyPolicy.maxTries
        #expect(decide(tryNumber: 4, maxTries: cleared, budgetStart: 3) == .scheduleRetry(at: now.addingTimeInterval(10)))
        #expect(decide(tryNumber: 5, maxTries: cleared, budgetStart: 3) == .scheduleRetry(at: now.addingTimeInterval(20)))
        #expect(decide(tryNumber: 6, maxTries: cleared, budgetStart: 3) == .markFailed)
    }

    @Test
    func firstRetryUsesTheFirstBackoffAfterThePolicyGrew() {
        // The run was created while the task had 2 retries (maxTries 3); the DAG now defines 4 retries.
        let grown = RetryPolicy.exponential(retries: 4, base: .seconds(10), cap: .seconds(3600), jitter: 0)
        #expect(decide(tryNumber: 1, maxTries: 3, policy: grown) == .scheduleRetry(at: now.addingTimeInterval(10)))
    }
}

/// A sensor that pokes every 30 s for at most 10 min.
private func sensor(softFail: Bool = false) -> Sensor {
    TaskDefinition.sensor("wait", every: .seconds(30), timeout: .minutes(10), softFail: softFail) { _ in false }.sensor!
}

@Suite("TryDecision for sensors")
struct SensorDecisionTests {
    private func decide(_ outcome: TryOutcome, sensor: Sensor, tryNumber: Int = 4, maxTries: Int = 4) -> TryAction {
        TryDecision.decide(
            outcome, instance: instance(tryNumber: tryNumber, maxTries: maxTries), policy: nightlyPolicy, sensor: sensor, now: now,
            jitterSample: 0.5)
    }

    @Test(arguments: [0.0, 60, 599])
    func aPokeBeforeTheTimeoutPokesAgainAfterItsInterval(_ waited: Double) {
        // Even with no tries left: a poke is not a try.
        let outcome = TryOutcome.notReady(firstPoke: now.addingTimeInterval(-waited), waiting: "still waiting for x")
        #expect(decide(outcome, sensor: sensor()) == .reschedule(at: now.addingTimeInterval(30)))
    }

    @Test(arguments: [false, true])
    func aPokeAtOrPastTheTimeoutEndsTheSensor(_ softFail: Bool) {
        let action = decide(
            .notReady(firstPoke: now.addingTimeInterval(-600), waiting: "still waiting for the condition of 'wait'"), sensor: sensor(softFail: softFail))
        #expect(action == .sensorTimedOut(skip: softFail, note: "sensor timed out after 10 min: still waiting for the condition of 'wait'"))
    }

    @Test func aPokeModeTimeoutIsNotRetried() {
        let timedOut = TryOutcome.failed(exitStatus: Sensor.timeoutExitStatus, error: "sensor timed out after 10 min, 21 pokes: …")
        #expect(decide(timedOut, sensor: sensor(), tryNumber: 1, maxTries: 3) == .sensorTimedOut(skip: false, note: "sensor timed out after 10 min, 21 pokes: …"))
    }

    @Test func aPokeThatFailsIsRetriedByThePolicy() {
        #expect(decide(failure, sensor: sensor(), tryNumber: 1, maxTries: 3) == .scheduleRetry(at: now.addingTimeInterval(10)))
        #expect(decide(failure, sensor: sensor(), tryNumber: 3, maxTries: 3) == .markFailed)
    }

    @Test func aSuccessfulPokeSucceeds() {
        #expect(decide(.success, sensor: sensor()) == .markSuccess)
    }
}
