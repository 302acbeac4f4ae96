import Foundation
import GRDB
import Store
import Synchronization
import Testing

@testable import Executor
import Workflow

/// The built-in sensors' pokes against real things: files on disk and another DAG's runs in a store.
@Suite struct SensorPokeTests {
    private static let day = Date(timeIntervalSince1970: 1_796_601_600)  // 2026-12-07T00:00:00Z

    private func context(_ task: String, logicalDate: Date = day, params: [String: JSONValue] = [:], store: StateStore? = nil)
        -> (TaskContext, Lines)
    {
        let lines = Lines()
        let log = TaskLogger { line in lines.append(line) }
        let context = TaskContext(
            dagID: "consumer", runID: "manual__x", taskID: task, logicalDate: logicalDate,
            dataInterval: DateInterval(start: logicalDate, duration: 86_400), tryNumber: 1, params: params, log: log,
            scratchDirectory: URL(fileURLWithPath: NSTemporaryDirectory()),
            backend: MemoryContextBackend(taskID: task, log: log, store: store))
        return (context, lines)
    }

    @Test func aFileSensorPokesTrueOnceItsRenderedPathExists() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("sensor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sensor = try #require(TaskDefinition.fileSensor("wait", path: "{{ params.dir }}/{{ ds }}.csv").sensor)
        let (ctx, lines) = context("wait", params: ["dir": .string(directory.path)])
        #expect(try await sensor.poke(ctx) == false)
        #expect(lines.all.contains { $0.contains("\(directory.path)/2026-12-07.csv does not exist yet") })
        FileManager.default.createFile(atPath: directory.path + "/2026-12-07.csv", contents: Data())
        #expect(try await sensor.poke(ctx) == true)
    }

    @Test func anExternalTaskSensorWaitsForThatTaskToSucceedAtTheSameLogicalDate() async throws {
        let store = try StateStore()
        let producer = DAG("producer") { TaskDefinition.shell("publish", "true") }
        let sensor = try #require(TaskDefinition.externalTaskSensor("wait", dag: "producer", task: "publish").sensor)
        let (ctx, lines) = context("wait", store: store)
        #expect(try await sensor.poke(ctx) == false)  // no run at that date yet
        #expect(lines.all.last?.contains("producer.publish for 2026-12-07T00:00:00+00:00 is not in any run yet") == true)
        try await store.createRun(
            of: producer, runID: "scheduled__day", logicalDate: Self.day, interval: DateInterval(start: Self.day, duration: 86_400),
            type: .scheduled, conf: [:], actor: "test", now: Self.day)
        #expect(try await sensor.poke(ctx) == false)  // scheduled, not succeeded
        #expect(lines.all.last?.contains("is scheduled") == true)
        try await store.writer.write { db in try db.execute(sql: "UPDATE task_instances SET state = 'success'") }
        #expect(try await sensor.poke(ctx) == true)
        // Another logical date's sensor still waits.
        let (otherDay, _) = context("wait", logicalDate: Self.day.addingTimeInterval(86_400), store: store)
        #expect(try await sensor.poke(otherDay) == false)
    }

    @Test func aPokeModeSensorGivesUpAtItsTimeout() async throws {
        let pokes = Mutex(0)
        let sensor = try #require(
            TaskDefinition.sensor("wait", every: .milliseconds(100), timeout: .milliseconds(400), mode: .poke) { _ in
                pokes.withLock { $0 += 1 }
                return false
            }.sensor)
        let (ctx, _) = context("wait")
        let error = await #expect(throws: SensorTimedOut.self) { try await sensor.pokeUntilDone(ctx) }
        // Pokes at 0, 100, 200, 300 ms and at the timeout on a quiet machine; fewer when sleeps overrun on a loaded one.
        let count = pokes.withLock { $0 }
        #expect(count >= 2)
        #expect(error?.sentence == "sensor timed out after 0.4 s, \(count) pokes: still waiting for the condition of 'wait'")
    }
}

/// A try's log lines, kept for the test to read.
final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
