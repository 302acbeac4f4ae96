import Foundation

/// Softmax followed by categorical cross-entropy, fused and numerically stable (log-sum-exp with the row
/// maximum subtracted), averaged over the batch.
/// - Parameters:
///   - logits: `[batch, classes]`.
///   - labels: one class index per row.
/// - Returns: the mean loss and its gradient with respect to `logits` (`(softmax − onehot) / batch`).
/// - Throws: `LearningError.Kind.labelOutOfRange` for a label outside `0..<classes`.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) throws(LearningError) -> (loss: Float, gradLogits: Tensor) {
    let (batch, classes) = logits.matrixShape
    precondition(labels.count == batch, "\(labels.count) labels for \(batch) rows")
    var grad = Tensor.zeros(logits.shape)
    var total: Double = 0
    for (row, label) in labels.enumerated() {
        guard label >= 0 && label < classes else { throw LearningError(.labelOutOfRange(label: label, classes: classes)) }
        let base = row * classes
        var maximum = -Float.infinity
        for j in 0..<classes { maximum = max(maximum, logits.storage[base + j]) }
        var sum: Float = 0
        for j in 0..<classes {
            let e = exp(logits.storage[base + j] - maximum)
            grad.storage[base + j] = e
            sum += e
        }
        total += Double(log(sum) + maximum - logits.storage[base + label])
        let scale = 1 / (sum * Float(batch))
        for j in 0..<classes { grad.storage[base + j] *= scale }
        grad.storage[base + label] -= 1 / Float(batch)
    }
    return (Float(total / Double(batch)), grad)
}

/// Binary cross-entropy on logits, stable for any magnitude
/// (`max(x, 0) − x·t + log(1 + e^−|x|)`), averaged over every element.
/// - Parameters:
///   - logits: any shape.
///   - targets: the same shape, values in [0, 1].
/// - Returns: the mean loss and its gradient with respect to `logits` (`(σ(x) − t) / count`).
public func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor) -> (loss: Float, gradLogits: Tensor) {
    precondition(logits.shape == targets.shape, "logits \(logits.shape) and targets \(targets.shape) differ")
    var grad = Tensor.zeros(logits.shape)
    var total: Double = 0
    let n = Float(max(logits.count, 1))
    for i in 0..<logits.count {
        let x = logits.storage[i], t = targets.storage[i]
        total += Double(max(x, 0) - x * t + log1p(exp(-abs(x))))
        grad.storage[i] = (Activation.logistic(x) - t) / n
    }
    return (Float(total / Double(max(logits.count, 1))), grad)
}
