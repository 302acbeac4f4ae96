/// Spectral normalisation (Miyato et al. 2018, arXiv 1802.05957) of one weight: the layer uses `W / σ(W)`, with
/// `σ = uᵀ W v` estimated by power iteration, one iteration per training step, on `W` viewed as a
/// `[shape[0], count / shape[0]]` matrix (filters × inputs·k² for a convolution, inputs × outputs for a dense layer).
/// `u` and `v` persist between steps (and in checkpoints), and gradients treat them as constants, as the paper does:
/// `∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ) / σ` for `G = ∂L/∂Ŵ`.
///
/// ```swift
/// var norm = SpectralNorm(weight: conv.weight, using: &rng)
/// norm.powerIteration(conv.weight)                      // once per step
/// let (normalized, sigma) = norm.normalized(conv.weight)
/// let gradWeight = norm.backward(gradNormalized, normalized: normalized, sigma: sigma)
/// ```
public struct SpectralNorm: Sendable, Equatable {
    /// The left singular vector estimate, `[shape[0]]`, unit length.
    public var u: Tensor
    /// The right singular vector estimate, `[count / shape[0]]`, unit length.
    public var v: Tensor

    /// Random unit vectors for `weight`, refined by `warmUpIterations` power iterations so the first steps' σ is close.
    public init(weight: Tensor, warmUpIterations: Int = 5, using generator: inout some RandomNumberGenerator) {
        let rows = weight.shape[0], columns = weight.count / max(rows, 1)
        u = SpectralNorm.unit(Tensor.normal([rows], using: &generator))
        v = SpectralNorm.unit(Tensor.normal([columns], using: &generator))
        for _ in 0..<warmUpIterations { powerIteration(weight) }
    }

    /// Restores persisted vectors.
    public init(u: Tensor, v: Tensor) {
        self.u = u
        self.v = v
    }

    /// One power iteration: `v ← Wᵀu / ‖Wᵀu‖`, then `u ← W v / ‖W v‖`.
    public mutating func powerIteration(_ weight: Tensor) {
        let rows = u.count, columns = v.count
        precondition(weight.count == rows * columns, "weight \(weight.shape) does not fit u [\(rows)] and v [\(columns)]")
        var newV = [Float](repeating: 0, count: columns), newU = [Float](repeating: 0, count: rows)
        weight.storage.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                let ur = u.storage[r], row = r * columns
                for c in 0..<columns { newV[c] += w[row + c] * ur }
            }
            let vUnit = SpectralNorm.unit(Tensor(unchecked: [columns], newV)).storage
            for r in 0..<rows {
                var sum: Float = 0
                let row = r * columns
                for c in 0..<columns { sum += w[row + c] * vUnit[c] }
                newU[r] = sum
            }
            newV = vUnit
        }
        v = Tensor(unchecked: [columns], newV)
        u = SpectralNorm.unit(Tensor(unchecked: [rows], newU))
    }

    /// `σ = uᵀ W v`.
    public func sigma(_ weight: Tensor) -> Float {
        let rows = u.count, columns = v.count
        precondition(weight.count == rows * columns, "weight \(weight.shape) does not fit u [\(rows)] and v [\(columns)]")
        var total: Double = 0
        weight.storage.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                var sum: Float = 0
                let row = r * columns
                for c in 0..<columns { sum += w[row + c] * v.storage[c] }
                total += Double(u.storage[r]) * Double(sum)
            }
        }
        return Float(total)
    }

    /// `W / σ` and `σ`.
    public func normalized(_ weight: Tensor) -> (weight: Tensor, sigma: Float) {
        let sigma = max(self.sigma(weight), 1e-12)
        var result = weight
        let scale = 1 / sigma
        result.storage.withUnsafeMutableBufferPointer { values in
            for i in 0..<values.count { values[i] *= scale }
        }
        return (result, sigma)
    }

    /// `∂L/∂W` from `∂L/∂Ŵ` (`gradNormalized`), with `normalized` and `sigma` from `normalized(_:)`.
    public func backward(_ gradNormalized: Tensor, normalized: Tensor, sigma: Float) -> Tensor {
        precondition(gradNormalized.shape == normalized.shape, "gradient \(gradNormalized.shape) for weight \(normalized.shape)")
        let rows = u.count, columns = v.count
        var inner: Double = 0
        for i in 0..<normalized.count { inner += Double(gradNormalized.storage[i]) * Double(normalized.storage[i]) }
        var result = gradNormalized
        let scale = 1 / sigma, projection = Float(inner)
        result.storage.withUnsafeMutableBufferPointer { g in
            for r in 0..<rows {
                let ur = projection * u.storage[r], row = r * columns
                for c in 0..<columns { g[row + c] = (g[row + c] - ur * v.storage[c]) * scale }
            }
        }
        return result
    }

    private static func unit(_ vector: Tensor) -> Tensor {
        var norm: Double = 0
        for value in vector.storage { norm += Double(value) * Double(value) }
        let scale = Float(1 / max(norm.squareRoot(), 1e-12))
        var result = vector
        for i in 0..<result.count { result.storage[i] *= scale }
        return result
    }
}
