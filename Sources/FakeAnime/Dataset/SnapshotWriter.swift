import Hashing
public import Foundation

/// Writes dataset snapshots: content-addressed, complete or absent.
///
/// The id is the SHA-256 of the normalised content (ids, cleaned text, genres, poster bytes), so an unchanged
/// catalogue yields the same id. A snapshot is written under `root/.partial/` and renamed into `root/<id>/`; a
/// scrape that dies leaves at most a partial directory, which the next write removes.
public enum SnapshotWriter {
    /// The directory name of unfinished snapshots.
    public static let partialDirectory = ".partial"

    /// The content address of `entries`.
    public static func snapshotID(of entries: [SnapshotEntry]) -> String {
        var hasher = SHA256()
        for entry in entries.sorted(by: { $0.malID < $1.malID }) {
            hasher.update("\(entry.malID)\t\(entry.title)\t\(entry.synopsis)\t\(entry.genres.joined(separator: ","))\t")
            hasher.update(SHA256.hex(entry.posterPNG))
            hasher.update("\n")
        }
        return hasher.hexDigest()
    }

    /// Writes the snapshot unless one with the same id exists.
    /// - Returns: the id, the directory, and whether an identical snapshot was already there.
    public static func write(
        entries unsorted: [SnapshotEntry], skips: [SkipReason: Int], source: String, fetchedAt: Date, pages: Int, posterSize: Int? = nil,
        root: URL
    ) throws -> (id: String, directory: URL, reused: Bool) {
        let entries = unsorted.sorted { $0.malID < $1.malID }
        let id = snapshotID(of: entries)
        let fileManager = FileManager.default
        let final = root.appendingPathComponent(id)
        let partialRoot = root.appendingPathComponent(partialDirectory)
        try? fileManager.removeItem(at: partialRoot)  // leftovers of scrapes that died
        if fileManager.fileExists(atPath: final.appendingPathComponent("manifest.json").path) { return (id, final, true) }
        let partial = partialRoot.appendingPathComponent(UUID().uuidString)
        let posters = partial.appendingPathComponent("posters")
        try fileManager.createDirectory(at: posters, withIntermediateDirectories: true)
        var manifestEntries: [SnapshotManifest.Entry] = []
        for entry in entries {
            let name = "posters/\(entry.malID).png"
            try Data(entry.posterPNG).write(to: partial.appendingPathComponent(name))
            manifestEntries.append(
                .init(
                    malID: entry.malID, title: entry.title, titleRaw: entry.titleRaw, synopsis: entry.synopsis, synopsisRaw: entry.synopsisRaw,
                    genres: entry.genres, poster: name))
        }
        try (entries.map(\.title).joined(separator: "\n") + "\n").write(to: partial.appendingPathComponent("titles.txt"), atomically: false, encoding: .utf8)
        try (entries.map(\.synopsis).joined(separator: "\n") + "\n").write(
            to: partial.appendingPathComponent("synopses.txt"), atomically: false, encoding: .utf8)
        let manifest = SnapshotManifest(
            id: id, source: source, fetchedAt: fetchedAt, pages: pages, entryCount: entries.count,
            skipped: Dictionary(uniqueKeysWithValues: skips.map { ($0.key.rawValue, $0.value) }), posterSize: posterSize, entries: manifestEntries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: partial.appendingPathComponent("manifest.json"))
        do {
            try fileManager.moveItem(at: partial, to: final)
        } catch {
            // Another scrape renamed the same content into place first: identical by construction.
            if fileManager.fileExists(atPath: final.appendingPathComponent("manifest.json").path) {
                try? fileManager.removeItem(at: partial)
                return (id, final, true)
            }
            throw error
        }
        try? fileManager.removeItem(at: partialRoot)
        return (id, final, false)
    }
}
