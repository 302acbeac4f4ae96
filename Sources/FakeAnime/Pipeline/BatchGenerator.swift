public import Foundation
import Imaging
public import Learning

/// Generates a batch of fake anime from the accepted models into `archive/.staging/<batch>/`: for each entry a
/// title, a synopsis and a poster (PNG at the model's native size plus an upscaled display copy), all drawn from one
/// seed recorded with the entry, and `batch.json`.
///
/// Language models (the nightly ones) sample under `titleRules` and `synopsisRules`: temperature, top-p, no repeated
/// 3-gram, stop at the end marker, titles never ending on a function word, synopses ending with a sentence. A word
/// BiLSTM accepted before issue 10 still generates the way it always did (openers, top-k, a full stop appended).
public struct BatchGenerator: Sendable {
    /// The three accepted models and their versions.
    public struct Models: Sendable {
        public var titles: NightlyTextModel
        public var synopses: NightlyTextModel
        public var posters: DCGAN
        /// Versions by kind, recorded in the lineage.
        public var versions: [String: String]
        /// Words real titles and synopses start with, repeated as often as they do (a word BiLSTM draws its first word
        /// from them; language models start from their begin marker); empty lists fall back to the most frequent words.
        public var titleOpeners: [String]
        public var synopsisOpeners: [String]

        public init(
            titles: NightlyTextModel, synopses: NightlyTextModel, posters: DCGAN, versions: [String: String], titleOpeners: [String] = [],
            synopsisOpeners: [String] = []
        ) {
            self.titles = titles
            self.synopses = synopses
            self.posters = posters
            self.versions = versions
            self.titleOpeners = titleOpeners.filter { word in
                if case .wordBiLSTM(let model) = titles { model.tokenizer.id(of: word) != nil } else { true }
            }
            self.synopsisOpeners = synopsisOpeners.filter { word in
                if case .wordBiLSTM(let model) = synopses { model.tokenizer.id(of: word) != nil } else { true }
            }
        }

        /// The first word of each line, as the tokenizer splits it.
        public static func openers(of lines: [String]) -> [String] {
            lines.compactMap { Tokenizer.words(in: $0).first }
        }
    }

    /// Side of the display copy of each poster.
    public static let displaySize = 256
    /// Largest seed (2^53 − 1), so JSON readers keep seeds exact.
    public static let seedMask: UInt64 = (1 << 53) - 1

    public let models: Models
    /// How language models sample titles and synopses.
    public var titleRules = DecodingRules.titles
    public var synopsisRules = DecodingRules.synopses
    /// Sampling temperature and top-k of a word BiLSTM.
    public var temperature: Float = 0.8
    public var topK: Int = 12

    public init(models: Models) { self.models = models }

    /// The seed of entry `index` of a batch whose seed is `batchSeed`.
    public static func entrySeed(batchSeed: UInt64, index: Int) -> Int64 {
        var mixer = SeededGenerator(seed: batchSeed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        return Int64(mixer.next() & seedMask)
    }

    /// Titles a batch must not print, lower-cased: the training titles. A drawn title that is one of them is drawn again
    /// (up to ``titleRedraws`` times), so a model that has seen a title can still publish without copying it.
    public var avoidedTitles: Set<String> = []
    /// How many times a copied title is drawn again before it is kept (a model that only memorises keeps copying, and
    /// the quality gate rejects it).
    public static let titleRedraws = 8

    /// One entry's title and synopsis from `seed`.
    public func text(seed: Int64) -> (title: String, synopsis: String) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let title = Self.title(
            models.titles, openers: models.titleOpeners, rules: titleRules, temperature: temperature, topK: topK, avoiding: avoidedTitles,
            using: &generator)
        let synopsis = Self.synopsis(
            models.synopses, openers: models.synopsisOpeners, rules: synopsisRules, temperature: temperature, topK: topK, using: &generator)
        return (title, synopsis)
    }

    /// A title as batches make them: a language model samples under `rules`; a word BiLSTM draws up to 6 words from an
    /// opener and keeps 2–4, never ending on a word like "of" or "the". A title in `avoiding` (lower-cased) is drawn
    /// again, up to ``titleRedraws`` times.
    public static func title(
        _ model: NightlyTextModel, openers: [String], rules: DecodingRules = .titles, temperature: Float = 0.8, topK: Int = 12,
        avoiding: Set<String> = [], using generator: inout SeededGenerator
    ) -> String {
        var title = ""
        for _ in 0...titleRedraws {
            switch model {
            case .language(let model): title = model.generate(rules: rules, using: &generator)
            case .wordBiLSTM(let model): title = wordTitle(model, openers: openers, temperature: temperature, topK: topK, using: &generator)
            }
            title = Self.singleSpaced(title)
            if !avoiding.contains(title.lowercased()) { break }
        }
        return title
    }

    /// Runs of whitespace (a sampled space beside a word unit's own) as one space, none at the ends.
    static func singleSpaced(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// A synopsis as batches make them: a language model samples under `rules`; a word BiLSTM writes 28–48 words from an
    /// opener, drops trailing function words and appends a full stop.
    public static func synopsis(
        _ model: NightlyTextModel, openers: [String], rules: DecodingRules = .synopses, temperature: Float = 0.8, topK: Int = 12,
        using generator: inout SeededGenerator
    ) -> String {
        switch model {
        case .language(let model): return singleSpaced(model.generate(rules: rules, using: &generator))
        case .wordBiLSTM(let model): return wordSynopsis(model, openers: openers, temperature: temperature, topK: topK, using: &generator)
        }
    }

    static func wordTitle(
        _ model: TextModel, openers: [String], temperature: Float, topK: Int, using generator: inout SeededGenerator
    ) -> String {
        let opener = Self.opener(openers, model.tokenizer, using: &generator)
        let drafted = Self.words(model.generate(seed: opener, words: 5, temperature: temperature, topK: topK, using: &generator))
        var title = Array(drafted.prefix(Int.random(in: 2...4, using: &generator)))
        while let last = title.last, Self.dangling.contains(last), title.count < drafted.count { title.append(drafted[title.count]) }
        while let last = title.last, Self.dangling.contains(last), title.count > 1 { title.removeLast() }
        return Self.titleCase(title.joined(separator: " "))
    }

    static func wordSynopsis(
        _ model: TextModel, openers: [String], temperature: Float, topK: Int, using generator: inout SeededGenerator
    ) -> String {
        let synopsisOpener = Self.opener(openers, model.tokenizer, using: &generator)
        let synopsisWords = Int.random(in: 28...48, using: &generator)
        var synopsis = Self.words(model.generate(
            seed: synopsisOpener, words: synopsisWords - 1, temperature: temperature, topK: topK, using: &generator))
        while let last = synopsis.last, Self.dangling.contains(last), synopsis.count > 1 { synopsis.removeLast() }
        return Self.sentence(synopsis.joined(separator: " "))
    }

    /// Words a title or sentence should not end on.
    static let dangling: Set<String> = [
        "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "into", "is", "my", "who",
        "her", "his", "their", "as", "but", "that",
    ]

    /// The words of generated text with immediate repeats ("is is") dropped.
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        for word in text.split(separator: " ").map(String.init) where word != result.last { result.append(word) }
        return result
    }

    /// Writes entries `0..<count` of `manifest`'s batch into `directory` (created), then `batch.json`.
    /// - Parameter progress: called after each entry with its index.
    public func write(
        count: Int, batchSeed: UInt64, into directory: URL, manifest: BatchManifest, progress: (Int) -> Void = { _ in }
    ) throws -> BatchManifest {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var manifest = manifest
        manifest.entries = []
        let size = models.posters.configuration.imageSize
        let seeds = (0..<count).map { Self.entrySeed(batchSeed: batchSeed, index: $0) }
        let posters = models.posters.generate(seeds: seeds.map { UInt64($0) })
        let plane = 3 * size * size
        for (index, seed) in seeds.enumerated() {
            let (title, synopsis) = text(seed: seed)
            let image = RGBImage(tensor: Array(posters.storage[(index * plane)..<((index + 1) * plane)]), width: size, height: size)
            let display = image.resized(width: Self.displaySize, height: Self.displaySize)
            let poster = String(format: "%03d.png", index), posterDisplay = String(format: "%03d-display.png", index)
            try Data(PNG.encode(image)).write(to: directory.appendingPathComponent(poster))
            try Data(PNG.encode(display)).write(to: directory.appendingPathComponent(posterDisplay))
            manifest.entries.append(.init(entry: index, title: title, synopsis: synopsis, poster: poster, posterDisplay: posterDisplay, seed: seed))
            progress(index)
        }
        try manifest.write(to: directory)
        return manifest
    }

    /// The first word: drawn from `openers` (real first words, by frequency) when there are any, else one of the
    /// tokenizer's 30 most frequent words, weighted towards the top.
    static func opener(_ openers: [String], _ tokenizer: Tokenizer, using generator: inout some RandomNumberGenerator) -> String {
        if !openers.isEmpty { return openers[Int.random(in: 0..<openers.count, using: &generator)] }
        let words = Array(tokenizer.vocabulary.dropFirst().prefix(30))
        guard !words.isEmpty else { return "" }
        let pick = Int(Double(words.count) * pow(Double.random(in: 0..<1, using: &generator), 2))
        return words[min(pick, words.count - 1)]
    }

    /// "the crimson academy" → "The Crimson Academy".
    static func titleCase(_ text: String) -> String {
        text.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// Capitalises the first letter and ends with a full stop.
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return trimmed }
        return first.uppercased() + trimmed.dropFirst() + "."
    }
}
