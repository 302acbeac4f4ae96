import Foundation
import NightshiftTesting
import Store
import Testing
import Workflow

struct Failure: Error, CustomStringConvertible { var description: String { "asked to fail" } }

/// The test helper users get (`NightshiftTesting.DAGTester`): a real run, inline, on a temporary home.
@Suite("DAGTester")
struct DAGTesterTests {
    static let dag = DAG("tester", params: ["name": "world"]) {
        let greet = TaskDefinition.shell("greet", "echo 'hello {{ params.name }}'")
        let count = TaskDefinition("count") { ctx in
            let words = "hello \(ctx.params["name"]?.stringValue ?? "")".split(separator: " ").count
            ctx.log.info("counted \(words)")
            try await ctx.push(words, key: "words")
            try await ctx.record("words", step: 0, value: Double(words))
        }
        let fail = TaskDefinition("fail", retry: .fixed(retries: 1, delay: .milliseconds(10))) { ctx in
            if ctx.params["fail"]?.stringValue == "yes" { throw Failure() }
        }
        greet >> count
        count >> fail
    }

    @Test func wholeRunWithConfXComMetricsAndLogs() async throws {
        let run = try await DAGTester.run(Self.dag, conf: ["name": "night shift"])
        #expect(run.state == .success)
        #expect(run.states == ["greet": .success, "count": .success, "fail": .success])
        #expect(try await run.xcom(Int.self, task: "count", key: "words") == 3)
        #expect(try await run.metric("words", task: "count") == [0: 3])
        #expect(try run.log(of: "greet").contains("hello night shift"))
        #expect(try run.log(of: "count").contains("counted 3"))
    }

    @Test func failingTaskIsRetriedThenFailsTheRun() async throws {
        let run = try await DAGTester.run(Self.dag, conf: ["fail": "yes"])
        #expect(run.state == .failed)
        #expect(run.states["fail"] == .failed)
        #expect(run.instances.first { $0.taskID == "fail" }?.tryNumber == 2)
        #expect(try run.log(of: "fail", tryNumber: 1).contains("task failed: asked to fail"))
    }

    @Test func oneTaskAlone() async throws {
        let run = try await DAGTester.runTask("count", of: Self.dag)
        #expect(run.states["count"] == .success)
        #expect(run.instances.first { $0.taskID == "greet" }?.tryNumber == 0)  // counted as done, never run
        #expect(try await run.xcom(Int.self, task: "count", key: "words") == 2)
        #expect(throws: DAGTestError.self) { try run.log(of: "greet") }
    }

    @Test func unknownTaskAndInvalidDAGAreErrors() async throws {
        let error = await #expect(throws: DAGTestError.self) { try await DAGTester.runTask("nope", of: Self.dag) }
        #expect(error?.description == "DAG 'tester' has no task 'nope'; tasks: greet, count, fail")
        let cyclic = DAG("cyclic") {
            TaskDefinition("a", after: ["b"]) { _ in }
            TaskDefinition("b", after: ["a"]) { _ in }
        }
        await #expect(throws: WorkflowError.self) { try await DAGTester.run(cyclic) }
    }
}
