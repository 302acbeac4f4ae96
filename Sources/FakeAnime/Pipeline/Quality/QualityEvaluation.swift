public import Foundation
public import Learning

/// Measures models for the gate and `bench quality`: samples them the way batches do and runs the pure metrics of
/// ``PosterQuality`` and ``TextQuality`` against a snapshot's training data, with held-out real data as the baseline.
public enum QualityEvaluation {
    /// Seeds of the text samples a model is judged on: fixed, so every version is judged alike.
    public static let titleSeeds: [UInt64] = Array(1...64)
    public static let synopsisSeeds: [UInt64] = Array(1...24)
    /// Decoding of the samples: ``BatchGenerator``'s defaults.
    static let temperature: Float = 0.8
    static let topK = 12

    /// φ of a snapshot's training and held-out posters, computed once per evaluation.
    public struct PosterReference: Sendable {
        public var training: FeatureMatrix
        /// Nil when the snapshot holds out fewer than 2 readable posters.
        public var heldOut: FeatureMatrix?

        /// Decodes the corpus's posters at `size` and computes their features.
        /// - Throws: `PipelineError.Kind.notEnoughData` with fewer than 7 readable training posters (k = 5 balls need 6
        ///   others, plus one).
        public init(corpus: TrainingCorpus, size: Int, features: PosterFeatures = PosterFeatures(), skipped: (URL, any Error) -> Void = { _, _ in }) throws {
            let training = try PosterModel.images(corpus.trainingPosters, size: size, skipped: skipped)
            guard training.shape[0] >= PosterQuality.defaultNeighbours + 2 else {
                throw PipelineError(.notEnoughData(kind: .posters, needed: PosterQuality.defaultNeighbours + 2, found: training.shape[0]))
            }
            self.training = features.features(of: training)
            let heldOut = try PosterModel.images(corpus.heldOutPosters, size: size, skipped: skipped)
            self.heldOut = heldOut.shape[0] >= 2 ? features.features(of: heldOut) : nil
        }
    }

    /// The figures of `gan`'s posters for ``PosterModel/scoringSeeds``.
    public static func posters(_ gan: DCGAN, reference: PosterReference, features: PosterFeatures = PosterFeatures()) -> PosterQualityReport {
        report(posters: features.features(of: gan.generate(seeds: PosterModel.scoringSeeds)), reference: reference)
    }

    /// The figures of any posters' features (a model's, or held-out real ones for the baseline).
    public static func report(posters samples: FeatureMatrix, reference: PosterReference) -> PosterQualityReport {
        PosterQuality.report(samples: samples, training: reference.training, heldOut: reference.heldOut)
    }

    /// The held-out real posters measured as if a model had made them: what a model that generalises scores.
    /// Nil when there are too few held-out posters.
    public static func posterBaseline(_ reference: PosterReference) -> PosterQualityReport? {
        reference.heldOut.map { report(posters: $0, reference: reference) }
    }

    /// `model`'s samples of `kind`: titles for ``titleSeeds`` or synopses for ``synopsisSeeds``, decoded exactly as
    /// batches are (a word BiLSTM opened with a real first word from `openers`; titles in `avoiding` drawn again).
    public static func samples(_ model: NightlyTextModel, kind: ModelKind, openers: [String], avoiding: Set<String> = []) -> [String] {
        let known = openers.filter { word in
            if case .wordBiLSTM(let model) = model { model.tokenizer.id(of: word) != nil } else { true }
        }
        return (kind == .titles ? titleSeeds : synopsisSeeds).map { seed in
            var generator = SeededGenerator(seed: seed)
            return kind == .titles
                ? BatchGenerator.title(model, openers: known, temperature: temperature, topK: topK, avoiding: avoiding, using: &generator)
                : BatchGenerator.synopsis(model, openers: known, temperature: temperature, topK: topK, using: &generator)
        }
    }

    /// The figures of `model`'s samples against the corpus's training lines of `kind` (titles drawn as batches draw them,
    /// avoiding the training titles).
    /// - Parameter heldOutBitsPerCharacter: the model's held-out bits per character, when its trainer reports one.
    public static func text(
        _ model: NightlyTextModel, kind: ModelKind, corpus: TrainingCorpus, heldOutBitsPerCharacter: Double? = nil
    ) -> TextQualityReport {
        judgedText(model, kind: kind, corpus: corpus, heldOutBitsPerCharacter: heldOutBitsPerCharacter).report
    }

    /// ``text(_:kind:corpus:heldOutBitsPerCharacter:)`` with the samples it judged (kept beside a version for people).
    public static func judgedText(
        _ model: NightlyTextModel, kind: ModelKind, corpus: TrainingCorpus, heldOutBitsPerCharacter: Double? = nil
    ) -> (report: TextQualityReport, samples: [String]) {
        let training = corpus.trainingLines(kind)
        let openers = BatchGenerator.Models.openers(of: training)
        let avoiding = kind == .titles ? Set(training.map { $0.lowercased() }) : []
        let drawn = samples(model, kind: kind, openers: openers, avoiding: avoiding)
        return (TextQuality.report(samples: drawn, training: training, heldOutBitsPerCharacter: heldOutBitsPerCharacter), drawn)
    }

    /// The held-out real lines of `kind` against the training lines: what text nobody copied scores. Nil when the
    /// snapshot holds nothing out.
    public static func textBaseline(kind: ModelKind, corpus: TrainingCorpus) -> TextQualityReport? {
        let heldOut = corpus.heldOutLines(kind)
        return heldOut.isEmpty ? nil : TextQuality.report(samples: heldOut, training: corpus.trainingLines(kind))
    }
}
