import Foundation
public import Learning
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Trains candidate text models on the same corpus for the same time and scores each on the held-out shows in bits per
/// character: how the nightly models were chosen (held-out loss per CPU second).
public enum TextModelComparison {
    /// A model to try.
    public enum Candidate: Sendable {
        /// The inherited word BiLSTM (its held-out score is a lower bound; see `NightlyTextModel.heldOutScore`).
        case wordBiLSTM(name: String, TextModelConfiguration)
        /// An LSTM language model; `configuration.maximumWords` chooses characters (0) or words-else-characters.
        case language(name: String, LanguageModelConfiguration)

        public var name: String {
            switch self {
            case .wordBiLSTM(let name, _), .language(let name, _): name
            }
        }
    }

    /// One candidate's result.
    public struct Row: Sendable {
        public var name: String
        public var heldOutBitsPerCharacter: Double
        /// Held-out bits per character before training (a fresh model), to show the fall.
        public var initialBitsPerCharacter: Double
        /// Process CPU time spent training (all threads).
        public var cpuSeconds: Double
        public var steps: Int
        public var units: Int
    }

    /// The candidates of the issue 10 comparison for `kind`: today's word BiLSTM, the character LSTM at two widths,
    /// and words-else-characters units.
    public static func candidates(_ kind: ModelKind) -> [Candidate] {
        let nightly = TextModelJob.configuration(for: kind)
        var wider = nightly
        wider.hiddenUnits = nightly.hiddenUnits * 3 / 2
        var narrower = nightly
        narrower.hiddenUnits = nightly.hiddenUnits / 2
        var words = nightly
        words.maximumWords = kind == .titles ? 200 : 1000
        return [
            .wordBiLSTM(name: "word BiLSTM (today)", kind == .titles ? .nightlyTitles : .nightlySynopses),
            .language(name: "char LSTM \(narrower.hiddenUnits)", narrower),
            .language(name: "char LSTM \(nightly.hiddenUnits) (nightly)", nightly),
            .language(name: "char LSTM \(wider.hiddenUnits)", wider),
            .language(name: "words+chars LSTM \(nightly.hiddenUnits)", words),
        ]
    }

    /// Trains every candidate on `corpus`'s training lines of `kind` for at most `budget` and scores it on the held-out
    /// lines.
    public static func run(
        _ kind: ModelKind, corpus: TrainingCorpus, candidates: [Candidate], budget: TrainingBudget, seed: UInt64 = 1
    ) throws -> [Row] {
        let lines = corpus.trainingLines(kind), heldOut = corpus.heldOutLines(kind)
        var rows: [Row] = []
        for candidate in candidates {
            switch candidate {
            case .wordBiLSTM(let name, let configuration):
                let tokenizer = Tokenizer(fittingOn: lines, maximumWords: configuration.vocabularySize)
                var model = TextModel(configuration: configuration, tokenizer: tokenizer, seed: seed)
                let initial = try NightlyTextModel.wordBiLSTM(model).heldOutScore(heldOut)?.bitsPerCharacter ?? .nan
                let data = TextModel.sequences(from: lines, tokenizer: tokenizer, inputLength: configuration.inputLength)
                let start = cpuSeconds()
                let summary = try model.train(on: data, budget: budget, shuffleSeed: seed)
                let spent = cpuSeconds() - start
                let score = try NightlyTextModel.wordBiLSTM(model).heldOutScore(heldOut)?.bitsPerCharacter ?? .nan
                rows.append(Row(
                    name: name, heldOutBitsPerCharacter: score, initialBitsPerCharacter: initial, cpuSeconds: spent,
                    steps: summary.steps, units: configuration.vocabularySize))
            case .language(let name, let configuration):
                let tokenizer = SubwordTokenizer(fittingOn: lines, maximumWords: configuration.maximumWords)
                var model = LanguageModel(configuration: configuration, tokenizer: tokenizer, seed: seed)
                let initial = model.score(heldOut).bitsPerCharacter
                let start = cpuSeconds()
                let summary = model.train(on: lines, heldOut: heldOut, budget: budget, shuffleSeed: seed)
                let spent = cpuSeconds() - start
                rows.append(Row(
                    name: name, heldOutBitsPerCharacter: summary.bestHeldOut?.bitsPerCharacter ?? .nan, initialBitsPerCharacter: initial,
                    cpuSeconds: spent, steps: summary.steps, units: tokenizer.count))
            }
        }
        return rows
    }

    /// The rows as a Markdown table.
    public static func table(_ rows: [Row]) -> String {
        var lines = ["| model | units | steps | CPU s | held-out bits/char (fresh → trained) |", "|---|---:|---:|---:|---|"]
        for row in rows {
            lines.append("| \(row.name) | " + String(
                format: "%d | %d | %.1f | %.3f → %.3f |", row.units, row.steps, row.cpuSeconds, row.initialBitsPerCharacter,
                row.heldOutBitsPerCharacter))
        }
        return lines.joined(separator: "\n")
    }

    /// Process CPU time (every thread), in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
