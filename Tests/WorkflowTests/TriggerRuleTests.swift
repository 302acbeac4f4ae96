import Testing

@testable import Workflow

@Suite("Trigger rules")
struct TriggerRuleTests {
    /// A mix of upstream states and what every rule decides for it.
    struct Mix: Sendable, CustomTestStringConvertible {
        let name: String
        let upstream: [TaskState]
        let expected: [TriggerRule: TriggerRule.Decision]
        var testDescription: String { name }
    }

    // Columns: all_success, all_done, all_failed, one_success, one_failed, none_failed, none_failed_min_one_success.
    static func mix(
        _ name: String, _ upstream: [TaskState],
        _ allSuccess: TriggerRule.Decision, _ allDone: TriggerRule.Decision, _ allFailed: TriggerRule.Decision,
        _ oneSuccess: TriggerRule.Decision, _ oneFailed: TriggerRule.Decision, _ noneFailed: TriggerRule.Decision,
        _ noneFailedMinOneSuccess: TriggerRule.Decision
    ) -> Mix {
        Mix(
            name: name, upstream: upstream,
            expected: [
                .allSuccess: allSuccess, .allDone: allDone, .allFailed: allFailed, .oneSuccess: oneSuccess, .oneFailed: oneFailed,
                .noneFailed: noneFailed, .noneFailedMinOneSuccess: noneFailedMinOneSuccess,
            ])
    }

    static let mixes: [Mix] = [
        //                                                                all_success  all_done  all_failed  one_success  one_failed  none_failed  none_failed_min_one_success
        mix("all success", [.success, .success, .success], .run, .run, .skip, .run, .skip, .run, .run),
        mix("one failed", [.success, .failed, .success], .upstreamFailed, .run, .skip, .run, .run, .upstreamFailed, .upstreamFailed),
        mix("one skipped", [.success, .skipped], .skip, .run, .skip, .run, .skip, .run, .run),
        mix("one running", [.success, .running], .wait, .wait, .skip, .run, .wait, .wait, .wait),
        mix("all failed", [.failed, .failed], .upstreamFailed, .run, .run, .upstreamFailed, .run, .upstreamFailed, .upstreamFailed),
        mix("all skipped", [.skipped, .skipped], .skip, .run, .skip, .skip, .skip, .run, .skip),
        mix("upstream_failed counts as failed", [.success, .upstreamFailed], .upstreamFailed, .run, .skip, .run, .run, .upstreamFailed, .upstreamFailed),
        mix("failed and upstream_failed", [.failed, .upstreamFailed], .upstreamFailed, .run, .run, .upstreamFailed, .run, .upstreamFailed, .upstreamFailed),
        mix("empty upstream", [], .run, .run, .run, .run, .run, .run, .run),
        mix("failed while another runs", [.failed, .running], .upstreamFailed, .wait, .wait, .wait, .run, .upstreamFailed, .upstreamFailed),
        mix("skipped while another runs", [.skipped, .running], .skip, .wait, .skip, .wait, .wait, .wait, .wait),
        mix("skipped and failed", [.skipped, .failed], .upstreamFailed, .run, .skip, .upstreamFailed, .run, .upstreamFailed, .upstreamFailed),
        mix("one up for retry", [.success, .upForRetry], .wait, .wait, .skip, .run, .wait, .wait, .wait),
        mix("nothing started", [.scheduled, .queued], .wait, .wait, .wait, .wait, .wait, .wait, .wait),
        mix("skipped and success, none failed", [.skipped, .success, .skipped], .skip, .run, .skip, .run, .skip, .run, .run),
    ]

    @Test(arguments: TriggerRule.allCases, mixes)
    func decision(_ rule: TriggerRule, _ mix: Mix) throws {
        let expected = try #require(mix.expected[rule])
        #expect(rule.decide(upstream: mix.upstream) == expected)
        // The decision depends on the multiset of states, not on the order of the upstream list.
        #expect(rule.decide(upstream: mix.upstream.reversed()) == expected)
    }

    @Test
    func tableCoversEveryRule() {
        for mix in Self.mixes { #expect(Set(mix.expected.keys) == Set(TriggerRule.allCases), "\(mix.name)") }
        #expect(TriggerRule.allCases.count == 7)
    }

    @Test(arguments: [TaskState.scheduled, .queued, .running, .upForRetry])
    func unfinishedStatesAllWait(_ state: TaskState) {
        #expect(TriggerRule.allSuccess.decide(upstream: [state]) == .wait)
        #expect(TriggerRule.allDone.decide(upstream: [.failed, state]) == .wait)
        #expect(TriggerRule.noneFailedMinOneSuccess.decide(upstream: [.success, state]) == .wait)
    }

    @Test(arguments: zip(
        TriggerRule.allCases,
        ["all_success", "all_done", "all_failed", "one_success", "one_failed", "none_failed", "none_failed_min_one_success"]))
    func rawValuesAreAirflowNames(_ rule: TriggerRule, _ name: String) {
        #expect(rule.rawValue == name)
        #expect(TriggerRule(rawValue: name) == rule)
    }
}
