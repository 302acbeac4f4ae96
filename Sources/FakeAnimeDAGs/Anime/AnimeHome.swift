import FakeAnime
import Foundation
import Store
import Workflow

/// What the anime tasks share: the home's store, models, snapshots and archive, opened from a task's context.
struct AnimeHome: Sendable {
    /// Store variable naming the latest snapshot (JSON ``LatestSnapshot``).
    static let latestSnapshotKey = "anime.latest_snapshot"
    /// Store variable prefix recording the inputs of the last successful training of a kind (JSON ``TrainingInputs``).
    static let trainedKeyPrefix = "anime.trained."

    let home: NightshiftHome
    let store: StateStore

    var models: ModelRegistry { ModelRegistry(root: home.root.appendingPathComponent("models")) }
    var archive: ArchiveLayout { ArchiveLayout(root: home.root.appendingPathComponent("archive")) }
    var snapshots: URL { home.root.appendingPathComponent("snapshots") }

    /// Opens the home of the try `context` belongs to.
    /// - Throws: `PipelineError.Kind.io` when the try has no home (anime tasks need one).
    init(_ context: TaskContext) throws {
        guard let root = context.homeDirectory else {
            throw PipelineError(.io(path: "(none)", reason: "anime tasks need a Nightshift home; pass --home or set NIGHTSHIFT_HOME"))
        }
        home = NightshiftHome(root)
        store = try home.openStore(singleConnection: true)
    }

    func latestSnapshot() async throws -> LatestSnapshot? {
        guard let json = try await store.variable(Self.latestSnapshotKey) else { return nil }
        return try JSONDecoder().decode(LatestSnapshot.self, from: Data(json.utf8))
    }

    func setLatestSnapshot(_ latest: LatestSnapshot) async throws {
        try await store.setVariable(Self.latestSnapshotKey, try Self.json(latest), now: Date())
    }

    func trainingInputs(_ kind: ModelKind) async throws -> TrainingInputs? {
        guard let json = try await store.variable(Self.trainedKeyPrefix + kind.rawValue) else { return nil }
        return try JSONDecoder().decode(TrainingInputs.self, from: Data(json.utf8))
    }

    func setTrainingInputs(_ inputs: TrainingInputs, for kind: ModelKind) async throws {
        try await store.setVariable(Self.trainedKeyPrefix + kind.rawValue, try Self.json(inputs), now: Date())
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The snapshot the next training reads: set by `anime_scrape`'s `snapshot` task.
struct LatestSnapshot: Codable, Sendable, Equatable {
    var snapshotID: String
    var runID: String
    var entries: Int

    enum CodingKeys: String, CodingKey {
        case entries
        case snapshotID = "snapshot_id", runID = "run_id"
    }
}

/// The inputs of a kind's last successful training: when the snapshot and the accepted version are the same again,
/// training has nothing new to learn from and skips.
struct TrainingInputs: Codable, Sendable, Equatable {
    var snapshotID: String
    /// The accepted version training started from ("" when it started from scratch).
    var acceptedVersion: String
    var runID: String
    /// The candidate it produced.
    var candidate: String

    enum CodingKeys: String, CodingKey {
        case candidate
        case snapshotID = "snapshot_id", acceptedVersion = "accepted_version", runID = "run_id"
    }
}

extension [String: JSONValue] {
    /// An integer param, checked against `range`.
    /// - Throws: `PipelineError.Kind.invalidParameter` naming the param and value.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let value = self[name] else { return fallback }
        guard let number = value.doubleValue, number.rounded() == number, range.contains(Int(number)) else {
            throw PipelineError(.invalidParameter(name: name, value: value.jsonText, expected: "an integer in \(range.lowerBound)…\(range.upperBound)"))
        }
        return Int(number)
    }

    /// A number param, checked against `range`.
    func number(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws -> Double {
        guard let value = self[name] else { return fallback }
        guard let number = value.doubleValue, range.contains(number) else {
            throw PipelineError(.invalidParameter(name: name, value: value.jsonText, expected: "a number in \(range.lowerBound)…\(range.upperBound)"))
        }
        return number
    }

    /// A boolean param (`true`/`false`).
    func flag(_ name: String, default fallback: Bool = false) throws -> Bool {
        guard let value = self[name] else { return fallback }
        guard let flag = value.boolValue else {
            throw PipelineError(.invalidParameter(name: name, value: value.jsonText, expected: "true or false"))
        }
        return flag
    }
}
