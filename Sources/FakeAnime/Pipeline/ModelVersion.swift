public import Foundation

/// `models/<kind>/<version>/meta.json`: where a model version came from and how it fared.
public struct ModelVersion: Sendable, Codable, Equatable {
    /// Where a version stands with the quality gate.
    public enum Status: String, Sendable, Codable {
        /// Trained, not yet evaluated.
        case candidate
        /// Passed the gate: generation uses it and the next training warm-starts from it.
        case accepted
        /// Failed the gate; kept for inspection, never used.
        case rejected
    }

    public var kind: ModelKind
    /// `v1`, `v2`, … in the order versions were written.
    public var version: String
    /// The dataset snapshot it was trained on.
    public var snapshotID: String
    public var dagID: String
    public var runID: String
    /// The accepted version it warm-started from, if any.
    public var parent: String?
    public var status: Status
    /// Why the gate decided as it did.
    public var reason: String?
    /// Training and evaluation figures (`train_loss`, `heldout_bits_per_char`, `discriminator_loss`, …).
    public var metrics: [String: Double]
    /// The configuration preset or summary it was trained with.
    public var configuration: String
    public var steps: Int
    public var createdAt: Date

    public init(
        kind: ModelKind, version: String, snapshotID: String, dagID: String, runID: String, parent: String?, status: Status,
        reason: String? = nil, metrics: [String: Double], configuration: String, steps: Int, createdAt: Date
    ) {
        self.kind = kind
        self.version = version
        self.snapshotID = snapshotID
        self.dagID = dagID
        self.runID = runID
        self.parent = parent
        self.status = status
        self.reason = reason
        self.metrics = metrics
        self.configuration = configuration
        self.steps = steps
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case kind, version, parent, status, reason, metrics, configuration, steps
        case snapshotID = "snapshot_id", dagID = "dag_id", runID = "run_id", createdAt = "created_at"
    }
}
