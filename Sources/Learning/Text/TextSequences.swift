/// Next-word training examples: each row of `inputs` is a left-padded prefix of a line's token ids and its label is
/// the token that follows (the original app's n-gram prefixes).
public struct TextSequences: Sendable, Equatable {
    /// The number of examples.
    public let count: Int
    /// The ids each example feeds the model; 0 is padding on the left.
    public let inputLength: Int
    /// `[count, inputLength]` token ids, row-major.
    public let inputs: [Int32]
    /// The id to predict for each example.
    public let labels: [Int32]

    /// Wraps prepared examples.
    /// - Parameters:
    ///   - inputs: `[labels.count, inputLength]` ids, row-major; traps when the count does not match.
    public init(inputs: [Int32], labels: [Int32], inputLength: Int) {
        precondition(inputLength > 0 && inputs.count == labels.count * inputLength,
                     "\(inputs.count) input ids for \(labels.count) examples of length \(inputLength)")
        self.count = labels.count
        self.inputLength = inputLength
        self.inputs = inputs
        self.labels = labels
    }

    /// Every prefix of length 2…k of each line's k kept tokens: the prefix minus its last token, left-padded with 0
    /// to `inputLength` (a longer one keeps its last `inputLength` tokens), labelled with its last token. Examples
    /// come line by line, shortest prefix first, as Keras's `pad_sequences(…, padding="pre")` arrays did.
    /// - Parameter inputLength: the model's input length; `nil` uses the longest line's token count minus one
    ///   (the original's `max_sequence_len − 1`), at least 1.
    public init(lines: [String], tokenizer: Tokenizer, inputLength: Int? = nil) {
        let encoded = lines.map { tokenizer.encode($0) }.filter { $0.count >= 2 }
        let length = inputLength ?? max(1, (encoded.map(\.count).max() ?? 2) - 1)
        precondition(length > 0, "input length must be positive, got \(length)")
        var inputs: [Int32] = []
        var labels: [Int32] = []
        for ids in encoded {
            for end in 1..<ids.count {
                // The prefix ids[0..<end] predicts ids[end].
                let kept = ids[max(0, end - length)..<end]
                inputs.append(contentsOf: repeatElement(0, count: length - kept.count))
                inputs.append(contentsOf: kept.map { Int32($0) })
                labels.append(Int32(ids[end]))
            }
        }
        self.init(inputs: inputs, labels: labels, inputLength: length)
    }

    /// The input ids of example `index`.
    public func input(_ index: Int) -> ArraySlice<Int32> {
        inputs[(index * inputLength)..<((index + 1) * inputLength)]
    }

    /// The examples at `indices`, in that order (e.g. a held-out split).
    public func subset(_ indices: some Sequence<Int>) -> TextSequences {
        var inputs: [Int32] = [], labels: [Int32] = []
        for index in indices {
            inputs.append(contentsOf: input(index))
            labels.append(self.labels[index])
        }
        return TextSequences(inputs: inputs, labels: labels, inputLength: inputLength)
    }
}
