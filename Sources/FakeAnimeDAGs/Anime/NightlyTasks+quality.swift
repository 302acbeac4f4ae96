import FakeAnime
import Foundation
import Learning
import Workflow

/// `evaluate`'s copy and collapse screens (issue 10): the candidate's samples measured against the snapshot's training
/// data, with held-out real data as the baseline. What the screens find rejects a candidate whatever its loss.
extension NightlyTasks {
    /// A candidate's quality figures and what is wrong with it.
    struct Screening: Sendable {
        /// The reasons it copies or has collapsed (empty: judge it on its loss).
        var problems: [String]
        /// Every figure, named as the run records them and `meta.json` keeps them.
        var metrics: [String: Double]
    }

    /// Measures `version` of `kind` and screens it.
    /// - Parameter posterReference: φ of the snapshot's posters, computed on first use and kept for the caller.
    static func screen(
        _ kind: ModelKind, version: String, anime: AnimeHome, corpus: TrainingCorpus,
        posterReference: inout QualityEvaluation.PosterReference?, log: TaskLogger
    ) throws -> Screening {
        if kind == .posters {
            let reference = try posterReference ?? QualityEvaluation.PosterReference(corpus: corpus, size: DCGANConfiguration.nightly.imageSize)
            posterReference = reference
            let report = QualityEvaluation.posters(try PosterModel.load(registry: anime.models, version: version), reference: reference)
            var metrics = report.metrics
            if let baseline = QualityEvaluation.posterBaseline(reference) { metrics["posters_baseline_kid"] = baseline.kid }
            log.info(String(
                format: "posters %@: KID %.4f, precision %.2f, coverage %.2f (k = %d), similarity %.3f (real %.3f), nearest training %.3f (real %.3f), copies %d",
                version, report.kid, report.precision, report.coverage, report.neighbours, report.similarity, report.realSimilarity,
                report.nearestTraining, report.realNearestTraining, report.copies))
            return Screening(problems: QualityGate.screen(posters: report), metrics: metrics)
        }
        let model = try TextModelJob.load(registry: anime.models, kind: kind, version: version)
        let (report, samples) = QualityEvaluation.judgedText(model, kind: kind, corpus: corpus)
        // The judged samples stay beside the version for the Models page and `models show`.
        let samplesURL = anime.models.directory(kind, version).appendingPathComponent(ModelRegistry.textSamplesFile)
        try Data((samples.joined(separator: "\n") + "\n").utf8).write(to: samplesURL, options: .atomic)
        let baseline = QualityEvaluation.textBaseline(kind: kind, corpus: corpus)
        log.info(String(
            format: "%@ %@: distinct-2 %.3f, rep-4 %.3f, novel-8 %@, longest shared run %d words, %d exact copies of %d samples",
            kind.rawValue, version, report.distinct2, report.rep4, report.novel8.map { String(format: "%.3f", $0) } ?? "-",
            report.longestSharedRun, report.exactCopies, report.samples))
        if let baseline {
            log.info(String(
                format: "%@ held-out real baseline: distinct-2 %.3f, rep-4 %.3f, novel-8 %@, longest shared run %d words, %d exact copies",
                kind.rawValue, baseline.distinct2, baseline.rep4, baseline.novel8.map { String(format: "%.3f", $0) } ?? "-",
                baseline.longestSharedRun, baseline.exactCopies))
        }
        return Screening(problems: QualityGate.screen(text: report, kind: kind, baseline: baseline), metrics: report.metrics(prefix: kind.rawValue))
    }
}
