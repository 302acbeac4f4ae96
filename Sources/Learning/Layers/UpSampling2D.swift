/// Nearest-neighbour upsampling of NCHW images: every pixel becomes a `factor`×`factor` block
/// (Keras `UpSampling2D(interpolation="nearest")`).
public struct UpSampling2D: Sendable, Equatable {
    /// The upsampling factor in both directions.
    public var factor: Int

    /// Creates a layer that upsamples by `factor` (2 in the DCGAN).
    public init(factor: Int = 2) {
        precondition(factor > 0, "upsampling factor must be positive, got \(factor)")
        self.factor = factor
    }

    /// Returns `x` (`[n, c, h, w]`) upsampled to `[n, c, h·factor, w·factor]`; no cache is needed for `backward`.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "UpSampling2D expects [n, c, h, w], got \(x.shape)")
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3], u = factor
        var y = Tensor.zeros([x.shape[0], x.shape[1], h * u, w * u])
        x.storage.withUnsafeBufferPointer { source in
            y.storage.withUnsafeMutableBufferPointer { destination in
                for plane in 0..<planes {
                    let s = source.baseAddress! + plane * h * w
                    let d = destination.baseAddress! + plane * h * w * u * u
                    for row in 0..<(h * u) {
                        let sourceRow = s + (row / u) * w, destinationRow = d + row * w * u
                        for column in 0..<(w * u) { destinationRow[column] = sourceRow[column / u] }
                    }
                }
            }
        }
        return y
    }

    /// The gradient with respect to the input: each `factor`×`factor` block of `gradOutput` summed.
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.rank == 4 && gradOutput.shape[2] % factor == 0 && gradOutput.shape[3] % factor == 0,
            "gradient \(gradOutput.shape) is not an upsampled [n, c, h·\(factor), w·\(factor)]")
        let u = factor, h = gradOutput.shape[2] / u, w = gradOutput.shape[3] / u
        let planes = gradOutput.shape[0] * gradOutput.shape[1]
        var gradInput = Tensor.zeros([gradOutput.shape[0], gradOutput.shape[1], h, w])
        gradOutput.storage.withUnsafeBufferPointer { source in
            gradInput.storage.withUnsafeMutableBufferPointer { destination in
                for plane in 0..<planes {
                    let s = source.baseAddress! + plane * h * w * u * u
                    let d = destination.baseAddress! + plane * h * w
                    for row in 0..<(h * u) {
                        let sourceRow = s + row * w * u, destinationRow = d + (row / u) * w
                        for column in 0..<(w * u) { destinationRow[column / u] += sourceRow[column] }
                    }
                }
            }
        }
        return gradInput
    }
}
