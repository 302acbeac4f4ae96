import Foundation
import Synchronization
import Testing
import Workflow

/// Keeps nothing: the HTTP sensor's poke only logs.
private struct NoBackend: TaskContextBackend {
    func pushXCom(key: String, json: String) async throws {}
    func pullXCom(taskID: String, key: String) async throws -> String? { nil }
    func recordMetric(name: String, step: Int, value: Double) async throws {}
    func attach(name: String, file: URL, mediaType: String) async throws {}
    func taskState(dagID: String, taskID: String, logicalDate: Date) async throws -> TaskState? { nil }
    func triggeringAssetEvents(runID: String) async throws -> [AssetEvent] { [] }
    func pullMappedXCom(taskID: String, key: String) async throws -> [String?] { [] }
}

/// `TaskDefinition.httpSensor` against the loopback fixture server: 2xx is true, anything else (a 404, a 503, no
/// server at all) is "not yet", logged with the reason.
@Suite struct HTTPSensorTests {
    private func poke(_ url: String, params: [String: JSONValue] = [:]) async throws -> (Bool, [String]) {
        let lines = Mutex<[String]>([])
        let context = TaskContext(
            dagID: "d", runID: "r", taskID: "wait", logicalDate: Date(), dataInterval: DateInterval(), tryNumber: 1, params: params,
            log: TaskLogger { line in lines.withLock { $0.append(line) } }, scratchDirectory: URL(fileURLWithPath: NSTemporaryDirectory()),
            backend: NoBackend())
        let sensor = try #require(TaskDefinition.httpSensor("wait", url: url, requestTimeout: .seconds(5)).sensor)
        let answer = try await sensor.poke(context)
        return (answer, lines.withLock { $0 })
    }

    @Test func twoHundredIsReadyAndOtherAnswersAreNotYet() async throws {
        try await withFixtureServer { base, recorder in
            let (ok, _) = try await poke("{{ params.base }}/ok", params: ["base": .string(base)])
            #expect(ok)
            let (missing, missingLog) = try await poke(base + "/missing")
            #expect(!missing)
            #expect(missingLog.contains { $0.contains("/missing") }, "\(missingLog)")
            let (down, _) = try await poke(base + "/unavailable")
            #expect(!down)
            #expect(recorder.hits("/unavailable") == 1, "one request per poke, no retries inside it")
        }
    }

    @Test func noServerIsNotYet() async throws {
        let (answer, log) = try await poke("http://127.0.0.1:9/health")
        #expect(!answer)
        #expect(log.contains { $0.contains("127.0.0.1:9") }, "\(log)")
    }
}
