/// Plain stochastic gradient descent: `p ← p − learningRate · g`.
public struct SGD: Optimizer {
    /// The step size.
    public var learningRate: Float

    /// Creates an SGD optimizer with `learningRate`.
    public init(learningRate: Float) { self.learningRate = learningRate }

    /// Applies `p ← p − learningRate · g`.
    public mutating func update(_ parameter: inout Tensor, gradient: Tensor, name: String) {
        precondition(parameter.shape == gradient.shape, "\(name): gradient \(gradient.shape) for parameter \(parameter.shape)")
        for i in 0..<parameter.count { parameter.storage[i] -= learningRate * gradient.storage[i] }
    }
}
