public import Foundation
import Synchronization

/// Where a task's XCom values and metrics go: the store in a real try, memory in `tasks test`.
public protocol TaskContextBackend: Sendable {
    /// Stores `json` under (this try's task, `key`), replacing an earlier value.
    func pushXCom(key: String, json: String) async throws
    /// The JSON stored by `taskID` of the same run under `key`, or nil.
    func pullXCom(taskID: String, key: String) async throws -> String?
    /// Records one point of a metric series (e.g. training loss per epoch).
    func recordMetric(name: String, step: Int, value: Double) async throws
    /// Records that the try attached `file` (a PNG sample sheet, a report) under `name`.
    func attach(name: String, file: URL, mediaType: String) async throws
    /// The state of `taskID` in the newest run of `dagID` at `logicalDate`, or nil when there is no such run or task.
    func taskState(dagID: String, taskID: String, logicalDate: Date) async throws -> TaskState?
    /// The asset events that created run `runID`, oldest first.
    func triggeringAssetEvents(runID: String) async throws -> [AssetEvent]
    /// What each mapped instance of `taskID` in this run stored under `key`, by map index (nil where one stored none).
    func pullMappedXCom(taskID: String, key: String) async throws -> [String?]
}

/// Everything a Swift task's body knows about its try.
public struct TaskContext: Sendable {
    public let dagID: String
    public let runID: String
    public let taskID: String
    /// The run's logical date (its cron tick, or the trigger time).
    public let logicalDate: Date
    /// The data interval: from the previous tick to this one.
    public let dataInterval: DateInterval
    /// The try number, from 1.
    public let tryNumber: Int
    /// The DAG's params merged with the run's conf.
    public let params: [String: JSONValue]
    /// Writes to the try's log.
    public let log: TaskLogger
    /// A directory private to this try, created before the body runs.
    public let scratchDirectory: URL
    /// The Nightshift home the try belongs to (models, archive and snapshots live under it); nil when there is none.
    public let homeDirectory: URL?
    /// A mapped instance's index (nil for an unmapped task).
    public let mapIndex: Int?
    /// A mapped instance's element of the list its task expands over (nil for an unmapped task).
    public let mapItem: JSONValue?
    let backend: any TaskContextBackend

    public init(
        dagID: String, runID: String, taskID: String, logicalDate: Date, dataInterval: DateInterval, tryNumber: Int,
        params: [String: JSONValue], log: TaskLogger, scratchDirectory: URL, homeDirectory: URL? = nil, mapIndex: Int? = nil,
        mapItem: JSONValue? = nil, backend: any TaskContextBackend
    ) {
        self.mapIndex = mapIndex
        self.mapItem = mapItem
        self.dagID = dagID
        self.runID = runID
        self.taskID = taskID
        self.logicalDate = logicalDate
        self.dataInterval = dataInterval
        self.tryNumber = tryNumber
        self.params = params
        self.log = log
        self.scratchDirectory = scratchDirectory
        self.homeDirectory = homeDirectory
        self.backend = backend
    }

    /// Publishes `value` as JSON for downstream tasks of the same run.
    public func push(_ value: some Encodable, key: String = "return_value") async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try await backend.pushXCom(key: key, json: String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// The value `taskID` pushed under `key` in this run, or nil when it pushed none.
    public func pull<T: Decodable>(_ type: T.Type, from taskID: String, key: String = "return_value") async throws -> T? {
        guard let json = try await backend.pullXCom(taskID: taskID, key: key) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// The values every mapped instance of `taskID` pushed under `key` in this run, in map-index order (nil where an
    /// instance pushed none): the results of a mapped task, for the task downstream of it.
    public func pullMapped<T: Decodable>(_ type: T.Type, from taskID: String, key: String = "return_value") async throws -> [T?] {
        try await backend.pullMappedXCom(taskID: taskID, key: key).map { json in
            try json.map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
        }
    }

    /// Records `value` at `step` of the metric `name` (the dashboard plots it). A value that is not finite (NaN, ±∞: a
    /// loss that diverged, a rate over no time) is not a point on a chart: it is logged as a warning and not recorded,
    /// and the task goes on.
    public func record(_ name: String, step: Int, value: Double) async throws {
        guard value.isFinite else {
            log.warning("metric '\(name)' at step \(step) is \(value), not a finite number: not recorded")
            return
        }
        try await backend.recordMetric(name: name, step: step, value: value)
    }

    /// Attaches `file` to this try so the dashboard shows it on the run page (e.g. a GAN's sample sheet). The file
    /// must stay where it is: put it under the home, not in the scratch directory, which is removed after the try.
    public func attach(_ name: String, file: URL, mediaType: String = "image/png") async throws {
        try await backend.attach(name: name, file: file, mediaType: mediaType)
    }

    /// The state of task `taskID` in `dagID`'s newest run at `logicalDate` (another DAG's run for the same date, say),
    /// or nil when no such run or task exists yet.
    public func taskState(dagID: String, taskID: String, logicalDate: Date) async throws -> TaskState? {
        try await backend.taskState(dagID: dagID, taskID: taskID, logicalDate: logicalDate)
    }

    /// True once the try has been asked to stop (timeout, shutdown, clear): a long body should check and return.
    public var isCancelled: Bool { Task.isCancelled }

    /// Throws `CancellationError` once the try has been asked to stop.
    public func checkCancellation() throws { try Task.checkCancellation() }

    /// The values a template in this try renders from.
    public var templateValues: TemplateValues {
        TemplateValues(
            dagID: dagID, runID: runID, taskID: taskID, tryNumber: tryNumber, logicalDate: logicalDate, params: params, mapIndex: mapIndex,
            mapItem: mapItem)
    }
}

/// A logger that writes timestamped lines to a try's log.
public struct TaskLogger: Sendable {
    private let sink: @Sendable (String) -> Void

    /// A logger that hands each finished line to `sink`.
    public init(sink: @escaping @Sendable (String) -> Void) { self.sink = sink }

    /// Writes lines to standard output (a try's stdout is its log file). A line that cannot be written (a full disk)
    /// is dropped, not fatal; ``standardOutputFailure`` keeps the first error.
    public static let standardOutput = TaskLogger { line in
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            let reason = (error as NSError).underlyingPOSIXReason ?? "\(error)"
            failure.withLock { first in if first == nil { first = reason } }
        }
    }

    private static let failure = Mutex<String?>(nil)

    /// Why a line of ``standardOutput`` could not be written (the first time), e.g. "No space left on device".
    public static var standardOutputFailure: String? { failure.withLock { $0 } }

    public func info(_ message: String) { write("INFO", message) }
    public func warning(_ message: String) { write("WARNING", message) }
    public func error(_ message: String) { write("ERROR", message) }

    private func write(_ level: String, _ message: String) {
        sink("[\(Template.timestamp(Date()))] \(level) \(message)")
    }
}

extension NSError {
    /// The `strerror` text of the POSIX error under a Foundation file error, if there is one.
    fileprivate var underlyingPOSIXReason: String? {
        if domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(code))) }
        return (userInfo[NSUnderlyingErrorKey] as? NSError)?.underlyingPOSIXReason
    }
}
