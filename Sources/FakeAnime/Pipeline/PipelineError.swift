/// A failure of the fake anime pipeline's work, naming the file, model or batch it is about.
public struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A model's `meta.json` is missing or unreadable.
        case modelMeta(path: String, reason: String)
        /// A file operation failed.
        case io(path: String, reason: String)
        /// No snapshot to train on.
        case noSnapshot(String)
        /// The snapshot has too little data for a model.
        case notEnoughData(kind: ModelKind, needed: Int, found: Int)
        /// A model needed for generation has no accepted version.
        case noAcceptedModel(ModelKind)
        /// A parameter value is out of range.
        case invalidParameter(name: String, value: String, expected: String)
        /// A staged batch is missing or malformed.
        case badBatch(batch: String, reason: String)
        /// A model version that does not exist was named; `known` lists the ones that do, oldest first.
        case unknownModelVersion(kind: ModelKind, version: String, known: [String])
        /// A rollback has nothing to go back to.
        case noRollbackTarget(kind: ModelKind, current: String?)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case let .modelMeta(path, reason): "cannot read model metadata \(path): \(reason)"
        case let .io(path, reason): "\(path): \(reason)"
        case let .noSnapshot(detail): "no dataset snapshot: \(detail)"
        case let .notEnoughData(kind, needed, found): "the snapshot has \(found) usable examples for the \(kind) model; it needs at least \(needed)"
        case let .noAcceptedModel(kind): "no accepted \(kind) model yet: run anime_nightly's training first"
        case let .invalidParameter(name, value, expected): "invalid param '\(name)' = \(value): expected \(expected)"
        case let .badBatch(batch, reason): "batch \(batch): \(reason)"
        case let .unknownModelVersion(kind, version, known):
            "no \(kind) model version '\(version)'; "
                + (known.isEmpty ? "there is none yet (anime_nightly trains the first)" : "known: \(known.joined(separator: ", "))")
        case let .noRollbackTarget(kind, current):
            current.map { "no \(kind) version was accepted before \($0): nothing to roll back to (promote one by name)" }
                ?? "no \(kind) version is accepted yet: nothing to roll back"
        }
    }
}
