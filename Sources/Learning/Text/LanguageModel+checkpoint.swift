public import Foundation

extension LanguageModel {
    /// The checkpoint kind of language models (the word BiLSTM's is `TextModel.checkpointKind`, "text").
    public static let checkpointKind = "language-model"

    /// The model as a checkpoint: its parameters, the tokenizer's units as the vocabulary, metadata `configuration`
    /// (JSON) and `steps` plus `extra` entries, and Adam's moments (tensors `adam.<parameter>.first`/`.second`,
    /// metadata `adam.<parameter>.step`), so a warm start resumes the optimizer where it stopped.
    public func checkpoint(metadata extra: [String: String] = [:]) -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of numbers cannot fail.
        let configurationJSON = String(decoding: try! encoder.encode(configuration), as: UTF8.self)
        var metadata = extra
        metadata["configuration"] = configurationJSON
        metadata["steps"] = String(stepsTaken)
        let adam = optimizer.checkpointEntries(for: parameters)
        metadata.merge(adam.metadata) { _, saved in saved }
        let tensors = parameters + adam.tensors
        return Checkpoint(kind: Self.checkpointKind, metadata: metadata, tensors: tensors, vocabulary: tokenizer.vocabulary)
    }

    /// Restores a model saved by `checkpoint(metadata:)`.
    /// - Throws: `CheckpointError` naming the checkpoint's file: `.wrongKind` (a word BiLSTM checkpoint, kind "text",
    ///   is refused this way), `.missingMetadata`, `.invalidMetadata`, `.invalidVocabulary`, `.missingTensor` or
    ///   `.shapeMismatch`.
    public init(checkpoint: Checkpoint) throws(CheckpointError) {
        try checkpoint.requireKind(Self.checkpointKind)
        let json = try checkpoint.metadata("configuration")
        guard let configuration = try? JSONDecoder().decode(LanguageModelConfiguration.self, from: Data(json.utf8)), configuration.isValid
        else { throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: "configuration", value: json)) }
        let steps = try checkpoint.integerMetadata("steps")
        guard let tokenizer = SubwordTokenizer(vocabulary: checkpoint.vocabulary) else {
            throw CheckpointError(path: checkpoint.displayPath, .invalidVocabulary(
                reason: "\(checkpoint.vocabulary.count) units; they must be <bos>, <eos>, <unk>, then single characters, then words"))
        }
        let (v, e, h) = (tokenizer.count, configuration.embeddingDimension, configuration.hiddenUnits)
        self.configuration = configuration
        self.tokenizer = tokenizer
        embedding = Embedding(table: try checkpoint.tensor(named: "embedding.table", shape: [v, e]))
        recurrent = LSTM(
            kernel: try checkpoint.tensor(named: "lstm.kernel", shape: [e, 4 * h]),
            recurrentKernel: try checkpoint.tensor(named: "lstm.recurrentKernel", shape: [h, 4 * h]),
            bias: try checkpoint.tensor(named: "lstm.bias", shape: [4 * h]))
        output = Dense(
            weight: try checkpoint.tensor(named: "dense.weight", shape: [h, v]),
            bias: try checkpoint.tensor(named: "dense.bias", shape: [v]))
        stepsTaken = steps
        optimizer = Adam(learningRate: configuration.learningRate)
        try optimizer.restoreMoments(of: parameters, from: checkpoint)
    }

    /// Writes the model's checkpoint to `url` atomically.
    /// - Throws: `CheckpointError.Kind.writeFailed`.
    public func save(to url: URL, metadata extra: [String: String] = [:]) throws(CheckpointError) {
        try checkpoint(metadata: extra).write(to: url)
    }

    /// Reads a model saved by `save(to:)`.
    /// - Throws: any `CheckpointError` of `Checkpoint.read(from:)` or `init(checkpoint:)`, naming `url`'s path.
    public static func load(from url: URL) throws(CheckpointError) -> LanguageModel {
        try LanguageModel(checkpoint: Checkpoint.read(from: url))
    }
}
