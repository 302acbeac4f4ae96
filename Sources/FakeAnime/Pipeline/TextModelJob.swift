public import Foundation
public import Learning

/// Training, evaluation and generation of the title and synopsis models: plain functions the `anime_nightly` tasks
/// call.
///
/// Warm starts keep the parent's vocabulary, so the candidate and the accepted model are scored on the same ids; when
/// the snapshot's own top words overlap the parent's by less than ``minimumVocabularyOverlap``, the catalogue has moved
/// on and the candidate starts afresh with a vocabulary fitted to the new snapshot.
public enum TextModelJob {
    /// The least fraction of the new snapshot's vocabulary that the parent's must share for a warm start.
    public static let minimumVocabularyOverlap = 0.8

    /// The nightly configuration of a text model (the original layers, shorter contexts; see `TextModelConfiguration`).
    public static func configuration(for kind: ModelKind) -> TextModelConfiguration {
        precondition(kind != .posters, "posters are not a text model")
        return kind == .titles ? .nightlyTitles : .nightlySynopses
    }

    /// A trained candidate and how it was trained.
    public struct Trained: Sendable {
        public var version: ModelVersion
        public var summary: TextTrainingSummary
        /// "warm start from v3" or "fresh start: …", for the log.
        public var start: String
    }

    /// Trains a candidate of `kind` on the corpus's training lines and writes it as a new version (status `candidate`).
    /// - Parameter parent: the accepted version to warm-start from, or nil for a fresh start.
    /// - Throws: `PipelineError.Kind.notEnoughData` when the lines give fewer than 2 training sequences; checkpoint
    ///   and file errors.
    public static func trainCandidate(
        _ kind: ModelKind, corpus: TrainingCorpus, registry: ModelRegistry, parent: ModelVersion?, budget: TrainingBudget,
        seed: UInt64, lineage: Lineage, progress: (TrainingProgress) -> Void
    ) throws -> Trained {
        let lines = corpus.trainingLines(kind)
        let configuration = configuration(for: kind)
        let fitted = Tokenizer(fittingOn: lines, maximumWords: configuration.vocabularySize)
        var model: TextModel
        var start: String
        var warmFrom: String?
        if let parent {
            let warm = try load(registry: registry, kind: kind, version: parent.version)
            let overlap = vocabularyOverlap(parent: warm.tokenizer, fitted: fitted)
            if overlap >= minimumVocabularyOverlap {
                model = warm
                warmFrom = parent.version
                start = "warm start from \(parent.version) (its vocabulary covers \(percent(overlap)) of the snapshot's)"
            } else {
                model = TextModel(configuration: configuration, tokenizer: fitted, seed: seed)
                start = "fresh start: \(parent.version)'s vocabulary covers only \(percent(overlap)) of the snapshot's"
            }
        } else {
            model = TextModel(configuration: configuration, tokenizer: fitted, seed: seed)
            start = "fresh start"
        }
        let sequences = TextModel.sequences(from: lines, tokenizer: model.tokenizer, inputLength: model.configuration.inputLength)
        guard sequences.count >= 2 else { throw PipelineError(.notEnoughData(kind: kind, needed: 2, found: sequences.count)) }
        let summary = try model.train(on: sequences, budget: budget, shuffleSeed: seed, progress: progress)
        let meta = ModelVersion(
            kind: kind, version: "", snapshotID: lineage.snapshotID, dagID: lineage.dagID, runID: lineage.runID,
            parent: warmFrom,
            status: .candidate,
            metrics: [
                "train_loss": Double(summary.finalLoss), "mean_train_loss": Double(summary.meanLoss),
                "sequences_per_second": summary.examplesPerSecond, "training_sequences": Double(sequences.count),
            ],
            configuration: "bilstm K=\(model.configuration.vocabularySize) L=\(model.configuration.inputLength), \(model.stepsTaken) steps in all",
            steps: summary.steps, createdAt: Date())
        let checkpoint = model.checkpoint(metadata: ["snapshot_id": lineage.snapshotID, "run_id": lineage.runID])
        let written = try registry.addVersion(meta) { directory in
            try checkpoint.write(to: directory.appendingPathComponent(ModelRegistry.checkpointFile))
        }
        return Trained(version: written, summary: summary, start: start)
    }

    /// Loads a version of a text model.
    public static func load(registry: ModelRegistry, kind: ModelKind, version: String) throws -> TextModel {
        try TextModel.load(from: registry.checkpointURL(kind, version))
    }

    /// The model's mean cross-entropy on `lines` (held out), or nil when they give no sequence in its vocabulary.
    public static func heldOutLoss(_ model: TextModel, lines: [String]) throws -> Double? {
        let sequences = TextModel.sequences(from: lines, tokenizer: model.tokenizer, inputLength: model.configuration.inputLength)
        guard sequences.count > 0 else { return nil }
        return Double(try model.meanLoss(on: sequences))
    }

    /// The fraction of `fitted`'s words that `parent` knows.
    static func vocabularyOverlap(parent: Tokenizer, fitted: Tokenizer) -> Double {
        let words = fitted.vocabulary.dropFirst().filter { !$0.isEmpty }
        guard !words.isEmpty else { return 1 }
        return Double(words.filter { parent.id(of: $0) != nil }.count) / Double(words.count)
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
}
