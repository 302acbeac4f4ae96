public import Foundation

/// One change of `models/<kind>/ACCEPTED`, appended to `models/<kind>/history.jsonl`: by the gate, or by hand.
public struct AcceptedChange: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable {
        /// The nightly gate accepted a candidate.
        case gate
        /// Someone promoted a version by name.
        case promote
        /// Someone rolled back to an earlier version.
        case rollback
    }

    public var at: Date
    public var kind: ModelKind
    /// The version accepted from now on.
    public var version: String
    /// The version accepted before, if any.
    public var previous: String?
    public var action: Action
    /// Who did it (`run <id>` for the gate, a user for a promotion or rollback).
    public var actor: String
    /// Why, when given.
    public var reason: String?

    public init(at: Date, kind: ModelKind, version: String, previous: String?, action: Action, actor: String, reason: String?) {
        self.at = at
        self.kind = kind
        self.version = version
        self.previous = previous
        self.action = action
        self.actor = actor
        self.reason = reason
    }
}

/// Promotion and rollback: `ACCEPTED` is replaced by rename under an exclusive lock on `models/<kind>/.lock`, and each
/// change is appended to the kind's history in the same critical section, so two operators (or an operator and the
/// nightly gate) never interleave a change and its record. The next `generate_batch` reads `ACCEPTED`, so it uses the
/// version set here.
extension ModelRegistry {
    public static let historyFile = "history.jsonl"

    /// Every change of `kind`'s accepted version, oldest first (empty before the first). Lines that do not decode (a
    /// file from a newer version, a torn last line) are skipped.
    public func history(_ kind: ModelKind) -> [AcceptedChange] {
        let url = root.appendingPathComponent(kind.rawValue).appendingPathComponent(Self.historyFile)
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? Self.decoder.decode(AcceptedChange.self, from: Data($0)) }
    }

    /// Points `ACCEPTED` at `version` and records the change.
    /// - Throws: `PipelineError.Kind.unknownModelVersion` when `version` has no `meta.json`.
    @discardableResult
    public func setAccepted(
        _ kind: ModelKind, _ version: String, action: AcceptedChange.Action = .gate, actor: String = "anime_nightly", reason: String? = nil,
        at: Date = Date()
    ) throws -> AcceptedChange {
        try withLock(kind) {
            try changeAccepted(kind, to: version, action: action, actor: actor, reason: reason, at: at)
        }
    }

    /// Makes `version` the accepted one, whatever the gate said of it.
    /// - Throws: `PipelineError.Kind.unknownModelVersion` naming the known versions.
    @discardableResult
    public func promote(_ kind: ModelKind, _ version: String, actor: String, reason: String? = nil, at: Date = Date()) throws -> AcceptedChange {
        try setAccepted(kind, version, action: .promote, actor: actor, reason: reason, at: at)
    }

    /// Goes back to `version`, or without one to ``rollbackTarget(_:)``.
    /// - Throws: `unknownModelVersion`, or `noRollbackTarget` when nothing earlier was ever accepted.
    @discardableResult
    public func rollback(_ kind: ModelKind, to version: String? = nil, actor: String, reason: String? = nil, at: Date = Date()) throws -> AcceptedChange {
        try withLock(kind) {
            let target = try version ?? rollbackTarget(kind).version
            return try changeAccepted(kind, to: target, action: .rollback, actor: actor, reason: reason, at: at)
        }
    }

    /// What a rollback goes back to: the version that was accepted before the current one came into use (by the gate or
    /// a promotion; rollbacks are skipped, so repeated rollbacks walk further back instead of swinging between two
    /// versions). Without history for the current version (a home from before it was kept), the newest older version
    /// the gate accepted.
    /// - Throws: `noRollbackTarget` when there is none.
    public func rollbackTarget(_ kind: ModelKind) throws -> ModelVersion {
        guard let current = try acceptedName(kind) else { throw PipelineError(.noRollbackTarget(kind: kind, current: nil)) }
        let versions = try self.versions(kind)
        if let installed = history(kind).last(where: { $0.version == current && $0.action != .rollback }) {
            guard let previous = installed.previous, let target = versions.first(where: { $0.version == previous }) else {
                throw PipelineError(.noRollbackTarget(kind: kind, current: current))
            }
            return target
        }
        let currentNumber = Self.number(of: current) ?? Int.max
        guard let target = versions.last(where: { $0.status == .accepted && (Self.number(of: $0.version) ?? .max) < currentNumber }) else {
            throw PipelineError(.noRollbackTarget(kind: kind, current: current))
        }
        return target
    }

    /// The name in `ACCEPTED`, or nil before any (``accepted(_:)`` without reading the version's `meta.json`).
    public func acceptedName(_ kind: ModelKind) throws -> String? {
        let url = root.appendingPathComponent(kind.rawValue).appendingPathComponent(Self.acceptedFile)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    private func changeAccepted(
        _ kind: ModelKind, to version: String, action: AcceptedChange.Action, actor: String, reason: String?, at: Date
    ) throws -> AcceptedChange {
        let kindRoot = root.appendingPathComponent(kind.rawValue)
        guard Self.number(of: version) != nil,
            FileManager.default.fileExists(atPath: directory(kind, version).appendingPathComponent(Self.metaFile).path)
        else {
            let known = ((try? versions(kind)) ?? []).map(\.version)
            throw PipelineError(.unknownModelVersion(kind: kind, version: version, known: known))
        }
        let change = AcceptedChange(
            at: at, kind: kind, version: version, previous: try acceptedName(kind), action: action, actor: actor, reason: reason)
        try Data((version + "\n").utf8).write(to: kindRoot.appendingPathComponent(Self.acceptedFile), options: .atomic)
        var line = try Self.historyEncoder.encode(change)
        line.append(UInt8(ascii: "\n"))
        let url = kindRoot.appendingPathComponent(Self.historyFile)
        guard let handle = FileHandle(forUpdatingAtPath: url.path) ?? {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            return FileHandle(forUpdatingAtPath: url.path)
        }() else { throw PipelineError(.io(path: url.path, reason: "cannot open for appending")) }
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        if end > 0 {
            // A line torn by a crash mid-append is closed first, so this record starts a line of its own.
            try handle.seek(toOffset: end - 1)
            if try handle.read(upToCount: 1) != Data([UInt8(ascii: "\n")]) { line.insert(UInt8(ascii: "\n"), at: 0) }
            try handle.seekToEnd()
        }
        try handle.write(contentsOf: line)
        return change
    }

    /// Runs `body` holding an exclusive `flock` on `models/<kind>/.lock` (released when the process dies, too).
    private func withLock<T>(_ kind: ModelKind, _ body: () throws -> T) throws -> T {
        let kindRoot = root.appendingPathComponent(kind.rawValue)
        try FileManager.default.createDirectory(at: kindRoot, withIntermediateDirectories: true)
        let path = kindRoot.appendingPathComponent(".lock").path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError(.io(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PipelineError(.io(path: path, reason: String(cString: strerror(errno)))) }
        }
        return try body()
    }

    static let historyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
