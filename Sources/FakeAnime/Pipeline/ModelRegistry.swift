public import Foundation

/// The models directory of a home: `models/<kind>/<version>/` holding the checkpoint (`model.ckpt`, with the
/// vocabulary for text models) and `meta.json`, plus `models/<kind>/ACCEPTED` naming the accepted version.
///
/// Every write is atomic: a version is assembled in `models/<kind>/.staging-…` and renamed into place, and
/// `meta.json` and `ACCEPTED` are replaced by rename, so a reader (or a try killed mid-write) never sees half a file;
/// every change of `ACCEPTED` is appended to `models/<kind>/history.jsonl` (``AcceptedChange``).
public struct ModelRegistry: Sendable {
    /// The file holding a version's weights.
    public static let checkpointFile = "model.ckpt"
    public static let metaFile = "meta.json"
    public static let acceptedFile = "ACCEPTED"
    /// A poster version's sample sheet (written after training).
    public static let sampleSheetFile = "samples.png"
    /// A text version's judged samples, one per line (written by the gate's screens).
    public static let textSamplesFile = "samples.txt"

    /// `HOME/models`.
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The directory of a version.
    public func directory(_ kind: ModelKind, _ version: String) -> URL {
        root.appendingPathComponent(kind.rawValue).appendingPathComponent(version)
    }

    /// The checkpoint file of a version.
    public func checkpointURL(_ kind: ModelKind, _ version: String) -> URL {
        directory(kind, version).appendingPathComponent(Self.checkpointFile)
    }

    /// Every version of `kind` on disk, oldest first.
    public func versions(_ kind: ModelKind) throws -> [ModelVersion] {
        let kindRoot = root.appendingPathComponent(kind.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: kindRoot.path)) ?? []
        return try names.filter { Self.number(of: $0) != nil }
            .sorted { Self.number(of: $0)! < Self.number(of: $1)! }
            .map { try meta(kind, $0) }
    }

    /// A version's `meta.json`.
    /// - Throws: `PipelineError.Kind.modelMeta` naming the file.
    public func meta(_ kind: ModelKind, _ version: String) throws -> ModelVersion {
        let url = directory(kind, version).appendingPathComponent(Self.metaFile)
        do {
            return try Self.decoder.decode(ModelVersion.self, from: Data(contentsOf: url))
        } catch {
            throw PipelineError(.modelMeta(path: url.path, reason: "\(error)"))
        }
    }

    /// The accepted version of `kind`, or nil before any was accepted.
    public func accepted(_ kind: ModelKind) throws -> ModelVersion? {
        try acceptedName(kind).map { try meta(kind, $0) }
    }

    /// Writes a new version: `writeFiles` fills a staging directory (the checkpoint), then `meta.json` is added and the
    /// directory renamed to the next free `vN`. Returns the meta as written (its `version` filled in).
    public func addVersion(_ meta: ModelVersion, writeFiles: (URL) throws -> Void) throws -> ModelVersion {
        let kindRoot = root.appendingPathComponent(meta.kind.rawValue)
        try FileManager.default.createDirectory(at: kindRoot, withIntermediateDirectories: true)
        let staging = kindRoot.appendingPathComponent(".staging-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        try writeFiles(staging)
        var meta = meta
        // The training pool runs one trainer at a time, but a rename onto an existing name fails rather than
        // replacing it, so a race would retry with the next number instead of losing a version.
        for _ in 0..<100 {
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: kindRoot.path)) ?? []
            let next = (existing.compactMap(Self.number(of:)).max() ?? 0) + 1
            meta.version = "v\(next)"
            try Self.encoder.encode(meta).write(to: staging.appendingPathComponent(Self.metaFile))
            if rename(staging.path, kindRoot.appendingPathComponent(meta.version).path) == 0 { return meta }
            if errno != EEXIST && errno != ENOTEMPTY { throw PipelineError(.io(path: kindRoot.path, reason: String(cString: strerror(errno)))) }
        }
        throw PipelineError(.io(path: kindRoot.path, reason: "no free version number"))
    }

    /// Replaces a version's `meta.json` (status, reason, metrics after evaluation) atomically.
    public func updateMeta(_ meta: ModelVersion) throws {
        let url = directory(meta.kind, meta.version).appendingPathComponent(Self.metaFile)
        try Self.encoder.encode(meta).write(to: url, options: .atomic)
    }

    /// The number in `vN`, or nil for other names.
    static func number(of name: String) -> Int? {
        guard name.hasPrefix("v") else { return nil }
        return Int(name.dropFirst())
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
