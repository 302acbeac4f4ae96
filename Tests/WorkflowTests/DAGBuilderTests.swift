import Foundation
import Testing

@testable import Workflow

/// A Swift task that does nothing.
private func noop(_ id: String, after upstream: [String] = []) -> TaskDefinition {
    TaskDefinition(id, after: upstream) { _ in }
}

/// Each task id with its upstream ids, in definition order: `["a:", "b:a"]`.
private func shape(_ dag: DAG) -> [String] {
    dag.tasks.map { "\($0.id):" + $0.upstream.joined(separator: ",") }
}

/// A component's edges as `up>down`.
private func edges(_ component: some DAGComponent) -> [String] {
    component.content.edges.map { "\($0.upstream)>\($0.downstream)" }
}

@Suite("DAG builder and >> edges")
struct DAGBuilderTests {
    let a = noop("a")
    let b = noop("b")
    let c = noop("c")
    let d = noop("d")

    @Test
    func singleEdge() throws {
        let dag = DAG("x") { a >> b }
        #expect(shape(dag) == ["a:", "b:a"])
        #expect(edges(a >> b) == ["a>b"])
        try dag.validate()
    }

    @Test
    func fanOut() {
        let dag = DAG("x") { a >> [b, c] }
        #expect(shape(dag) == ["a:", "b:a", "c:a"])
        #expect(dag.downstream(of: "a") == ["b", "c"])
    }

    @Test
    func fanIn() {
        let dag = DAG("x") { [b, c] >> d }
        #expect(shape(dag) == ["b:", "c:", "d:b,c"])
    }

    @Test
    func chainContinuesFromTheTail() {
        let dag = DAG("x") { (a >> b) >> c }
        #expect(shape(dag) == ["a:", "b:a", "c:b"])
        #expect(edges((a >> b) >> c) == ["a>b", "b>c"])
        #expect(((a >> b) >> c).tail.map(\.id) == ["c"])
    }

    @Test
    func chainThroughAFan() {
        let diamond = DAG("x") { (a >> [b, c]) >> d }
        #expect(shape(diamond) == ["a:", "b:a", "c:a", "d:b,c"])
        let split = DAG("y") { ((a >> b) >> [c, d]) }
        #expect(shape(split) == ["a:", "b:a", "c:b", "d:b"])
    }

    @Test
    func afterListsMergeWithEdgesWithoutDuplicates() throws {
        let load = noop("load", after: ["a"])
        let dag = DAG("x") {
            a
            c
            load
            a >> load
            c >> load
            c >> load
        }
        #expect(shape(dag) == ["a:", "c:", "load:a,c"])
        try dag.validate()
    }

    @Test
    func tasksAreOrderedByFirstMention() {
        let dag = DAG("x") {
            c
            a >> b
            b >> c
        }
        #expect(dag.tasks.map(\.id) == ["c", "a", "b"])
        #expect(shape(dag) == ["c:b", "a:", "b:a"])
    }

    @Test
    func arrayOfTasksAddsTasksWithoutEdges() {
        let dag = DAG("x") { [a, b, c] }
        #expect(shape(dag) == ["a:", "b:", "c:"])
    }

    @Test
    func forLoopBuildsAFanOfShards() throws {
        let start = noop("start")
        let end = noop("end")
        let dag = DAG("shards") {
            for index in 0..<3 {
                let shard = noop("shard_\(index)")
                start >> shard
                shard >> end
            }
        }
        #expect(shape(dag) == ["start:", "shard_0:start", "end:shard_0,shard_1,shard_2", "shard_1:start", "shard_2:start"])
        #expect(dag.topologicalOrder == ["start", "shard_0", "shard_1", "shard_2", "end"])
        try dag.validate()
    }

    @Test(arguments: [true, false])
    func ifIncludesTasksOnlyWhenTrue(_ withReport: Bool) {
        let train = noop("train")
        let report = noop("report")
        let dag = DAG("x") {
            train
            if withReport {
                train >> report
            }
        }
        #expect(shape(dag) == (withReport ? ["train:", "report:train"] : ["train:"]))
    }

    @Test(arguments: [true, false])
    func ifElseChoosesOneBranch(_ useGPU: Bool) {
        let dag = DAG("x") {
            if useGPU {
                a >> noop("train_gpu")
            } else {
                a >> noop("train_cpu")
            }
        }
        #expect(dag.tasks.map(\.id) == ["a", useGPU ? "train_gpu" : "train_cpu"])
    }

    @Test
    func taskPoliciesSurviveTheBuilder() throws {
        let heavy = TaskDefinition(
            "heavy", triggerRule: .allDone, retry: .fixed(retries: 4, delay: .seconds(9)), timeout: .seconds(60), pool: "training",
            priorityWeight: 7
        ) { _ in }
        let light = noop("light")
        let dag = DAG("x", retry: .fixed(retries: 1, delay: .seconds(2)), executionTimeout: .seconds(30)) { light >> heavy }
        let built = try #require(dag.task("heavy"))
        let plain = try #require(dag.task("light"))
        #expect(built.triggerRule == .allDone)
        #expect(built.pool == "training")
        #expect(built.priorityWeight == 7)
        #expect(built.upstream == ["light"])
        #expect(dag.retryPolicy(for: built) == .fixed(retries: 4, delay: .seconds(9)))
        #expect(dag.retryPolicy(for: plain) == .fixed(retries: 1, delay: .seconds(2)))
        #expect(dag.timeout(for: built) == .seconds(60))
        #expect(dag.timeout(for: plain) == .seconds(30))
        #expect(dag.task("missing") == nil)
    }
}
