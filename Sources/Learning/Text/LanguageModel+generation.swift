import Foundation

extension LanguageModel {
    /// Samples one text from `<bos>` (then `prefix`, if any) under `rules`: temperature and nucleus (top-p) sampling,
    /// no 3-gram of words twice, the end marker only once the text may end (at least `minimumWords` words and a valid
    /// ending), and at `maximumWords` words a cut back to the last valid ending. A draw that reaches no valid ending is
    /// tried again, up to `rules.attempts` times.
    /// - Returns: the text, or the best-effort cut of the last attempt (`""` if nothing in it ended validly).
    public func generate(prefix: String = "", rules: DecodingRules, using generator: inout some RandomNumberGenerator) -> String {
        var fallback = ""
        for _ in 0..<rules.attempts {
            let draft = draw(prefix: prefix, rules: rules, using: &generator)
            guard let text = rules.validPrefix(of: draft), !Self.hasRepeatedTrigram(SubwordTokenizer.words(in: text)) else { continue }
            if SubwordTokenizer.words(in: text).count >= rules.minimumWords { return text }
            fallback = text
        }
        return fallback
    }

    /// Where sampling stood just before a unit was drawn: what a rollback returns to.
    private struct Point {
        var state: LSTM.State
        var logits: [Float]
        var text: String
        var words: [String]
        var word: String
        /// Units not to draw again from here (each once led to a repeated 3-gram).
        var banned: Set<Int>
    }

    /// One draft: the text when the end marker was drawn or the word limit reached (maybe not a valid ending yet).
    private func draw(prefix: String, rules: DecodingRules, using generator: inout some RandomNumberGenerator) -> String {
        var state = LSTM.State(batch: 1, units: recurrent.units)
        var gates: [Float] = []
        var logits: [Float] = []
        func feed(_ id: Int) {
            embedding.table.storage.withUnsafeBufferPointer { table in
                recurrent.step(table.baseAddress! + id * embedding.dimension, state: &state, gates: &gates)
            }
            logits = nextLogits(state.hidden)
        }
        feed(SubwordTokenizer.begin)
        var text = "", words: [String] = [], word = ""
        for id in tokenizer.encode(prefix) {
            feed(id)
            append(tokenizer.piece(for: id), to: &text, words: &words, word: &word)
        }
        var banned: Set<Int> = []
        var wordStart: Point?
        var rollbacks = 0
        // A generous bound on units: words are rarely longer than 20 characters.
        let maximumUnits = rules.maximumWords * 24 + 64
        for _ in 0..<maximumUnits {
            let canEnd = words.count + (word.isEmpty ? 0 : 1) >= rules.minimumWords && rules.accepts(text[...])
            var excluded = banned
            excluded.insert(SubwordTokenizer.begin)
            excluded.insert(SubwordTokenizer.unknown)
            if !canEnd { excluded.insert(SubwordTokenizer.end) }
            guard let id = Self.sample(logits, excluding: excluded, temperature: rules.temperature, topP: rules.topP, using: &generator)
            else { break }
            let before = Point(state: state, logits: logits, text: text, words: words, word: word, banned: banned.union([id]))
            banned = []
            let piece = id == SubwordTokenizer.end ? "" : tokenizer.piece(for: id)
            let startsWord = word.isEmpty && piece.first.map(SubwordTokenizer.isWordCharacter) == true
            let endsWord = !word.isEmpty && (id == SubwordTokenizer.end || piece.first.map(SubwordTokenizer.isWordCharacter) == false)
            if startsWord { wordStart = before }
            if endsWord {
                let candidate = words + [word.lowercased()]
                if Self.repeatsTrigram(candidate) {
                    // Back to just before the word's first unit, which is not drawn there again.
                    guard let start = wordStart, rollbacks < 40 else { return wordStart?.text ?? text }
                    rollbacks += 1
                    (state, logits, text, words, word, banned) = (start.state, start.logits, start.text, start.words, start.word, start.banned)
                    wordStart = nil
                    continue
                }
            }
            if id == SubwordTokenizer.end { break }
            append(piece, to: &text, words: &words, word: &word)
            if words.count >= rules.maximumWords { break }
            feed(id)
        }
        return text
    }

    /// Appends `piece` to the text, moving a finished word into `words`.
    private func append(_ piece: String, to text: inout String, words: inout [String], word: inout String) {
        for character in piece {
            if SubwordTokenizer.isWordCharacter(character) {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word.lowercased())
                word = ""
            }
        }
        text += piece
    }

    /// Whether the last three words already occur earlier in `words`.
    static func repeatsTrigram(_ words: [String]) -> Bool {
        let n = words.count
        guard n >= 4 else { return false }
        let last = words[(n - 3)...]
        for start in 0..<(n - 3) where words[start] == last[n - 3] && words[start + 1] == last[n - 2] && words[start + 2] == last[n - 1] {
            return true
        }
        return false
    }

    /// Whether any 3-gram of `words` occurs twice.
    public static func hasRepeatedTrigram(_ words: [String]) -> Bool {
        guard words.count >= 4 else { return false }
        var seen: Set<[String]> = []
        for start in 0...(words.count - 3) where !seen.insert(Array(words[start..<(start + 3)])).inserted { return true }
        return false
    }

    /// The output logits for one hidden state.
    private func nextLogits(_ hidden: [Float]) -> [Float] {
        let v = output.bias.count, h = hidden.count
        var logits = output.bias.storage
        hidden.withUnsafeBufferPointer { x in
            output.weight.storage.withUnsafeBufferPointer { w in
                logits.withUnsafeMutableBufferPointer { z in
                    sgemm(m: 1, n: v, k: h, x.baseAddress!, lda: h, w.baseAddress!, ldb: v, beta: 1, z.baseAddress!, ldc: v)
                }
            }
        }
        return logits
    }

    /// Draws an index from `softmax(logits / temperature)` restricted to the smallest set of most likely indices whose
    /// probability reaches `topP` (ties to the lower index), never one in `excluded`; nil when every index is excluded.
    static func sample(
        _ logits: [Float], excluding excluded: Set<Int>, temperature: Float, topP: Float, using generator: inout some RandomNumberGenerator
    ) -> Int? {
        let candidates = logits.indices.filter { !excluded.contains($0) }
        guard let maximum = candidates.map({ logits[$0] }).max() else { return nil }
        var weighted = candidates.map { ($0, exp(Double(logits[$0] - maximum) / Double(temperature))) }
        weighted.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let total = weighted.reduce(0) { $0 + $1.1 }
        var kept = 0, mass = 0.0
        while kept < weighted.count && (kept == 0 || mass < Double(topP) * total) {
            mass += weighted[kept].1
            kept += 1
        }
        var threshold = Double(generator.next() >> 11) * 0x1p-53 * mass
        for (index, weight) in weighted.prefix(kept) {
            threshold -= weight
            if threshold < 0 { return index }
        }
        return weighted[kept - 1].0
    }
}
