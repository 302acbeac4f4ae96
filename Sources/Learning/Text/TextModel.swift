/// The next-word model of the original Fake Anime Generator: Embedding(K, 64) → bidirectional LSTM (20 units each
/// way, last states concatenated) → Dense(K), trained with fused softmax cross-entropy and Adam (lr 1e-3, batch 32).
/// Sizes come from a `TextModelConfiguration`; `K` is the tokenizer's `maximumWords`.
///
/// ```swift
/// let tokenizer = Tokenizer(fittingOn: lines, maximumWords: 2500)
/// var model = TextModel(configuration: .nightlySynopses, tokenizer: tokenizer, seed: 7)
/// let data = TextModel.sequences(from: lines, tokenizer: tokenizer, inputLength: 40)
/// let summary = try model.train(on: data, budget: TrainingBudget(epochs: 5), shuffleSeed: 1) { print($0.loss) }
/// var generator = SeededGenerator(seed: 3)
/// print(model.generate(seed: "In", words: 60, temperature: 1, topK: 0, using: &generator))
/// try model.save(to: url)
/// ```
public struct TextModel: Sendable {
    /// Layer sizes and training settings.
    public let configuration: TextModelConfiguration
    /// The tokenizer whose ids the model reads and predicts.
    public let tokenizer: Tokenizer
    /// `[K, embeddingDimension]`.
    public internal(set) var embedding: Embedding
    /// Both LSTM directions.
    public internal(set) var recurrent: BidirectionalLSTM
    /// `[2·unitsPerDirection, K]` weight and `[K]` bias.
    public internal(set) var output: Dense
    /// Optimizer steps taken over the model's life (restored from checkpoints).
    public internal(set) var stepsTaken: Int
    /// Adam, with its moments (saved in checkpoints).
    var optimizer: Adam
    /// Forces (`true`) or forbids (`false`) the vocabulary projections; `nil` chooses by size. For tests.
    var vocabularyProjection: Bool? = nil
    /// Forces (`true`) or forbids (`false`) running the two LSTM directions on two threads; `nil` runs them in
    /// parallel when BLAS may use two or more threads. For tests.
    var parallelDirections: Bool? = nil
    /// Buffers `trainStep` reuses from one step to the next (no per-step allocation of the large arrays).
    var scratch = Scratch()

    /// The reusable buffers of a training step.
    struct Scratch: Sendable {
        var recurrent = BidirectionalLSTM.Cache()
        var workspace = BidirectionalLSTM.Workspace()
        var gradTable = Tensor.zeros([0])
        /// Both directions' kernels side by side, `[E, 8·units]` (see `TextModel+vocabularyProjection.swift`).
        var kernels: [Float] = []
        /// `table · kernels`, `[K, 8·units]`: each id's input projection for the forward then the backward direction.
        var projections: [Float] = []
        /// Both directions' `∂loss/∂z` summed per token id, `[K, 8·units]`.
        var gateSums: [Float] = []
        /// Both directions' kernel gradients side by side, `[E, 8·units]`.
        var kernelGradients: [Float] = []
    }

    /// Creates a model with Keras's initialisation drawn from `seed`: embedding, forward LSTM, backward LSTM, dense,
    /// in that order, so the same seed gives bit-identical weights.
    /// - Precondition: `tokenizer.maximumWords == configuration.vocabularySize`.
    public init(configuration: TextModelConfiguration, tokenizer: Tokenizer, seed: UInt64) {
        precondition(tokenizer.maximumWords == configuration.vocabularySize,
                     "tokenizer keeps \(tokenizer.maximumWords) ids, the configuration has \(configuration.vocabularySize) outputs")
        var generator = SeededGenerator(seed: seed)
        self.configuration = configuration
        self.tokenizer = tokenizer
        embedding = Embedding(vocabularySize: configuration.vocabularySize, dimension: configuration.embeddingDimension, using: &generator)
        recurrent = BidirectionalLSTM(inputSize: configuration.embeddingDimension, units: configuration.unitsPerDirection, using: &generator)
        output = Dense(inputSize: 2 * configuration.unitsPerDirection, outputSize: configuration.vocabularySize, using: &generator)
        stepsTaken = 0
        optimizer = Adam(learningRate: configuration.learningRate)
    }

    /// Every parameter under its stable name, in checkpoint order.
    public var parameters: [Checkpoint.NamedTensor] {
        [
            .init(name: "embedding.table", tensor: embedding.table),
            .init(name: "bilstm.forward.kernel", tensor: recurrent.forwardLayer.kernel),
            .init(name: "bilstm.forward.recurrentKernel", tensor: recurrent.forwardLayer.recurrentKernel),
            .init(name: "bilstm.forward.bias", tensor: recurrent.forwardLayer.bias),
            .init(name: "bilstm.backward.kernel", tensor: recurrent.backwardLayer.kernel),
            .init(name: "bilstm.backward.recurrentKernel", tensor: recurrent.backwardLayer.recurrentKernel),
            .init(name: "bilstm.backward.bias", tensor: recurrent.backwardLayer.bias),
            .init(name: "dense.weight", tensor: output.weight),
            .init(name: "dense.bias", tensor: output.bias),
        ]
    }

    /// The training examples of `lines` (see `TextSequences.init(lines:tokenizer:inputLength:)`).
    public static func sequences(from lines: [String], tokenizer: Tokenizer, inputLength: Int? = nil) -> TextSequences {
        TextSequences(lines: lines, tokenizer: tokenizer, inputLength: inputLength)
    }

    /// Logits for a batch of inputs, without training.
    /// - Parameters:
    ///   - inputs: `[batch, inputLength]` ids, row-major.
    /// - Returns: `[batch, K]` logits.
    /// - Throws: `LearningError.Kind.idOutOfRange` for an id outside `0..<K`.
    public func forwardLogits(inputs: [Int32]) throws(LearningError) -> Tensor {
        var scratch = Scratch()
        return try forwardPass(inputs: inputs, scratch: &scratch).logits
    }

    /// One optimizer step on one batch: forward, softmax cross-entropy, backpropagation, Adam update.
    /// - Parameters:
    ///   - inputs: `[batch, inputLength]` ids, row-major.
    ///   - labels: one id per row.
    /// - Returns: the batch's mean loss before the update.
    /// - Throws: `LearningError` `.idOutOfRange` or `.labelOutOfRange`; the model is unchanged then.
    public mutating func trainStep(inputs: [Int32], labels: [Int32]) throws(LearningError) -> Float {
        var scratch = Scratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        let pass = try forwardPass(inputs: inputs, scratch: &scratch)
        let (loss, gradLogits) = try softmaxCrossEntropy(logits: pass.logits, labels: labels.map(Int.init))
        let (gradHidden, outputGradients) = output.backward(gradLogits, cache: pass.hidden)
        let parallel = runsDirectionsInParallel
        let recurrentGradients: BidirectionalLSTM.Gradients
        if projectsThroughVocabulary(batch: pass.batch) {
            recurrentGradients = backwardThroughVocabulary(
                gradHidden: gradHidden.storage, ids: inputs, batch: pass.batch, parallel: parallel, scratch: &scratch)
        } else {
            recurrentGradients = recurrent.backward(
                gradOutput: gradHidden.storage, cache: scratch.recurrent, workspace: &scratch.workspace, parallel: parallel)
            accumulateEmbeddingGradient(ids: inputs, batch: pass.batch, workspace: scratch.workspace, into: &scratch.gradTable)
        }
        embedding.update(with: scratch.gradTable, using: &optimizer, name: "embedding")
        recurrent.update(with: recurrentGradients, using: &optimizer, name: "bilstm")
        output.update(with: outputGradients, using: &optimizer, name: "dense")
        stepsTaken += 1
        return loss
    }

    /// The forward pass's results that backpropagation needs (the rest is in the recurrent cache).
    struct ForwardPass {
        let batch: Int
        /// `[batch, 2·units]`, the dense layer's input.
        let hidden: Tensor
        let logits: Tensor
    }

    /// Whether the two LSTM directions run on two threads.
    var runsDirectionsInParallel: Bool { parallelDirections ?? (BLAS.threads >= 2) }

    func forwardPass(inputs: [Int32], scratch: inout Scratch) throws(LearningError) -> ForwardPass {
        let length = configuration.inputLength
        precondition(inputs.count % length == 0, "\(inputs.count) ids is not a whole number of \(length)-id rows")
        let batch = inputs.count / length
        try validate(inputs)
        let parallel = runsDirectionsInParallel
        let hidden: [Float]
        if projectsThroughVocabulary(batch: batch) {
            let gather = projectThroughVocabulary(inputs, batch: batch, scratch: &scratch)
            hidden = recurrent.recur(&scratch.recurrent, parallel: parallel, prologue: gather)
        } else {
            embed(inputs, batch: batch, into: &scratch.recurrent)
            hidden = recurrent.run(&scratch.recurrent, batch: batch, time: length, parallel: parallel)
        }
        let hiddenTensor = Tensor(unchecked: [batch, 2 * configuration.unitsPerDirection], hidden)
        let (logits, _) = output.forward(hiddenTensor)
        return ForwardPass(batch: batch, hidden: hiddenTensor, logits: logits)
    }

    private func validate(_ inputs: [Int32]) throws(LearningError) {
        let vocabularySize = embedding.vocabularySize
        for id in inputs where id < 0 || Int(id) >= vocabularySize {
            throw LearningError(.idOutOfRange(id: Int(id), vocabularySize: vocabularySize))
        }
    }

    /// Looks the ids up straight into the two LSTM directions' input buffers, in their reading orders:
    /// `[time, batch, E]` in time order and with time reversed.
    private func embed(_ inputs: [Int32], batch: Int, into cache: inout BidirectionalLSTM.Cache) {
        let (time, width) = (configuration.inputLength, embedding.dimension)
        resize(&cache.forward.input, time * batch * width)
        resize(&cache.backward.input, time * batch * width)
        inputs.withUnsafeBufferPointer { ids in
            embedding.table.storage.withUnsafeBufferPointer { table in
                cache.forward.input.withUnsafeMutableBufferPointer { forward in
                    cache.backward.input.withUnsafeMutableBufferPointer { backward in
                        for b in 0..<batch {
                            for t in 0..<time {
                                let row = table.baseAddress! + Int(ids[b * time + t]) * width
                                let f = forward.baseAddress! + (t * batch + b) * width
                                let r = backward.baseAddress! + ((time - 1 - t) * batch + b) * width
                                f.update(from: row, count: width)
                                r.update(from: row, count: width)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The embedding table's gradient: both directions' input gradients scatter-added into the rows of the ids that
    /// produced them.
    private func accumulateEmbeddingGradient(
        ids inputs: [Int32], batch: Int, workspace: BidirectionalLSTM.Workspace, into grad: inout Tensor
    ) {
        let (time, width) = (configuration.inputLength, embedding.dimension)
        if grad.shape != embedding.table.shape { grad = .zeros(embedding.table.shape) } else {
            grad.storage.withUnsafeMutableBufferPointer { values in values.update(repeating: 0) }
        }
        inputs.withUnsafeBufferPointer { ids in
            workspace.forward.gradInput.withUnsafeBufferPointer { forward in
                workspace.backward.gradInput.withUnsafeBufferPointer { backward in
                    grad.storage.withUnsafeMutableBufferPointer { table in
                        for b in 0..<batch {
                            for t in 0..<time {
                                let row = table.baseAddress! + Int(ids[b * time + t]) * width
                                let f = forward.baseAddress! + (t * batch + b) * width
                                let r = backward.baseAddress! + ((time - 1 - t) * batch + b) * width
                                addRow(f, into: row, count: width)
                                addRow(r, into: row, count: width)
                            }
                        }
                    }
                }
            }
        }
    }
}
