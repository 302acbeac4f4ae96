import Hashing
public import Foundation

/// `archive/<batch>/batch.json`: a generated batch as written by `generate_batch`, before and after publishing.
public struct BatchManifest: Sendable, Codable, Equatable {
    /// One fake anime of the batch.
    public struct Entry: Sendable, Codable, Equatable {
        /// Position in the batch, from 0.
        public var entry: Int
        public var title: String
        public var synopsis: String
        /// The poster at the model's native size, relative to the batch directory (`003.png`).
        public var poster: String
        /// The upscaled display copy, relative to the batch directory (`003-display.png`).
        public var posterDisplay: String
        /// The seed that generated this entry's title, synopsis and poster (below 2^53).
        public var seed: Int64

        public init(entry: Int, title: String, synopsis: String, poster: String, posterDisplay: String, seed: Int64) {
            self.entry = entry
            self.title = title
            self.synopsis = synopsis
            self.poster = poster
            self.posterDisplay = posterDisplay
            self.seed = seed
        }

        enum CodingKeys: String, CodingKey {
            case entry, title, synopsis, poster, seed
            case posterDisplay = "poster_display"
        }
    }

    public var batch: String
    public var dagID: String
    public var runID: String
    public var snapshotID: String
    /// Model versions by kind (`titles`, `synopses`, `posters`).
    public var modelVersions: [String: String]
    public var createdAt: Date
    public var entries: [Entry]

    public init(
        batch: String, dagID: String, runID: String, snapshotID: String, modelVersions: [String: String], createdAt: Date,
        entries: [Entry]
    ) {
        self.batch = batch
        self.dagID = dagID
        self.runID = runID
        self.snapshotID = snapshotID
        self.modelVersions = modelVersions
        self.createdAt = createdAt
        self.entries = entries
    }

    enum CodingKeys: String, CodingKey {
        case batch, entries
        case dagID = "dag_id", runID = "run_id", snapshotID = "snapshot_id", modelVersions = "model_versions"
        case createdAt = "created_at"
    }

    public static let fileName = "batch.json"

    /// Writes `directory/batch.json`.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// Reads `directory/batch.json`.
    /// - Throws: `PipelineError.Kind.badBatch` naming the batch directory.
    public static func load(from directory: URL) throws -> BatchManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(BatchManifest.self, from: Data(contentsOf: directory.appendingPathComponent(fileName)))
        } catch {
            throw PipelineError(.badBatch(batch: directory.lastPathComponent, reason: "cannot read \(fileName): \(error)"))
        }
    }
}

/// Where batches live under the home: published ones in `archive/<batch>/`, ones being generated or waiting to be
/// published in `archive/.staging/<batch>/` (hidden, so a reader listing `archive/` never sees them).
public struct ArchiveLayout: Sendable {
    /// `HOME/archive`.
    public let root: URL

    public init(root: URL) { self.root = root }

    public var stagingRoot: URL { root.appendingPathComponent(".staging") }

    public func staged(_ batch: String) -> URL { stagingRoot.appendingPathComponent(batch) }

    public func published(_ batch: String) -> URL { root.appendingPathComponent(batch) }

    /// A batch id for a run: sortable by time, unique per run (`20261123-0300-<8 hex of the run id>`).
    public static func batchID(runID: String, at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        var hash = SHA256()
        hash.update(runID)
        return "\(stamp)-\(hash.hexDigest().prefix(8))"
    }

    /// Moves a staged batch into `archive/` (one `rename`, atomic on one filesystem).
    /// - Throws: `PipelineError.Kind.io` when the staged directory is missing or the target exists.
    public func moveIntoPlace(_ batch: String) throws {
        let from = staged(batch).path, to = published(batch).path
        if rename(from, to) != 0 {
            throw PipelineError(.io(path: from, reason: "cannot move to \(to): \(String(cString: strerror(errno)))"))
        }
    }
}
