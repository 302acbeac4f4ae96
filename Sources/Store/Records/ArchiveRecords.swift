public import Foundation
public import GRDB

/// One published fake anime: a row of `archive`, with the lineage of what made it.
public struct ArchiveEntryRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "archive"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
    public static let databaseJSONEncoder: @Sendable (String) -> JSONEncoder = { _ in
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    public var id: Int64?
    /// The batch it was published in (a directory under `archive/`).
    public var batch: String
    /// Its position in the batch, from 0.
    public var entry: Int
    public var title: String
    public var synopsis: String
    /// The poster at the model's native size: a path relative to the home (`archive/<batch>/<n>.png`).
    public var poster: String
    /// The upscaled display copy, relative to the home.
    public var posterDisplay: String
    /// The seed that generated the title, synopsis and poster (below 2^53, so JSON readers keep it exact).
    public var seed: Int64
    /// The model versions that made it, by kind (`titles`, `synopses`, `posters`).
    public var modelVersions: [String: String]
    /// The dataset snapshot the models were trained on.
    public var snapshotID: String
    /// The run that generated and published it.
    public var dagID: String
    public var runID: String
    public var createdAt: Date

    public init(
        batch: String, entry: Int, title: String, synopsis: String, poster: String, posterDisplay: String, seed: Int64,
        modelVersions: [String: String], snapshotID: String, dagID: String, runID: String, createdAt: Date
    ) {
        self.batch = batch
        self.entry = entry
        self.title = title
        self.synopsis = synopsis
        self.poster = poster
        self.posterDisplay = posterDisplay
        self.seed = seed
        self.modelVersions = modelVersions
        self.snapshotID = snapshotID
        self.dagID = dagID
        self.runID = runID
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, batch, entry, title, synopsis, poster, seed
        case posterDisplay = "poster_display", modelVersions = "model_versions", snapshotID = "snapshot_id"
        case dagID = "dag_id", runID = "run_id", createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One published batch: a row of `archive_batches`.
public struct ArchiveBatchRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "archive_batches"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
    public static let databaseJSONEncoder: @Sendable (String) -> JSONEncoder = ArchiveEntryRecord.databaseJSONEncoder

    /// The batch id, also its directory name under `archive/`.
    public var batch: String
    public var dagID: String
    public var runID: String
    public var snapshotID: String
    public var modelVersions: [String: String]
    /// How many entries it holds.
    public var entries: Int
    public var createdAt: Date

    public init(
        batch: String, dagID: String, runID: String, snapshotID: String, modelVersions: [String: String], entries: Int,
        createdAt: Date
    ) {
        self.batch = batch
        self.dagID = dagID
        self.runID = runID
        self.snapshotID = snapshotID
        self.modelVersions = modelVersions
        self.entries = entries
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case batch, entries
        case dagID = "dag_id", runID = "run_id", snapshotID = "snapshot_id", modelVersions = "model_versions"
        case createdAt = "created_at"
    }
}

/// A file a task attached to its try (e.g. a training run's sample sheet): a row of `task_attachments`.
public struct AttachmentRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "task_attachments"
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    public var id: Int64?
    public var dagID: String
    public var runID: String
    public var taskID: String
    public var tryNumber: Int
    /// What it shows, for people ("sample sheet").
    public var name: String
    /// The file, relative to the home.
    public var path: String
    /// Its media type (`image/png`).
    public var mediaType: String
    public var createdAt: Date

    public init(
        dagID: String, runID: String, taskID: String, tryNumber: Int, name: String, path: String, mediaType: String,
        createdAt: Date
    ) {
        self.dagID = dagID
        self.runID = runID
        self.taskID = taskID
        self.tryNumber = tryNumber
        self.name = name
        self.path = path
        self.mediaType = mediaType
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, path
        case dagID = "dag_id", runID = "run_id", taskID = "task_id", tryNumber = "try_number", mediaType = "media_type"
        case createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
