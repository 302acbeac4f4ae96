/// A fully connected layer `y = x · weight + bias` on `[batch, inputSize]` inputs.
public struct Dense: Sendable, Equatable {
    /// The gradients of a `Dense` layer's parameters.
    public struct Gradients: Sendable, Equatable {
        /// `∂loss/∂weight`, `[inputSize, outputSize]`.
        public var weight: Tensor
        /// `∂loss/∂bias`, `[outputSize]`.
        public var bias: Tensor
    }

    /// `[inputSize, outputSize]`.
    public var weight: Tensor
    /// `[outputSize]`.
    public var bias: Tensor

    /// Creates a layer with Glorot-uniform weights and zero bias (Keras's defaults).
    public init(inputSize: Int, outputSize: Int, using generator: inout some RandomNumberGenerator) {
        weight = .glorotUniform(fanIn: inputSize, fanOut: outputSize, using: &generator)
        bias = .zeros([outputSize])
    }

    /// Creates a layer from explicit parameters; `bias.count` must equal `weight`'s column count.
    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[1]], "bias \(bias.shape) does not fit weight \(weight.shape)")
        self.weight = weight
        self.bias = bias
    }

    /// Returns `x · weight + bias`; the cache for `backward` is `x` itself.
    public func forward(_ x: Tensor) -> (output: Tensor, cache: Tensor) {
        (addBias(matmul(x, weight), bias), x)
    }

    /// The gradients with respect to the input and the parameters.
    /// - Parameter cache: the input that `forward` returned as its cache.
    public func backward(_ gradOutput: Tensor, cache x: Tensor) -> (gradInput: Tensor, gradients: Gradients) {
        let (gradInput, gradWeight) = matmulBackward(gradOutput: gradOutput, a: x, b: weight)
        return (gradInput, Gradients(weight: gradWeight, bias: biasGradient(gradOutput)))
    }

    /// Updates both parameters, named `"<name>.weight"` and `"<name>.bias"` for the optimizer's state.
    public mutating func update(with gradients: Gradients, using optimizer: inout some Optimizer, name: String) {
        optimizer.update(&weight, gradient: gradients.weight, name: name + ".weight")
        optimizer.update(&bias, gradient: gradients.bias, name: name + ".bias")
    }
}
