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
        /// Five texts a language model generated under the kind's decoding rules (none for the word BiLSTM).
        public var samples: [String]
    }

    /// The candidates of the issue 10 comparison for `kind`: today's word BiLSTM, the character LSTM at two widths, and
    /// words-else-characters units (every word seen 3 times or more is one unit) at two widths; the nightly one is marked.
    public static func candidates(_ kind: ModelKind) -> [Candidate] {
        let nightly = TextModelJob.configuration(for: kind)
        func variant(units: Int, words: Int) -> LanguageModelConfiguration {
            var configuration = nightly
            configuration.hiddenUnits = units
            configuration.maximumWords = words
            return configuration
        }
        let (narrow, wide) = kind == .titles ? (64, 128) : (128, 256)
        let words = kind == .titles ? 500 : 2500
        let all: [Candidate] = [
            .wordBiLSTM(name: "word BiLSTM (today)", kind == .titles ? .nightlyTitles : .nightlySynopses),
            .language(name: "char LSTM \(narrow)", variant(units: narrow, words: 0)),
            .language(name: "char LSTM \(wide)", variant(units: wide, words: 0)),
            .language(name: "words+chars LSTM \(narrow)", variant(units: narrow, words: words)),
            .language(name: "words+chars LSTM \(wide)", variant(units: wide, words: words)),
        ]
        return all.map { candidate in
            guard case .language(let name, let configuration) = candidate, configuration == nightly else { return candidate }
            return .language(name: name + " (nightly)", configuration)
        }
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
                    steps: summary.steps, units: configuration.vocabularySize, samples: []))
            case .language(let name, let configuration):
                let tokenizer = SubwordTokenizer(fittingOn: lines, maximumWords: configuration.maximumWords)
                var model = LanguageModel(configuration: configuration, tokenizer: tokenizer, seed: seed)
                let initial = model.score(heldOut).bitsPerCharacter
                let start = cpuSeconds()
                let summary = model.train(on: lines, heldOut: heldOut, budget: budget, shuffleSeed: seed)
                let spent = cpuSeconds() - start
                var generator = SeededGenerator(seed: seed)
                let rules = kind == .titles ? DecodingRules.titles : DecodingRules.synopses
                rows.append(Row(
                    name: name, heldOutBitsPerCharacter: summary.bestHeldOut?.bitsPerCharacter ?? .nan, initialBitsPerCharacter: initial,
                    cpuSeconds: spent, steps: summary.steps, units: tokenizer.count,
                    samples: (0..<5).map { _ in model.generate(rules: rules, using: &generator) }))
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
