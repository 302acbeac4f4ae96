/// Batch normalisation per channel (dimension 1) of `[n, channels, …]` tensors, as Keras's `BatchNormalization`:
/// `y = gamma · (x − mean) / sqrt(variance + epsilon) + beta`.
///
/// In training mode the mean and (biased) variance are the batch's, over every dimension but the channel; call
/// `updateMovingStatistics(from:)` with the cache to fold them into the moving statistics
/// (`moving = momentum · moving + (1 − momentum) · batch`). In inference mode the moving statistics are used.
public struct BatchNorm: Sendable, Equatable {
    /// What `backward` needs from a forward pass, plus the batch statistics it measured.
    public struct Cache: Sendable, Equatable {
        /// `(x − mean) / sqrt(variance + epsilon)`, the input's shape.
        public var normalized: Tensor
        /// `1 / sqrt(variance + epsilon)` per channel, for the statistics used.
        public var inverseStandardDeviation: [Float]
        /// The batch mean per channel (training mode); `nil` in inference mode.
        public var batchMean: [Float]?
        /// The batch's biased variance per channel (training mode); `nil` in inference mode.
        public var batchVariance: [Float]?
    }

    /// The gradients of a `BatchNorm` layer's parameters.
    public struct Gradients: Sendable, Equatable {
        /// `∂loss/∂gamma`, `[channels]`.
        public var gamma: Tensor
        /// `∂loss/∂beta`, `[channels]`.
        public var beta: Tensor
    }

    /// The scale per channel (trained; starts at 1).
    public var gamma: Tensor
    /// The shift per channel (trained; starts at 0).
    public var beta: Tensor
    /// The running mean per channel used at inference (starts at 0).
    public var movingMean: Tensor
    /// The running variance per channel used at inference (starts at 1).
    public var movingVariance: Tensor
    /// The weight of the old moving statistics in each update (Keras's default 0.99; the DCGAN uses 0.8).
    public var momentum: Float
    /// Added to the variance before the square root.
    public var epsilon: Float

    /// The number of channels.
    public var channels: Int { gamma.count }

    /// Creates a layer with `gamma` 1, `beta` 0, moving mean 0 and moving variance 1 (Keras's defaults).
    public init(channels: Int, momentum: Float = 0.99, epsilon: Float = 1e-3) {
        precondition(channels > 0, "BatchNorm needs at least one channel")
        gamma = Tensor(shape: [channels], repeating: 1)
        beta = .zeros([channels])
        movingMean = .zeros([channels])
        movingVariance = Tensor(shape: [channels], repeating: 1)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// Normalises `x` (`[n, channels, …]`) with the batch statistics (`training`) or the moving ones.
    /// Does not change the moving statistics: pass the cache to `updateMovingStatistics(from:)` for that.
    public func forward(_ x: Tensor, training: Bool) -> (output: Tensor, cache: Cache) {
        var normalized = x
        return forward(normalizingInPlace: &normalized, training: training)
    }

    /// `forward`, overwriting `x` with the normalised values (which the cache then shares) to save one tensor.
    func forward(normalizingInPlace x: inout Tensor, training: Bool) -> (output: Tensor, cache: Cache) {
        precondition(x.rank >= 2 && x.shape[1] == channels, "BatchNorm expects [n, \(channels), …], got \(x.shape)")
        let n = x.shape[0], pixels = x.count / max(n * channels, 1)
        var mean = movingMean.storage, variance = movingVariance.storage
        if training {
            (mean, variance) = statistics(x, images: n, pixels: pixels)
        }
        let inverse = variance.map { 1 / ($0 + epsilon).squareRoot() }
        var y = Tensor.uninitialized(x.shape)
        x.storage.withUnsafeMutableBufferPointer { xs in
            y.storage.withUnsafeMutableBufferPointer { ys in
                for i in 0..<n {
                    for c in 0..<channels {
                        let base = (i * channels + c) * pixels
                        let m = mean[c], s = inverse[c], g = gamma.storage[c], b = beta.storage[c]
                        for p in base..<(base + pixels) {
                            let normalized = (xs[p] - m) * s
                            xs[p] = normalized
                            ys[p] = g * normalized + b
                        }
                    }
                }
            }
        }
        return (y, Cache(normalized: x, inverseStandardDeviation: inverse, batchMean: training ? mean : nil, batchVariance: training ? variance : nil))
    }

    /// Normalises `x` in place with the moving statistics (inference), keeping nothing for a backward pass.
    func inferInPlace(_ x: inout Tensor) {
        precondition(x.rank >= 2 && x.shape[1] == channels, "BatchNorm expects [n, \(channels), …], got \(x.shape)")
        let n = x.shape[0], pixels = x.count / max(n * channels, 1)
        var scale = [Float](repeating: 0, count: channels), shift = scale
        for c in 0..<channels {
            scale[c] = gamma.storage[c] / (movingVariance.storage[c] + epsilon).squareRoot()
            shift[c] = beta.storage[c] - movingMean.storage[c] * scale[c]
        }
        x.storage.withUnsafeMutableBufferPointer { xs in
            for i in 0..<n {
                for c in 0..<channels {
                    let base = (i * channels + c) * pixels, s = scale[c], b = shift[c]
                    for p in base..<(base + pixels) { xs[p] = xs[p] * s + b }
                }
            }
        }
    }

    /// Folds the batch statistics of a training-mode forward pass into the moving statistics; does nothing for an
    /// inference-mode cache.
    public mutating func updateMovingStatistics(from cache: Cache) {
        guard let mean = cache.batchMean, let variance = cache.batchVariance else { return }
        for c in 0..<channels {
            movingMean.storage[c] = momentum * movingMean.storage[c] + (1 - momentum) * mean[c]
            movingVariance.storage[c] = momentum * movingVariance.storage[c] + (1 - momentum) * variance[c]
        }
    }

    /// The gradients with respect to the input and the parameters, for the mode the cache was made in
    /// (training mode differentiates through the batch statistics too).
    public func backward(_ gradOutput: Tensor, cache: Cache) -> (gradInput: Tensor, gradients: Gradients) {
        var gradient = gradOutput
        let gradients = backward(gradientInPlace: &gradient, cache: cache)
        return (gradient, gradients)
    }

    /// `backward`, turning `gradient` from the output's gradient into the input's in place.
    func backward(gradientInPlace gradient: inout Tensor, cache: Cache) -> Gradients {
        let xHat = cache.normalized
        precondition(gradient.shape == xHat.shape, "gradient \(gradient.shape) does not fit input \(xHat.shape)")
        let n = xHat.shape[0], pixels = xHat.count / max(n * channels, 1)
        var sumGrad = [Double](repeating: 0, count: channels), sumGradXHat = sumGrad
        gradient.storage.withUnsafeBufferPointer { dy in
            xHat.storage.withUnsafeBufferPointer { xh in
                for i in 0..<n {
                    for c in 0..<channels {
                        let base = (i * channels + c) * pixels
                        let (s, sx) = VectorKernels.sumAndDot(dy.baseAddress! + base, xh.baseAddress! + base, count: pixels)
                        sumGrad[c] += Double(s)
                        sumGradXHat[c] += Double(sx)
                    }
                }
            }
        }
        let count = Float(n * pixels)
        let training = cache.batchMean != nil
        gradient.storage.withUnsafeMutableBufferPointer { dx in
            xHat.storage.withUnsafeBufferPointer { xh in
                for i in 0..<n {
                    for c in 0..<channels {
                        let base = (i * channels + c) * pixels
                        let scale = gamma.storage[c] * cache.inverseStandardDeviation[c]
                        if training {
                            let meanGrad = Float(sumGrad[c]) / count, meanGradXHat = Float(sumGradXHat[c]) / count
                            for p in base..<(base + pixels) { dx[p] = scale * (dx[p] - meanGrad - xh[p] * meanGradXHat) }
                        } else {
                            for p in base..<(base + pixels) { dx[p] *= scale }
                        }
                    }
                }
            }
        }
        return Gradients(
            gamma: Tensor(unchecked: [channels], sumGradXHat.map { Float($0) }),
            beta: Tensor(unchecked: [channels], sumGrad.map { Float($0) }))
    }

    /// Updates `gamma` and `beta`, named `"<name>.gamma"` and `"<name>.beta"` for the optimizer's state.
    public mutating func update(with gradients: Gradients, using optimizer: inout some Optimizer, name: String) {
        optimizer.update(&gamma, gradient: gradients.gamma, name: name + ".gamma")
        optimizer.update(&beta, gradient: gradients.beta, name: name + ".beta")
    }

    /// The per-channel mean and biased variance of `x` (two passes; each image plane summed in Float, planes in Double).
    private func statistics(_ x: Tensor, images n: Int, pixels: Int) -> ([Float], [Float]) {
        var sums = [Double](repeating: 0, count: channels), squares = sums
        let count = Double(n * pixels)
        x.storage.withUnsafeBufferPointer { xs in
            for i in 0..<n {
                for c in 0..<channels {
                    let base = (i * channels + c) * pixels
                    sums[c] += Double(VectorKernels.sum(xs.baseAddress! + base, count: pixels))
                }
            }
            for i in 0..<n {
                for c in 0..<channels {
                    let base = (i * channels + c) * pixels, m = Float(sums[c] / count)
                    squares[c] += Double(VectorKernels.sumOfSquaredDeviations(xs.baseAddress! + base, count: pixels, mean: m))
                }
            }
        }
        return (sums.map { Float($0 / count) }, squares.map { Float($0 / count) })
    }
}
