public import Foundation

/// `snapshots/<id>/manifest.json`.
public struct SnapshotManifest: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var malID: Int
        public var title: String
        public var titleRaw: String
        public var synopsis: String
        public var synopsisRaw: String
        public var genres: [String]
        /// Relative to the snapshot directory: `posters/<mal_id>.png`.
        public var poster: String
        enum CodingKeys: String, CodingKey {
            case title, synopsis, genres, poster
            case malID = "mal_id", titleRaw = "title_raw", synopsisRaw = "synopsis_raw"
        }
    }

    public var id: String
    public var source: String
    public var fetchedAt: Date
    public var pages: Int
    public var entryCount: Int
    public var skipped: [String: Int]
    public var posterSize: Int?
    public var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case id, source, pages, skipped, entries
        case fetchedAt = "fetched_at", entryCount = "entry_count", posterSize = "poster_size"
    }

    /// Reads `directory/manifest.json`.
    public static func load(from directory: URL) throws -> SnapshotManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SnapshotManifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
    }
}
