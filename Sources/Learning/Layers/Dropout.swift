/// Inverted dropout: in training, each value is zeroed with probability `rate` and the survivors are scaled by
/// `1 / (1 − rate)`, so inference is the identity (Keras `Dropout`). The mask comes from the caller's generator,
/// so a seeded generator gives the same mask every time.
public struct Dropout: Sendable, Equatable {
    /// The probability of zeroing each value, in `0..<1`.
    public var rate: Float

    /// Creates a layer that drops values with probability `rate`.
    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in 0..<1, got \(rate)")
        self.rate = rate
    }

    /// Applies dropout in training mode, or the identity when `training` is false.
    /// - Returns: the output and the mask for `backward` (`0` or `1 / (1 − rate)` per value; `nil` at inference).
    public func forward(_ x: Tensor, training: Bool, using generator: inout some RandomNumberGenerator) -> (output: Tensor, mask: Tensor?) {
        guard training && rate > 0 else { return (x, nil) }
        let keep = 1 / (1 - rate)
        var mask = Tensor.zeros(x.shape)
        var y = x
        mask.storage.withUnsafeMutableBufferPointer { m in
            y.storage.withUnsafeMutableBufferPointer { values in
                for i in 0..<values.count {
                    let scale: Float = Tensor.unitFloat(&generator) < rate ? 0 : keep
                    m[i] = scale
                    values[i] *= scale
                }
            }
        }
        return (y, mask)
    }

    /// The gradient with respect to the input: `gradOutput` times the mask (unchanged when the mask is `nil`).
    public func backward(_ gradOutput: Tensor, mask: Tensor?) -> Tensor {
        guard let mask else { return gradOutput }
        precondition(mask.shape == gradOutput.shape, "mask \(mask.shape) does not fit gradient \(gradOutput.shape)")
        var grad = gradOutput
        grad.storage.withUnsafeMutableBufferPointer { g in
            mask.storage.withUnsafeBufferPointer { m in
                for i in 0..<g.count { g[i] *= m[i] }
            }
        }
        return grad
    }
}
