import Foundation
public import Learning

/// Training, evaluation and generation of the title and synopsis models: plain functions the `anime_nightly` tasks
/// call.
///
/// The nightly models are `LanguageModel`s (an LSTM over characters with begin and end markers, a loss on every
/// position, early stopping on the held-out shows). Warm starts continue the accepted version when it is such a model
/// and its units cover the snapshot's characters; a word BiLSTM parent (a checkpoint from before issue 10) or one whose
/// units miss more than ``maximumUnknownCharacters`` of the snapshot gives a fresh start, saying why.
public enum TextModelJob {
    /// The largest fraction of the snapshot's training characters the parent may not know for a warm start.
    public static let maximumUnknownCharacters = 0.001

    /// The nightly configuration of a text model.
    public static func configuration(for kind: ModelKind) -> LanguageModelConfiguration {
        precondition(kind != .posters, "posters are not a text model")
        return kind == .titles ? .nightlyTitles : .nightlySynopses
    }

    /// A trained candidate and how it was trained.
    public struct Trained: Sendable {
        public var version: ModelVersion
        public var summary: LanguageTrainingSummary
        /// "warm start from v3" or "fresh start: …", for the log.
        public var start: String
    }

    /// Trains a candidate of `kind` on the corpus's training lines, stopping early on its held-out lines (the shows
    /// the gate scores), and writes it as a new version (status `candidate`).
    /// - Parameter parent: the accepted version to warm-start from, or nil for a fresh start.
    /// - Throws: `PipelineError.Kind.notEnoughData` when the training lines hold fewer than 2 windows of units;
    ///   checkpoint and file errors.
    public static func trainCandidate(
        _ kind: ModelKind, corpus: TrainingCorpus, registry: ModelRegistry, parent: ModelVersion?, budget: TrainingBudget,
        seed: UInt64, lineage: Lineage, progress: (TrainingProgress) -> Void
    ) throws -> Trained {
        let lines = corpus.trainingLines(kind).filter { !$0.isEmpty }
        let heldOut = corpus.heldOutLines(kind)
        let configuration = configuration(for: kind)
        let fitted = SubwordTokenizer(fittingOn: lines, maximumWords: configuration.maximumWords)
        var model = LanguageModel(configuration: configuration, tokenizer: fitted, seed: seed)
        var start = "fresh start"
        var warmFrom: String?
        if let parent {
            switch try load(registry: registry, kind: kind, version: parent.version) {
            case .wordBiLSTM:
                start = "fresh start: \(parent.version) is a word BiLSTM checkpoint (kind \"\(TextModel.checkpointKind)\"), which cannot seed a \(LanguageModel.checkpointKind)"
            case .language(let warm):
                let unknown = unknownCharacterFraction(warm.tokenizer, lines: lines)
                if warm.configuration != configuration {
                    start = "fresh start: \(parent.version) was trained with another configuration"
                } else if unknown > maximumUnknownCharacters {
                    start = "fresh start: \(parent.version)'s units miss \(percent(unknown)) of the snapshot's characters"
                } else {
                    model = warm
                    warmFrom = parent.version
                    start = "warm start from \(parent.version) (\(warm.stepsTaken) steps so far)"
                }
            }
        }
        let units = lines.reduce(0) { $0 + model.tokenizer.encodeLine($1).count }
        guard units > 2 * configuration.window else {
            throw PipelineError(.notEnoughData(kind: kind, needed: 2 * configuration.window + 1, found: units))
        }
        let summary = model.train(on: lines, heldOut: heldOut, budget: budget, shuffleSeed: seed, progress: progress)
        var metrics: [String: Double] = [
            "train_loss": Double(summary.finalLoss), "mean_train_loss": Double(summary.meanLoss),
            "units_per_second": summary.unitsPerSecond, "training_units": Double(units),
        ]
        if let best = summary.bestHeldOut { metrics["heldout_bits_per_char"] = best.bitsPerCharacter }
        let meta = ModelVersion(
            kind: kind, version: "", snapshotID: lineage.snapshotID, dagID: lineage.dagID, runID: lineage.runID,
            parent: warmFrom,
            status: .candidate,
            metrics: metrics,
            configuration: "\(NightlyTextModel.language(model).summary), \(model.stepsTaken) steps in all",
            steps: summary.steps, createdAt: Date())
        let checkpoint = model.checkpoint(metadata: ["snapshot_id": lineage.snapshotID, "run_id": lineage.runID])
        let written = try registry.addVersion(meta) { directory in
            try checkpoint.write(to: directory.appendingPathComponent(ModelRegistry.checkpointFile))
        }
        return Trained(version: written, summary: summary, start: start)
    }

    /// Loads a version of a text model (either kind; see `NightlyTextModel.load(from:)`).
    public static func load(registry: ModelRegistry, kind: ModelKind, version: String) throws -> NightlyTextModel {
        try NightlyTextModel.load(from: registry.checkpointURL(kind, version))
    }

    /// The model's held-out bits per character on `lines`, or nil when there is nothing to score.
    public static func heldOutBitsPerCharacter(_ model: NightlyTextModel, lines: [String]) throws -> Double? {
        try model.heldOutScore(lines)?.bitsPerCharacter
    }

    /// The fraction of `lines`' characters that `tokenizer` does not know.
    static func unknownCharacterFraction(_ tokenizer: SubwordTokenizer, lines: [String]) -> Double {
        var total = 0, unknown = 0
        for line in lines {
            for id in tokenizer.encode(line) {
                total += 1
                if id == SubwordTokenizer.unknown { unknown += 1 }
            }
        }
        return total > 0 ? Double(unknown) / Double(total) : 0
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.2f%%", fraction * 100) }
}
