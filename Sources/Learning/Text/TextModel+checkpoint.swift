public import Foundation

extension TextModel {
    /// The checkpoint kind of text models.
    public static let checkpointKind = "text"

    /// The model as a checkpoint: its parameters, the tokenizer's vocabulary, and metadata `configuration` (JSON),
    /// `steps`, plus `extra` entries (which cannot override those two). Adam's moments are saved too (tensors
    /// `adam.<parameter>.first` and `.second`, metadata `adam.<parameter>.step`), so training resumes where it stopped.
    public func checkpoint(metadata extra: [String: String] = [:]) -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of integers and a Float cannot fail.
        let configurationJSON = String(decoding: try! encoder.encode(configuration), as: UTF8.self)
        var metadata = extra
        metadata["configuration"] = configurationJSON
        metadata["steps"] = String(stepsTaken)
        let adam = optimizer.checkpointEntries(for: parameters)
        metadata.merge(adam.metadata) { _, saved in saved }
        let tensors = parameters + adam.tensors
        return Checkpoint(kind: Self.checkpointKind, metadata: metadata, tensors: tensors, vocabulary: tokenizer.vocabulary)
    }

    /// Restores a model saved by `checkpoint(metadata:)`, with Adam's moments when the checkpoint has them (a
    /// checkpoint without them restarts the optimizer state).
    /// - Throws: `CheckpointError` naming the checkpoint's file: `.wrongKind`, `.missingMetadata`, `.invalidMetadata`,
    ///   `.invalidVocabulary`, `.missingTensor` or `.shapeMismatch`.
    public init(checkpoint: Checkpoint) throws(CheckpointError) {
        try checkpoint.requireKind(Self.checkpointKind)
        let json = try checkpoint.metadata("configuration")
        guard let configuration = try? JSONDecoder().decode(TextModelConfiguration.self, from: Data(json.utf8)),
            configuration.vocabularySize >= 2, configuration.inputLength >= 1, configuration.embeddingDimension >= 1,
            configuration.unitsPerDirection >= 1, configuration.batchSize >= 1, configuration.progressInterval >= 1
        else { throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: "configuration", value: json)) }
        let steps = try checkpoint.integerMetadata("steps")
        guard let tokenizer = Tokenizer(vocabulary: checkpoint.vocabulary, maximumWords: configuration.vocabularySize) else {
            throw CheckpointError(path: checkpoint.displayPath, .invalidVocabulary(
                reason: "\(checkpoint.vocabulary.count) words for \(configuration.vocabularySize) ids; it must start with \"\" "
                    + "(padding) and hold distinct, normalised words"))
        }
        let (k, e, h) = (configuration.vocabularySize, configuration.embeddingDimension, configuration.unitsPerDirection)
        self.configuration = configuration
        self.tokenizer = tokenizer
        embedding = Embedding(table: try checkpoint.tensor(named: "embedding.table", shape: [k, e]))
        func lstm(_ direction: String) throws(CheckpointError) -> LSTM {
            LSTM(
                kernel: try checkpoint.tensor(named: "bilstm.\(direction).kernel", shape: [e, 4 * h]),
                recurrentKernel: try checkpoint.tensor(named: "bilstm.\(direction).recurrentKernel", shape: [h, 4 * h]),
                bias: try checkpoint.tensor(named: "bilstm.\(direction).bias", shape: [4 * h]))
        }
        recurrent = BidirectionalLSTM(forward: try lstm("forward"), backward: try lstm("backward"))
        output = Dense(
            weight: try checkpoint.tensor(named: "dense.weight", shape: [2 * h, k]),
            bias: try checkpoint.tensor(named: "dense.bias", shape: [k]))
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
    public static func load(from url: URL) throws(CheckpointError) -> TextModel {
        try TextModel(checkpoint: Checkpoint.read(from: url))
    }
}
