import Foundation

/// The nightly text model: a unidirectional LSTM language model over `SubwordTokenizer` units (characters, plus
/// frequent words when the configuration allows them), predicting the next unit at every position.
///
/// Embedding(V, E) → LSTM(H) → Dense(V) at every step, trained with softmax cross-entropy on every position of
/// fixed-length windows (truncated backpropagation through time, the state carried from one window to the next),
/// Adam and global-norm gradient clipping. Scores are reported in bits per character of the text, so models with
/// different units compare.
///
/// ```swift
/// let tokenizer = SubwordTokenizer(fittingOn: lines, maximumWords: 0)
/// var model = LanguageModel(configuration: .nightlySynopses, tokenizer: tokenizer, seed: 7)
/// let summary = try model.train(on: lines, heldOut: heldOut, budget: TrainingBudget(timeLimit: .seconds(60)), shuffleSeed: 1)
/// print(summary.bestHeldOut?.bitsPerCharacter ?? .nan)
/// var generator = SeededGenerator(seed: 3)
/// print(model.generate(rules: .synopses, using: &generator))
/// ```
public struct LanguageModel: Sendable {
    /// Layer sizes and training settings.
    public let configuration: LanguageModelConfiguration
    /// The units the model reads and predicts.
    public let tokenizer: SubwordTokenizer
    /// `[V, E]`.
    public internal(set) var embedding: Embedding
    /// `[E → H]`.
    public internal(set) var recurrent: LSTM
    /// `[H, V]` weight and `[V]` bias.
    public internal(set) var output: Dense
    /// Optimizer steps taken over the model's life (restored from checkpoints).
    public internal(set) var stepsTaken: Int
    /// Adam, with its moments (saved in checkpoints).
    var optimizer: Adam

    /// Creates a model initialised from `seed` (embedding, LSTM, dense, in that order).
    public init(configuration: LanguageModelConfiguration, tokenizer: SubwordTokenizer, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        self.configuration = configuration
        self.tokenizer = tokenizer
        embedding = Embedding(vocabularySize: tokenizer.count, dimension: configuration.embeddingDimension, using: &generator)
        recurrent = LSTM(inputSize: configuration.embeddingDimension, units: configuration.hiddenUnits, using: &generator)
        output = Dense(inputSize: configuration.hiddenUnits, outputSize: tokenizer.count, using: &generator)
        stepsTaken = 0
        optimizer = Adam(learningRate: configuration.learningRate)
    }

    /// Every parameter under its stable name, in checkpoint order.
    public var parameters: [Checkpoint.NamedTensor] {
        [
            .init(name: "embedding.table", tensor: embedding.table),
            .init(name: "lstm.kernel", tensor: recurrent.kernel),
            .init(name: "lstm.recurrentKernel", tensor: recurrent.recurrentKernel),
            .init(name: "lstm.bias", tensor: recurrent.bias),
            .init(name: "dense.weight", tensor: output.weight),
            .init(name: "dense.bias", tensor: output.bias),
        ]
    }

    /// The results of a forward pass over a window that the backward pass needs.
    struct Pass {
        var batch: Int
        var time: Int
        var cache: LSTM.Cache
        /// Every step's hidden state, `[time·batch, H]` (time-major).
        var hidden: Tensor
        /// `[time·batch, V]`.
        var logits: Tensor
    }

    /// Runs a window of ids, time-major (`ids[t·batch + b]`), from `state` (zero when nil).
    func forward(_ ids: [Int32], batch: Int, from state: LSTM.State?) -> Pass {
        precondition(batch > 0 && ids.count % batch == 0, "\(ids.count) ids is not a whole number of \(batch)-row steps")
        let time = ids.count / batch, width = embedding.dimension, units = recurrent.units
        var cache = LSTM.Cache()
        cache.input = [Float](repeating: 0, count: ids.count * width)
        embedding.table.storage.withUnsafeBufferPointer { table in
            cache.input.withUnsafeMutableBufferPointer { input in
                for (row, id) in ids.enumerated() {
                    (input.baseAddress! + row * width).update(from: table.baseAddress! + Int(id) * width, count: width)
                }
            }
        }
        recurrent.run(&cache, batch: batch, time: time, from: state)
        let hidden = Tensor(unchecked: [time * batch, units], Array(cache.hidden[(batch * units)...]))
        let (logits, _) = output.forward(hidden)
        return Pass(batch: batch, time: time, cache: cache, hidden: hidden, logits: logits)
    }

    /// One optimizer step on a window: `inputs` and `labels` time-major `[time, batch]`, label −1 for positions
    /// without a target. `state` is the carried state; on return it is the state after the window.
    /// - Returns: the summed loss in nats and the number of scored positions.
    mutating func trainStep(inputs: [Int32], labels: [Int32], batch: Int, state: inout LSTM.State) -> (loss: Double, count: Int) {
        let pass = forward(inputs, batch: batch, from: state)
        state = recurrent.finalState(pass.cache)
        let (loss, count, gradLogits) = Self.crossEntropy(pass.logits, labels: labels)
        guard count > 0 else { return (0, 0) }
        let (gradHidden, denseGradients) = output.backward(gradLogits, cache: pass.hidden)
        var workspace = LSTM.BackwardWorkspace()
        var recurrentGradients = recurrent.backwardEveryStep(gradHidden: gradHidden.storage, cache: pass.cache, workspace: &workspace)
        var gradTable = Tensor.zeros(embedding.table.shape)
        let width = embedding.dimension
        workspace.gradInput.withUnsafeBufferPointer { gradInput in
            gradTable.storage.withUnsafeMutableBufferPointer { table in
                for (row, id) in inputs.enumerated() {
                    addRow(gradInput.baseAddress! + row * width, into: table.baseAddress! + Int(id) * width, count: width)
                }
            }
        }
        var outputGradients = denseGradients
        let scale = Self.clipScale(
            [gradTable, recurrentGradients.kernel, recurrentGradients.recurrentKernel, recurrentGradients.bias,
             outputGradients.weight, outputGradients.bias],
            limit: configuration.gradientClip)
        if scale < 1 {
            Self.scale(&gradTable, by: scale)
            Self.scale(&recurrentGradients.kernel, by: scale)
            Self.scale(&recurrentGradients.recurrentKernel, by: scale)
            Self.scale(&recurrentGradients.bias, by: scale)
            Self.scale(&outputGradients.weight, by: scale)
            Self.scale(&outputGradients.bias, by: scale)
        }
        embedding.update(with: gradTable, using: &optimizer, name: "embedding")
        recurrent.update(with: recurrentGradients, using: &optimizer, name: "lstm")
        output.update(with: outputGradients, using: &optimizer, name: "dense")
        stepsTaken += 1
        return (loss, count)
    }

    /// `limit / ‖gradients‖` when the global norm exceeds `limit`, else 1.
    static func clipScale(_ gradients: [Tensor], limit: Float) -> Float {
        var squares = 0.0
        for gradient in gradients { for value in gradient.storage { squares += Double(value) * Double(value) } }
        let norm = squares.squareRoot()
        return norm > Double(limit) ? Float(Double(limit) / norm) : 1
    }

    static func scale(_ tensor: inout Tensor, by factor: Float) {
        tensor.storage.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] *= factor }
        }
    }

    /// Softmax cross-entropy summed over rows whose label is not −1, and its gradient divided by their count.
    static func crossEntropy(_ logits: Tensor, labels: [Int32]) -> (loss: Double, count: Int, gradLogits: Tensor) {
        let (rows, classes) = logits.matrixShape
        precondition(labels.count == rows, "\(labels.count) labels for \(rows) rows")
        var grad = Tensor.zeros(logits.shape)
        let count = labels.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        guard count > 0 else { return (0, 0, grad) }
        var total = 0.0
        logits.storage.withUnsafeBufferPointer { z in
            grad.storage.withUnsafeMutableBufferPointer { g in
                for row in 0..<rows where labels[row] >= 0 {
                    let label = Int(labels[row])
                    precondition(label < classes, "label \(label) outside 0..<\(classes)")
                    let base = row * classes
                    var maximum = -Float.infinity
                    for j in 0..<classes { maximum = max(maximum, z[base + j]) }
                    var sum: Float = 0
                    for j in 0..<classes {
                        let e = Foundation.exp(z[base + j] - maximum)
                        g[base + j] = e
                        sum += e
                    }
                    total += Double(Foundation.log(sum) + maximum - z[base + label])
                    let scale = 1 / (sum * Float(count))
                    for j in 0..<classes { g[base + j] *= scale }
                    g[base + label] -= 1 / Float(count)
                }
            }
        }
        return (total, count, grad)
    }
}
