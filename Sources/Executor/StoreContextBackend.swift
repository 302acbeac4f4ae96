public import Foundation
public import Store
public import Workflow

/// XCom and metrics of a real try go to the store.
struct StoreContextBackend: TaskContextBackend {
    let store: StateStore
    let dagID: String
    let runID: String
    let taskID: String
    let tryNumber: Int
    let home: NightshiftHome

    func pushXCom(key: String, json: String) async throws {
        try await store.pushXCom(dagID: dagID, runID: runID, taskID: taskID, key: key, json: json, now: Date())
    }

    func pullXCom(taskID: String, key: String) async throws -> String? {
        try await store.pullXCom(runID: runID, taskID: taskID, key: key)
    }

    func recordMetric(name: String, step: Int, value: Double) async throws {
        try await store.recordMetric(
            TaskMetricRecord(
                dagID: dagID, runID: runID, taskID: taskID, tryNumber: tryNumber, name: name, step: step, value: value,
                recordedAt: Date().timeIntervalSince1970))
    }

    func attach(name: String, file: URL, mediaType: String) async throws {
        let path = home.relativePath(of: file)
        try await store.addAttachment(
            AttachmentRecord(
                dagID: dagID, runID: runID, taskID: taskID, tryNumber: tryNumber, name: name, path: path, mediaType: mediaType,
                createdAt: Date()))
    }

    func taskState(dagID: String, taskID: String, logicalDate: Date) async throws -> TaskState? {
        try await store.taskState(dagID: dagID, taskID: taskID, logicalDate: logicalDate)
    }

    func triggeringAssetEvents(runID: String) async throws -> [AssetEvent] {
        try await store.assetEvents(causing: runID)
    }

    func pullMappedXCom(taskID: String, key: String) async throws -> [String?] {
        try await store.pullMappedXCom(runID: runID, taskID: taskID, key: key)
    }
}

/// `tasks test` keeps XCom values and metrics in memory and prints metrics to the log; other DAGs' task states come
/// from the home's store when it has one.
public actor MemoryContextBackend: TaskContextBackend {
    private var xcom: [String: String] = [:]
    private let taskID: String
    private let log: TaskLogger
    private let store: StateStore?

    public init(taskID: String, log: TaskLogger, store: StateStore? = nil) {
        self.taskID = taskID
        self.log = log
        self.store = store
    }

    public func taskState(dagID: String, taskID: String, logicalDate: Date) async throws -> TaskState? {
        try await store?.taskState(dagID: dagID, taskID: taskID, logicalDate: logicalDate)
    }

    /// `tasks test` makes no run: no asset event created it.
    public func triggeringAssetEvents(runID: String) -> [AssetEvent] { [] }

    /// `tasks test` runs one instance: the values its own pushes left for `taskID[i]`, in index order.
    public func pullMappedXCom(taskID: String, key: String) -> [String?] {
        let prefix = taskID + "["
        let indexed = xcom.compactMap { entry -> (Int, String)? in
            let parts = entry.key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1] == key, parts[0].hasPrefix(prefix), let index = MappedID.split(parts[0]).index else { return nil }
            return (index, entry.value)
        }
        guard let last = indexed.map(\.0).max() else { return [] }
        var values = [String?](repeating: nil, count: last + 1)
        for (index, value) in indexed { values[index] = value }
        return values
    }

    public func pushXCom(key: String, json: String) {
        xcom["\(taskID)/\(key)"] = json
        log.info("xcom push \(key) = \(json)")
    }

    public func pullXCom(taskID: String, key: String) -> String? { xcom["\(taskID)/\(key)"] }

    public func recordMetric(name: String, step: Int, value: Double) {
        log.info("metric \(name)[\(step)] = \(value)")
    }

    public func attach(name: String, file: URL, mediaType: String) {
        log.info("attachment \(name): \(file.path) (\(mediaType))")
    }
}
