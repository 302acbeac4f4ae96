/// How `LanguageModel.generate` samples and where it may stop.
public struct DecodingRules: Sendable, Equatable {
    /// What the text must end with.
    public enum Ending: Sendable, Equatable {
        /// A sentence end: `.`, `!` or `?` (closing quotes or brackets may follow). Text cut at the word limit ends at
        /// its last complete sentence.
        case sentence
        /// A word that is not one of `functionWords` (compared lower-cased): titles never end on "of" or "the".
        case contentWord
    }

    /// Divides the logits before the softmax.
    public var temperature: Float
    /// Nucleus sampling: draw only among the most likely units whose probabilities add up to `topP`.
    public var topP: Float
    /// The end marker is not drawn before this many words.
    public var minimumWords: Int
    /// Generation stops at this many words (and cuts back to a valid ending).
    public var maximumWords: Int
    /// What the text must end with.
    public var ending: Ending
    /// Fresh draws tried when one fails to reach a valid ending (e.g. a synopsis with no complete sentence).
    public var attempts: Int

    public init(
        temperature: Float = 0.8, topP: Float = 0.9, minimumWords: Int, maximumWords: Int, ending: Ending, attempts: Int = 6
    ) {
        precondition(temperature > 0 && topP > 0 && topP <= 1 && minimumWords >= 1 && maximumWords >= minimumWords && attempts >= 1,
                     "invalid decoding rules")
        self.temperature = temperature
        self.topP = topP
        self.minimumWords = minimumWords
        self.maximumWords = maximumWords
        self.ending = ending
        self.attempts = attempts
    }

    /// Titles: 1–8 words, never ending on a function word.
    public static let titles = DecodingRules(minimumWords: 1, maximumWords: 8, ending: .contentWord)
    /// Synopses: 20–90 words, ending with a sentence end.
    public static let synopses = DecodingRules(minimumWords: 20, maximumWords: 90, ending: .sentence)

    /// Words a title may not end on.
    public static let functionWords: Set<String> = [
        "a", "an", "the", "of", "and", "or", "but", "nor", "to", "in", "on", "at", "by", "for", "from", "with", "into", "onto",
        "upon", "as", "is", "are", "was", "be", "that", "which", "who", "whose", "my", "your", "his", "her", "its", "our",
        "their", "this", "these", "those", "than", "no", "not", "over", "under", "about", "after", "before", "between",
        "through", "without", "within", "against", "among", "so", "if", "when", "while", "where",
    ]

    /// Whether `text` ends as a sentence: `.`, `!` or `?`, then only closing quotes or brackets.
    public static func endsSentence(_ text: Substring) -> Bool {
        for character in text.reversed() {
            if "\"'”’)]".contains(character) { continue }
            return ".!?".contains(character)
        }
        return false
    }

    /// Whether `text`'s last word is not a function word, with nothing but `!`, `?` or closing marks after it.
    public static func endsOnContentWord(_ text: Substring) -> Bool {
        var trailing = text[...]
        while let last = trailing.last, !SubwordTokenizer.isWordCharacter(last) {
            guard "!?\"”)".contains(last) else { return false }
            trailing = trailing.dropLast()
        }
        guard let word = SubwordTokenizer.words(in: String(trailing)).last else { return false }
        return !functionWords.contains(word)
    }

    /// Whether `text` may end here under `ending`.
    func accepts(_ text: Substring) -> Bool {
        switch ending {
        case .sentence: Self.endsSentence(text)
        case .contentWord: Self.endsOnContentWord(text)
        }
    }

    /// The longest prefix of `text` that ends validly, cut between words and with trailing whitespace trimmed, or nil.
    func validPrefix(of text: String) -> String? {
        var end = text.endIndex
        while end > text.startIndex {
            defer { end = text.index(before: end) }
            // Never inside a word: "Blade Runn" is not a title.
            if end < text.endIndex && SubwordTokenizer.isWordCharacter(text[end])
                && SubwordTokenizer.isWordCharacter(text[text.index(before: end)]) { continue }
            let candidate = text[..<end]
            let trimmed = candidate.reversed().drop { $0.isWhitespace }.count
            let prefix = candidate.prefix(trimmed)
            if !prefix.isEmpty && accepts(prefix) { return String(prefix) }
        }
        return nil
    }
}
