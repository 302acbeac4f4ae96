/// A word-level tokenizer with the semantics of Keras's `Tokenizer(num_words: maximumWords)` as the original Fake
/// Anime Generator used it (see the ML reference README, "Text preprocessing"):
///
/// - text is lower-cased and ASCII punctuation (Python's `string.punctuation`) is deleted, so `"Don't!"` becomes
///   `"dont"`, then split on whitespace;
/// - ids run from 1 in descending word frequency, ties going to the word seen first; id 0 is padding;
/// - a word whose id would be `maximumWords` or more is dropped when encoding (there is no out-of-vocabulary token).
///
/// ```swift
/// let tokenizer = Tokenizer(fittingOn: ["The cat sat.", "The dog sat!"], maximumWords: 2500)
/// tokenizer.encode("the dog")   // [1, 4]   (the: 2, sat: 2, cat: 1, dog: 1)
/// tokenizer.decode([1, 3])      // "the cat"
/// ```
public struct Tokenizer: Sendable, Equatable {
    /// Keras's `num_words`: ids are below it, so a model predicting ids needs `maximumWords` outputs.
    public let maximumWords: Int
    /// The kept words by id: `vocabulary[0]` is `""` (padding), then the words with ids `1..<maximumWords`
    /// (fewer when the corpus has fewer distinct words).
    public let vocabulary: [String]
    private let ids: [String: Int]

    /// Fits the tokenizer on `lines`, counting every word.
    /// - Parameter maximumWords: Keras's `num_words`; at least 2 (id 0 is padding).
    public init(fittingOn lines: [String], maximumWords: Int) {
        precondition(maximumWords >= 2, "a tokenizer needs room for padding and one word, got maximumWords \(maximumWords)")
        var counts: [String: Int] = [:]
        var firstSeen: [String] = []
        for line in lines {
            for word in Self.words(in: line) {
                if let count = counts[word] { counts[word] = count + 1 } else {
                    counts[word] = 1
                    firstSeen.append(word)
                }
            }
        }
        // Stable sort of first-seen order by descending count: ties keep first-seen order (Python's sorted is stable).
        let ranked = firstSeen.enumerated().sorted { a, b in
            let (countA, countB) = (counts[a.element]!, counts[b.element]!)
            return countA != countB ? countA > countB : a.offset < b.offset
        }
        self.init(uncheckedVocabulary: [""] + ranked.prefix(maximumWords - 1).map(\.element), maximumWords: maximumWords)
    }

    /// Restores a tokenizer from its `vocabulary` (as stored in a checkpoint).
    /// - Returns: `nil` when `vocabulary` does not start with `""`, has an empty, repeated or non-normalised word
    ///   (one `words(in:)` would not produce), or has `maximumWords` or more entries.
    public init?(vocabulary: [String], maximumWords: Int) {
        guard maximumWords >= 2, vocabulary.first == "", vocabulary.count <= maximumWords,
            Set(vocabulary).count == vocabulary.count,
            vocabulary.dropFirst().allSatisfy({ Self.words(in: $0) == [$0] })
        else { return nil }
        self.init(uncheckedVocabulary: vocabulary, maximumWords: maximumWords)
    }

    private init(uncheckedVocabulary vocabulary: [String], maximumWords: Int) {
        self.maximumWords = maximumWords
        self.vocabulary = vocabulary
        var ids: [String: Int] = [:]
        for (id, word) in vocabulary.enumerated() where id > 0 { ids[word] = id }
        self.ids = ids
    }

    /// Equal when the word limit and vocabulary agree.
    public static func == (lhs: Tokenizer, rhs: Tokenizer) -> Bool {
        lhs.maximumWords == rhs.maximumWords && lhs.vocabulary == rhs.vocabulary
    }

    /// The normalised words of `text`: lower-cased, ASCII punctuation deleted, split on whitespace.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isWhitespace {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if !(character.isASCII && character.isPunctuationOrSymbolASCII) {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The ids of `text`'s words, skipping words not in the vocabulary.
    public func encode(_ text: String) -> [Int] {
        Self.words(in: text).compactMap { ids[$0] }
    }

    /// The id of `word` (already normalised), or `nil` when it is not kept.
    public func id(of word: String) -> Int? { ids[word] }

    /// The word with `id`, or `nil` for padding (0) and ids outside the vocabulary.
    public func word(for id: Int) -> String? {
        id > 0 && id < vocabulary.count ? vocabulary[id] : nil
    }

    /// The words of `ids` joined by single spaces; padding and unknown ids are skipped.
    public func decode(_ ids: [Int]) -> String {
        ids.compactMap { word(for: $0) }.joined(separator: " ")
    }
}

extension Character {
    /// One of Python's `string.punctuation`: ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``.
    fileprivate var isPunctuationOrSymbolASCII: Bool {
        guard let scalar = unicodeScalars.first, unicodeScalars.count == 1 else { return false }
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }
}
