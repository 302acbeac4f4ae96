public import Foundation

/// One update of an asset: a successful try of a task that lists the asset in its `outlets`.
public struct AssetEvent: Sendable, Equatable, Codable {
    public var id: Int64
    public var asset: String
    /// The run and task whose try made it.
    public var dagID: String
    public var runID: String
    public var taskID: String
    public var tryNumber: Int
    /// What the task attached (``TaskContext/assetEvent(_:extra:)``), or nil.
    public var extra: JSONValue?
    public var at: Date

    public init(id: Int64, asset: String, dagID: String, runID: String, taskID: String, tryNumber: Int, extra: JSONValue?, at: Date) {
        self.id = id
        self.asset = asset
        self.dagID = dagID
        self.runID = runID
        self.taskID = taskID
        self.tryNumber = tryNumber
        self.extra = extra
        self.at = at
    }

    /// The XCom key under which try `tryNumber` says what its success records for `asset` (extra JSON, or no event at
    /// all): per try, so an earlier try's word never speaks for a later one.
    public static func xcomKey(_ asset: String, tryNumber: Int) -> String { "asset_event:\(tryNumber):" + asset }

    /// Asset names: 1–200 characters of letters, digits and `. _ - / :` (e.g. `anime.snapshot`, `s3://bucket/key`).
    public static func isValidName(_ name: String) -> Bool {
        guard (1...200).contains(name.count) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && CharacterSet.alphanumerics.contains(scalar)) || "._-/:".unicodeScalars.contains(scalar)
        }
    }
}

extension TaskContext {
    /// Attaches `extra` (any JSON) to the event this try's success records for `asset` (one of the task's outlets).
    public func assetEvent(_ asset: String, extra: JSONValue) async throws {
        try await backend.pushXCom(key: AssetEvent.xcomKey(asset, tryNumber: tryNumber), json: JSONValue.object(["extra": extra]).jsonText)
    }

    /// This try's success records no event for `asset` (nothing changed): DAGs scheduled on it do not run.
    public func skipAssetEvent(_ asset: String, reason: String) async throws {
        log.info("no asset event for \(asset): \(reason)")
        try await backend.pushXCom(
            key: AssetEvent.xcomKey(asset, tryNumber: tryNumber), json: JSONValue.object(["skip": .string(reason)]).jsonText)
    }

    /// The asset events that created this run (empty unless it is an asset-triggered run), oldest first.
    public func triggeringAssetEvents() async throws -> [AssetEvent] {
        try await backend.triggeringAssetEvents(runID: runID)
    }
}
