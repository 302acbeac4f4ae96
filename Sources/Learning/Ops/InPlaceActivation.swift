/// In-place activations for the convolutional networks, whose tensors are large enough that `Activation`'s copies
/// matter. Their backward passes read only the output: `relu` and `leakyReLU` (with a positive slope) keep the
/// input's sign, so the output alone decides the derivative.
extension Tensor {
    /// `x ← max(0, x)`.
    mutating func applyReLU() {
        storage.withUnsafeMutableBufferPointer { v in
            for i in 0..<v.count { v[i] = max(v[i], 0) }
        }
    }

    /// `x ← x` for positive `x`, `slope · x` otherwise.
    mutating func applyLeakyReLU(slope: Float) {
        storage.withUnsafeMutableBufferPointer { v in
            for i in 0..<v.count { let x = v[i]; v[i] = x < 0 ? x * slope : x }
        }
    }

    /// Multiplies this gradient by the ReLU derivative at the layer's `output` (0 where the output is not positive).
    mutating func maskReLUGradient(output: Tensor) {
        precondition(output.shape == shape, "ReLU output \(output.shape) does not fit gradient \(shape)")
        storage.withUnsafeMutableBufferPointer { g in
            output.storage.withUnsafeBufferPointer { y in
                for i in 0..<g.count { g[i] = y[i] > 0 ? g[i] : 0 }
            }
        }
    }

    /// Multiplies this gradient by the leaky-ReLU derivative at the layer's `output` (`slope` where it is negative).
    mutating func maskLeakyReLUGradient(output: Tensor, slope: Float) {
        precondition(output.shape == shape, "leaky ReLU output \(output.shape) does not fit gradient \(shape)")
        precondition(slope > 0, "the derivative can be read from the output only for a positive slope")
        storage.withUnsafeMutableBufferPointer { g in
            output.storage.withUnsafeBufferPointer { y in
                for i in 0..<g.count { g[i] = y[i] < 0 ? g[i] * slope : g[i] }
            }
        }
    }
}

extension Tensor {
    /// A tensor of `shape` whose values are unspecified: for outputs that the caller overwrites entirely, so large
    /// buffers are not zero-filled first.
    static func uninitialized(_ shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(unchecked: shape, [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count })
    }
}
