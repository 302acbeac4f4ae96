import Learning
import Testing

/// Dense(2→8) → tanh → Dense(8→2) → softmax cross-entropy, trained full-batch with Adam.
struct TinyMLP {
    var hidden: Dense
    var output: Dense
    var optimizer = Adam(learningRate: 0.05)

    init(seed: UInt64, inputs: Int, hiddenUnits: Int, classes: Int) {
        var g = SeededGenerator(seed: seed)
        hidden = Dense(inputSize: inputs, outputSize: hiddenUnits, using: &g)
        output = Dense(inputSize: hiddenUnits, outputSize: classes, using: &g)
    }

    func logits(_ x: Tensor) -> Tensor {
        output.forward(Activation.tanh.forward(hidden.forward(x).output)).output
    }

    /// One training step; returns the loss before the update.
    mutating func step(_ x: Tensor, labels: [Int]) throws -> Float {
        let (z1, cache1) = hidden.forward(x)
        let a1 = Activation.tanh.forward(z1)
        let (z2, cache2) = output.forward(a1)
        let (loss, gradZ2) = try softmaxCrossEntropy(logits: z2, labels: labels)
        let (gradA1, grads2) = output.backward(gradZ2, cache: cache2)
        let gradZ1 = Activation.tanh.backward(gradA1, input: z1, output: a1)
        let (_, grads1) = hidden.backward(gradZ1, cache: cache1)
        hidden.update(with: grads1, using: &optimizer, name: "hidden")
        output.update(with: grads2, using: &optimizer, name: "output")
        return loss
    }
}
