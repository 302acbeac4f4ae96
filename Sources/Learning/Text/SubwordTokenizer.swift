/// A lossless tokenizer for the nightly language models: every character of the text becomes a unit, except that the
/// most frequent words may be single units of their own ("words, else their characters").
///
/// - Case, punctuation and spaces are kept: `decode(encode(text)) == text` for any text made of characters seen in
///   training, including words never seen (they are spelled out character by character).
/// - Ids 0, 1 and 2 are the markers `<bos>` (begin), `<eos>` (end) and `<unk>` (a character never seen in training);
///   then come the characters, then (when `maximumWords > 0`) the words.
/// - A word is a maximal run of letters, digits and apostrophes; it is one unit when it is in the vocabulary.
///
/// ```swift
/// let tokenizer = SubwordTokenizer(fittingOn: ["The cat sat.", "The dog sat!"], maximumWords: 0)
/// let ids = tokenizer.encodeLine("The rat sat?")   // [<bos>, T, h, e, " ", r, a, t, " ", s, a, t, ?, <eos>]
/// tokenizer.decode(ids)                               // "The rat sat?"
/// ```
public struct SubwordTokenizer: Sendable, Equatable {
    /// The begin marker's id.
    public static let begin = 0
    /// The end marker's id.
    public static let end = 1
    /// The id of characters the tokenizer never saw.
    public static let unknown = 2
    /// The markers' spellings, by id.
    public static let markers = ["<bos>", "<eos>", "<unk>"]

    /// Every unit by id: the markers, the single characters, then the words.
    public let vocabulary: [String]
    /// How many single-character units there are (ids `3..<3 + characterCount`).
    public let characterCount: Int
    private let ids: [String: Int]

    /// Fits the units on `lines`: every character seen, plus up to `maximumWords` words (at least two characters long)
    /// seen `minimumCount` times or more, the most frequent first (ties go to the word seen first).
    public init(fittingOn lines: [String], maximumWords: Int, minimumCount: Int = 3) {
        precondition(maximumWords >= 0 && minimumCount >= 1, "maximumWords \(maximumWords) and minimumCount \(minimumCount) must be ≥ 0 and ≥ 1")
        var characters: [String] = []
        var seenCharacters: Set<String> = []
        var counts: [String: Int] = [:]
        var firstSeen: [String] = []
        for line in lines {
            for character in line where seenCharacters.insert(String(character)).inserted { characters.append(String(character)) }
            for piece in Self.pieces(of: line) where piece.isWord && piece.text.count >= 2 {
                if let count = counts[piece.text] { counts[piece.text] = count + 1 } else {
                    counts[piece.text] = 1
                    firstSeen.append(piece.text)
                }
            }
        }
        let words = firstSeen.enumerated()
            .filter { counts[$0.element]! >= minimumCount }
            .sorted { a, b in
                let (countA, countB) = (counts[a.element]!, counts[b.element]!)
                return countA != countB ? countA > countB : a.offset < b.offset
            }
            .prefix(maximumWords).map(\.element)
        self.init(unchecked: Self.markers + characters + words, characterCount: characters.count)
    }

    /// Restores a tokenizer from its `vocabulary` (as stored in a checkpoint).
    /// - Returns: `nil` unless the vocabulary starts with the three markers, then single characters, then words of two
    ///   or more word characters, with no unit twice.
    public init?(vocabulary: [String]) {
        guard vocabulary.count > Self.markers.count, Array(vocabulary.prefix(Self.markers.count)) == Self.markers,
            Set(vocabulary).count == vocabulary.count
        else { return nil }
        let units = vocabulary.dropFirst(Self.markers.count)
        let characterCount = units.prefix { $0.count == 1 }.count
        let words = units.dropFirst(characterCount)
        guard words.allSatisfy({ $0.count >= 2 && $0.allSatisfy(Self.isWordCharacter) }) else { return nil }
        self.init(unchecked: vocabulary, characterCount: characterCount)
    }

    private init(unchecked vocabulary: [String], characterCount: Int) {
        self.vocabulary = vocabulary
        self.characterCount = characterCount
        var ids: [String: Int] = [:]
        for (id, unit) in vocabulary.enumerated() where id >= Self.markers.count { ids[unit] = id }
        self.ids = ids
    }

    /// Equal when the vocabularies are.
    public static func == (lhs: SubwordTokenizer, rhs: SubwordTokenizer) -> Bool { lhs.vocabulary == rhs.vocabulary }

    /// The number of ids (the model's input and output classes).
    public var count: Int { vocabulary.count }

    /// How many word units there are.
    public var wordCount: Int { vocabulary.count - Self.markers.count - characterCount }

    /// Whether `character` belongs to a word: a letter, a digit or an apostrophe.
    public static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "'" || character == "’"
    }

    /// `text` cut into words (maximal runs of word characters) and single other characters, in order.
    public static func pieces(of text: String) -> [(text: String, isWord: Bool)] {
        var pieces: [(text: String, isWord: Bool)] = []
        var word = ""
        for character in text {
            if isWordCharacter(character) {
                word.append(character)
            } else {
                if !word.isEmpty { pieces.append((word, true)) }
                word = ""
                pieces.append((String(character), false))
            }
        }
        if !word.isEmpty { pieces.append((word, true)) }
        return pieces
    }

    /// The lower-cased words of `text` (what "a repeated 3-gram of words" compares).
    public static func words(in text: String) -> [String] {
        pieces(of: text).filter(\.isWord).map { $0.text.lowercased() }
    }

    /// The ids of `text`, without markers: known words as one unit, other words and characters one unit per character,
    /// characters never seen as `unknown`.
    public func encode(_ text: String) -> [Int] {
        var result: [Int] = []
        for piece in Self.pieces(of: text) {
            if piece.isWord, piece.text.count >= 2, let id = ids[piece.text] {
                result.append(id)
            } else {
                for character in piece.text { result.append(ids[String(character)] ?? Self.unknown) }
            }
        }
        return result
    }

    /// `<bos>`, the ids of `line`, `<eos>`.
    public func encodeLine(_ line: String) -> [Int] { [Self.begin] + encode(line) + [Self.end] }

    /// The text of `ids`: units concatenated, markers dropped, `unknown` as U+FFFD.
    public func decode(_ ids: [Int]) -> String {
        var text = ""
        for id in ids { text += piece(for: id) }
        return text
    }

    /// The text of one id: its unit, "" for the begin and end markers and ids outside the vocabulary, U+FFFD for `unknown`.
    public func piece(for id: Int) -> String {
        if id == Self.unknown { return "\u{FFFD}" }
        return id >= Self.markers.count && id < vocabulary.count ? vocabulary[id] : ""
    }
}
