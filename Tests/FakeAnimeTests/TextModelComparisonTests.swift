import FakeAnime
import Foundation
import Learning
import Testing

/// The issue 10 model comparison on the demo catalogue (both text kinds, every candidate, equal time). It trains five
/// models per kind for `NIGHTSHIFT_TEXT_COMPARISON_SECONDS` each (default 60), so it runs only when
/// `NIGHTSHIFT_TEXT_COMPARISON=1`:
///
///     NIGHTSHIFT_TEXT_COMPARISON=1 OPENBLAS_NUM_THREADS=2 swift test --filter TextModelComparisonTests
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["NIGHTSHIFT_TEXT_COMPARISON"] == "1", "set NIGHTSHIFT_TEXT_COMPARISON=1"))
struct TextModelComparisonTests {
    @Test(arguments: [ModelKind.synopses, .titles])
    func nightlyModelBeatsTheWordBiLSTMByAFifth(_ kind: ModelKind) throws {
        let only = ProcessInfo.processInfo.environment["NIGHTSHIFT_TEXT_COMPARISON_KIND"] ?? ""
        guard only.isEmpty || only == kind.rawValue else { return }
        try BLAS.load()
        let seconds = Double(ProcessInfo.processInfo.environment["NIGHTSHIFT_TEXT_COMPARISON_SECONDS"] ?? "") ?? 60
        let corpus = TrainingCorpus.demo()
        let rows = try TextModelComparison.run(
            kind, corpus: corpus, candidates: TextModelComparison.candidates(kind),
            budget: TrainingBudget(timeLimit: .milliseconds(Int64(seconds * 1000))))
        print("\(kind), \(corpus.trainingLines(kind).count) training and \(corpus.heldOutLines(kind).count) held-out lines, \(seconds) s each (BLAS threads \(BLAS.threads)):\n\(TextModelComparison.table(rows))")
        let baseline = try #require(rows.first { $0.name.hasPrefix("word BiLSTM") })
        for row in rows where !row.samples.isEmpty && !row.name.hasSuffix("(nightly)") {
            print("\(row.name): \(row.samples[0])")
        }
        let nightly = try #require(rows.first { $0.name.hasSuffix("(nightly)") })
        print("\(nightly.name) samples:\n" + nightly.samples.map { "- \($0)" }.joined(separator: "\n"))
        #expect(nightly.heldOutBitsPerCharacter <= 0.8 * baseline.heldOutBitsPerCharacter)
    }
}
