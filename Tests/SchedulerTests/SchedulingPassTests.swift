import Foundation
import Testing

import Scheduler
@testable import Store
import Workflow

private func task(
    _ id: String, rule: TriggerRule = .allSuccess, pool: String? = nil, priority: Int = 1, retry: RetryPolicy? = nil
) -> TaskDefinition {
    Fixtures.task(id, rule: rule, pool: pool, priority: priority, retry: retry)
}
/// The instant every pass in this file plans at: ten minutes after the first run's logical date.
private let now = Fixtures.t0.addingTimeInterval(600)
private let hour: TimeInterval = 3600

private func plan(_ builder: SnapshotBuilder, _ bag: DAGBag, parallelism: Int = 32) -> PassPlan {
    SchedulingPass.plan(builder.snapshot, bag: bag, limits: SchedulingLimits(parallelism: parallelism), now: now)
}

private func queued(_ id: Int64) -> PassPlan.InstanceChange { .init(instanceID: id, state: .queued) }
private func upstreamFailed(_ id: Int64, rule: TriggerRule = .allSuccess) -> PassPlan.InstanceChange {
    .init(instanceID: id, state: .upstreamFailed, note: "an upstream task failed (\(rule.rawValue))")
}
private func skipped(_ id: Int64, rule: TriggerRule = .allSuccess) -> PassPlan.InstanceChange {
    .init(instanceID: id, state: .skipped, note: "trigger rule \(rule.rawValue)")
}
private func run(_ seeded: SeededRun, _ state: RunState) -> PassPlan.RunChange { .init(runPK: seeded.pk, state: state) }

@Suite("SchedulingPass: runs")
struct SchedulingPassRunTests {
    @Test(arguments: [(1, 0), (2, 1), (3, 2), (16, 2)])
    func queuedRunsStartOnlyUnderMaxActiveRuns(_ maxActiveRuns: Int, _ started: Int) throws {
        let dag = DAG("etl", maxActiveRuns: maxActiveRuns) { task("extract") }
        var builder = SnapshotBuilder()
        builder.run(of: dag, state: .running, states: ["extract": .running])
        let second = builder.run(of: dag, state: .queued, logicalDate: Fixtures.t0 + hour)
        let third = builder.run(of: dag, state: .queued, logicalDate: Fixtures.t0 + 2 * hour)
        let starting = Array([second, third].prefix(started))

        let result = plan(builder, try DAGBag([dag]))
        // A run started in this pass has its ready roots queued in the same pass.
        #expect(result == PassPlan(runChanges: starting.map { run($0, .running) }, instanceChanges: starting.map { queued($0["extract"]) }))
    }

    @Test
    func pausedDAGGetsNothing() throws {
        let paused = DAG("paused") { task("a") }
        let live = DAG("live") { task("a") }
        var builder = SnapshotBuilder()
        let ready = builder.run(of: paused)
        let waiting = builder.run(of: paused, state: .queued, logicalDate: Fixtures.t0 + hour)
        let finished = builder.run(of: paused, logicalDate: Fixtures.t0 - hour, states: ["a": .success])
        let other = builder.run(of: live)
        builder.paused = ["paused"]
        let bag = try DAGBag([paused, live])

        #expect(plan(builder, bag) == PassPlan(instanceChanges: [queued(other["a"])]))

        builder.paused = []
        let unpaused = plan(builder, bag)
        #expect(unpaused.runChanges == [run(waiting, .running), run(finished, .success)])
        #expect(Set(unpaused.queued) == [ready["a"], waiting["a"], other["a"]])
    }

    @Test
    func runSucceedsWhenEveryInstanceFinished() throws {
        let dag = DAG("x") {
            task("a") >> task("b")
            task("c")
        }
        var builder = SnapshotBuilder()
        let done = builder.run(of: dag, states: ["a": .success, "b": .success, "c": .skipped])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(runChanges: [run(done, .success)]))
    }

    @Test(arguments: [TaskState.failed, .upstreamFailed])
    func runFailsWhenALeafFailed(_ leafState: TaskState) throws {
        let dag = DAG("x") {
            task("a") >> task("leaf")
            task("other")
        }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .success, "leaf": leafState, "other": .success])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(runChanges: [run(seeded, .failed)]))
    }

    @Test
    func failedInnerTaskWithASucceedingAllDoneLeafIsASuccess() throws {
        let dag = DAG("x") { task("a") >> task("cleanup", rule: .allDone) }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .failed, "cleanup": .success])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(runChanges: [run(seeded, .success)]))
    }

    @Test
    func runOfAnUnknownDAGIsLeftAlone() throws {
        let known = DAG("known") { task("a") }
        var builder = SnapshotBuilder()
        builder.run(of: DAG("gone") { task("a") })
        builder.run(of: DAG("gone") { task("b") }, state: .queued)
        #expect(plan(builder, try DAGBag([known])) == PassPlan())
    }

    @Test
    func instanceOfARemovedTaskIsSkipped() throws {
        let dag = DAG("x") { task("a") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .success])
        let orphan = builder.orphan("removed", in: seeded)
        let busyRun = builder.run(of: dag, logicalDate: Fixtures.t0 + hour, states: ["a": .success])
        let busyOrphan = builder.orphan("removed_running", in: busyRun, state: .running)

        let result = plan(builder, try DAGBag([dag]))
        #expect(result.instanceChanges == [.init(instanceID: orphan, state: .skipped, note: "task removed from the DAG")])
        #expect(!result.instanceChanges.contains { $0.instanceID == busyOrphan })
        // The first run is now complete; the second still has a running (orphaned) try.
        #expect(result.runChanges == [run(seeded, .success)])
    }
}

@Suite("SchedulingPass: definitions that change during a run")
struct SchedulingPassRedeployTests {
    @Test
    func taskAddedDuringARunJoinsItWhenItsUpstreamAllows() throws {
        let old = DAG("x") { task("a") }
        let new = DAG("x") { task("a") >> task("publish") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: old, states: ["a": .success])

        let result = plan(builder, try DAGBag([new]))
        #expect(result.instanceInserts == [
            .init(runPK: seeded.pk, dagID: "x", runID: seeded.record.runID, taskID: "publish", maxTries: 1, pool: "default", priorityWeight: 1)
        ])
        // The run waits for the new task instead of ending now.
        #expect(result.runChanges.isEmpty)
    }

    @Test
    func taskAddedBelowAFailedUpstreamStaysOutAndTheRunEnds() throws {
        let old = DAG("x") { task("a") }
        let new = DAG("x") { task("a") >> task("publish") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: old, states: ["a": .failed])

        let result = plan(builder, try DAGBag([new]))
        #expect(result.instanceInserts.isEmpty)
        #expect(result.runChanges == [run(seeded, .failed)])
    }

    @Test
    func taskAddedBelowARunningUpstreamJoinsAndWaits() throws {
        let old = DAG("x") { task("a") }
        let new = DAG("x") {
            let b = task("b")
            task("a") >> b
            b >> task("c")
        }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: old, states: ["a": .running])

        let result = plan(builder, try DAGBag([new]))
        #expect(result.instanceInserts.map(\.taskID) == ["b", "c"])
        #expect(result.instanceChanges.isEmpty)
        #expect(result.runChanges.isEmpty)
        _ = seeded
    }
}

@Suite("SchedulingPass: trigger rules")
struct SchedulingPassTriggerTests {
    @Test
    func readyRootsAreQueued() throws {
        let dag = DAG("x") {
            task("a") >> task("b")
            task("c")
        }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag)
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(instanceChanges: [queued(seeded["a"]), queued(seeded["c"])]))
    }

    @Test
    func downstreamIsQueuedOnceUpstreamSucceeded() throws {
        let dag = DAG("x") { task("a") >> task("b") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .success])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(instanceChanges: [queued(seeded["b"])]))
    }

    @Test(arguments: [TaskState.queued, .running, .upForRetry])
    func taskWaitsForAnUnfinishedUpstream(_ upstreamState: TaskState) throws {
        let dag = DAG("x") { task("a") >> task("b") }
        var builder = SnapshotBuilder()
        builder.run(of: dag, states: ["a": upstreamState], nextTryAt: ["a": now + 60])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan())
    }

    @Test
    func failureCascadesThroughAChainInOnePass() throws {
        let dag = DAG("chain") { ((task("a") >> task("b")) >> task("c")) >> task("d") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .failed])
        #expect(
            plan(builder, try DAGBag([dag]))
                == PassPlan(
                    runChanges: [run(seeded, .failed)],
                    instanceChanges: [upstreamFailed(seeded["b"]), upstreamFailed(seeded["c"]), upstreamFailed(seeded["d"])]))
    }

    @Test
    func allDoneTaskRunsAfterAFailure() throws {
        let a = task("a")
        let dag = DAG("x") {
            a >> task("b")
            a >> task("cleanup", rule: .allDone)
        }
        let bag = try DAGBag([dag])
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .failed])
        #expect(plan(builder, bag) == PassPlan(instanceChanges: [upstreamFailed(seeded["b"]), queued(seeded["cleanup"])]))

        // Once cleanup is done the run ends; the leaf b is upstream_failed, so it fails.
        var later = SnapshotBuilder()
        let finished = later.run(of: dag, states: ["a": .failed, "b": .upstreamFailed, "cleanup": .success])
        #expect(plan(later, bag) == PassPlan(runChanges: [run(finished, .failed)]))
    }

    @Test
    func skipCascadesAndTheRunSucceeds() throws {
        let dag = DAG("x") { (task("a") >> task("b")) >> task("c") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .skipped])
        #expect(
            plan(builder, try DAGBag([dag]))
                == PassPlan(runChanges: [run(seeded, .success)], instanceChanges: [skipped(seeded["b"]), skipped(seeded["c"])]))
    }

    @Test
    func skipCascadeStopsAtNoneFailed() throws {
        let dag = DAG("x") { (task("a") >> task("b")) >> task("publish", rule: .noneFailed) }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .skipped])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(instanceChanges: [skipped(seeded["b"]), queued(seeded["publish"])]))
    }

    @Test
    func oneFailedAlertRunsWhileOtherUpstreamStillRuns() throws {
        let dag = DAG("x") { [task("a"), task("b")] >> task("alert", rule: .oneFailed) }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["a": .failed, "b": .running])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(instanceChanges: [queued(seeded["alert"])]))
    }

    @Test(arguments: [(-1.0, true), (0.0, true), (10.0, false), (nil, true)] as [(Double?, Bool)])
    func upForRetryIsQueuedOnlyOnceItsTimeCame(_ offset: Double?, _ expectQueued: Bool) throws {
        let dag = DAG("x") { task("flaky", retry: .fixed(retries: 2, delay: .seconds(10))) >> task("after") }
        var builder = SnapshotBuilder()
        let seeded = builder.run(of: dag, states: ["flaky": .upForRetry], nextTryAt: offset.map { ["flaky": now + $0] } ?? [:])
        #expect(plan(builder, try DAGBag([dag])) == PassPlan(instanceChanges: expectQueued ? [queued(seeded["flaky"])] : []))
    }
}

@Suite("SchedulingPass: limits and priorities")
struct SchedulingPassLimitTests {
    static let wide = DAG("wide") {
        task("w0")
        task("w1")
        task("w2")
        task("w3")
        task("w4")
    }

    @Test(arguments: [(TaskState.running, 3, 2), (.queued, 3, 2), (.running, 1, 0), (.running, 6, 5), (.success, 3, 3)])
    func globalParallelismCountsQueuedAndRunningEverywhere(_ otherState: TaskState, _ parallelism: Int, _ expected: Int) throws {
        let other = DAG("other") { task("busy") }
        var builder = SnapshotBuilder()
        builder.run(of: other, logicalDate: Fixtures.t0 - hour, states: ["busy": otherState])
        let seeded = builder.run(of: Self.wide)
        let result = plan(builder, try DAGBag([other, Self.wide]), parallelism: parallelism)
        #expect(result.queued == ["w0", "w1", "w2", "w3", "w4"].prefix(expected).map { seeded[$0] })
    }

    @Test
    func maxActiveTasksCountsQueuedAndRunningOverAllRunsOfTheDAG() throws {
        let busy = DAG("busy", maxActiveTasks: 3) {
            task("w0")
            task("w1")
            task("w2")
            task("w3")
        }
        let other = DAG("other") { task("x") }
        var builder = SnapshotBuilder()
        let first = builder.run(of: busy, states: ["w0": .queued, "w1": .running])
        builder.run(of: busy, logicalDate: Fixtures.t0 + hour)
        let unrelated = builder.run(of: other, logicalDate: Fixtures.t0 + 2 * hour)
        let result = plan(builder, try DAGBag([busy, other]))
        #expect(result.queued == [first["w2"], unrelated["x"]])
    }

    /// Which instances a pass queues when the `training` pool has one slot, given run 1's `train` state.
    @Test(arguments: [
        (TaskState.scheduled, ["r1.train", "r1.fetch", "r2.fetch"]),
        (.queued, ["r1.fetch", "r2.fetch"]),
        (.running, ["r1.fetch", "r2.fetch"]),
        (.success, ["r1.fetch", "r2.train", "r2.fetch"]),
    ])
    func poolWithOneSlotRunsOneTrainingTaskAtATimeAcrossRuns(_ firstTrainState: TaskState, _ expected: [String]) throws {
        let dag = DAG("nightly") {
            task("train", pool: "training")
            task("fetch")
        }
        var builder = SnapshotBuilder()
        let r1 = builder.run(of: dag, states: ["train": firstTrainState])
        let r2 = builder.run(of: dag, logicalDate: Fixtures.t0 + hour)
        let ids = ["r1.train": r1["train"], "r1.fetch": r1["fetch"], "r2.train": r2["train"], "r2.fetch": r2["fetch"]]
        let result = plan(builder, try DAGBag([dag], pools: ["training": 1]))
        #expect(result.queued == expected.map { ids[$0] ?? -1 })
    }

    @Test
    func poolIsSharedAcrossDAGs() throws {
        let nightly = DAG("nightly") { task("train_text", pool: "training") }
        let posters = DAG("posters") { task("train_gan", pool: "training", priority: 10) }
        let bag = try DAGBag([nightly, posters], pools: ["training": 1])

        var builder = SnapshotBuilder()
        builder.run(of: nightly, states: ["train_text": .running])
        builder.run(of: posters)
        #expect(plan(builder, bag) == PassPlan())

        var both = SnapshotBuilder()
        both.run(of: nightly)
        let gan = both.run(of: posters, logicalDate: Fixtures.t0 + hour)
        #expect(plan(both, bag).queued == [gan["train_gan"]])  // higher priority wins the single slot

        var roomy = SnapshotBuilder()
        let text = roomy.run(of: nightly)
        let gan2 = roomy.run(of: posters)
        #expect(plan(roomy, try DAGBag([nightly, posters], pools: ["training": 2])).queued == [gan2["train_gan"], text["train_text"]])
    }

    @Test(arguments: [(32, 4), (3, 3), (1, 1)])
    func higherPriorityFirstThenOlderLogicalDate(_ parallelism: Int, _ count: Int) throws {
        let dag = DAG("prio") {
            task("lo", priority: 1)
            task("hi", priority: 5)
        }
        var builder = SnapshotBuilder()
        // The newer run gets the smaller primary key, so only the logical date can order the older run first.
        let newer = builder.run(of: dag, logicalDate: Fixtures.t0 + hour)
        let older = builder.run(of: dag, logicalDate: Fixtures.t0)
        let order = [older["hi"], newer["hi"], older["lo"], newer["lo"]]
        #expect(plan(builder, try DAGBag([dag]), parallelism: parallelism).queued == Array(order.prefix(count)))
    }
}
