import Foundation

extension TextModel {
    /// Continues `text` by `words` words, one full forward pass per word as the original app did: the text so far is
    /// tokenized, its last `inputLength` ids left-padded, and the next id drawn from the softmax of the logits.
    /// Padding (id 0) and ids without a word are never drawn.
    /// - Parameters:
    ///   - text: the seed (may be empty, as for the original's titles).
    ///   - words: how many words to add.
    ///   - temperature: divides the logits before the softmax; 0 (or less) picks the most likely word.
    ///   - topK: draw only among the `topK` most likely words; 0 means all, 1 is greedy.
    /// - Returns: the seed with its whitespace collapsed, then the new words, separated by single spaces.
    public func generate(
        seed text: String, words: Int, temperature: Float = 1, topK: Int = 0, using generator: inout some RandomNumberGenerator
    ) -> String {
        var pieces = text.split(whereSeparator: \.isWhitespace).map(String.init)
        var ids = tokenizer.encode(text)
        let length = configuration.inputLength
        // Ids 1..<candidates have words; predictions are restricted to them.
        let candidates = min(tokenizer.vocabulary.count, configuration.vocabularySize)
        guard candidates > 1 else { return pieces.joined(separator: " ") }
        var context = [Int32](repeating: 0, count: length)
        for _ in 0..<max(words, 0) {
            let kept = ids.suffix(length)
            for i in 0..<length { context[i] = 0 }
            for (offset, id) in kept.enumerated() { context[length - kept.count + offset] = Int32(id) }
            // The ids come from the tokenizer, so they are in range.
            let logits = try! forwardLogits(inputs: context)
            let next = Self.draw(logits.storage[1..<candidates], temperature: temperature, topK: topK, using: &generator) + 1
            ids.append(next)
            pieces.append(tokenizer.vocabulary[next])
        }
        return pieces.joined(separator: " ")
    }

    /// The index (from 0) drawn from `logits` with `temperature` and `topK`; ties in greedy mode go to the lowest index.
    static func draw(_ logits: ArraySlice<Float>, temperature: Float, topK: Int, using generator: inout some RandomNumberGenerator) -> Int {
        let values = Array(logits)
        if temperature <= 0 || topK == 1 {
            var best = 0
            for i in 1..<values.count where values[i] > values[best] { best = i }
            return best
        }
        var order = Array(values.indices)
        if topK > 0 && topK < values.count {
            order.sort { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
            order.removeLast(values.count - topK)
        }
        let maximum = order.map { values[$0] }.max()!
        let weights = order.map { exp(Double(values[$0] - maximum) / Double(temperature)) }
        let total = weights.reduce(0, +)
        var threshold = Double(generator.next() >> 11) * 0x1p-53 * total
        for (position, weight) in weights.enumerated() {
            threshold -= weight
            if threshold < 0 { return order[position] }
        }
        return order[order.count - 1]
    }
}
