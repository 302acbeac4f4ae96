/// Flattens every dimension after the batch: `[n, c, h, w]` becomes `[n, c·h·w]` in CHW order (a view; no copy
/// of the values beyond Swift's copy-on-write).
public struct Flatten: Sendable, Equatable {
    /// Creates the layer (it has no parameters).
    public init() {}

    /// Returns `x` as `[n, rest]`; the cache for `backward` is `x`'s shape.
    public func forward(_ x: Tensor) -> (output: Tensor, cache: [Int]) {
        precondition(x.rank >= 1, "Flatten needs a batch dimension, got a scalar")
        let n = x.shape[0]
        return (Tensor(unchecked: [n, n == 0 ? 0 : x.count / n], x.storage), x.shape)
    }

    /// The gradient with respect to the input: `gradOutput` viewed with the input's shape.
    /// - Parameter cache: the input shape `forward` returned.
    public func backward(_ gradOutput: Tensor, cache shape: [Int]) -> Tensor {
        precondition(gradOutput.count == shape.reduce(1, *), "gradient \(gradOutput.shape) does not fit input \(shape)")
        return Tensor(unchecked: shape, gradOutput.storage)
    }
}
