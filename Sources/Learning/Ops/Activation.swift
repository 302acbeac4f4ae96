import Foundation

/// An elementwise activation with its derivative.
public enum Activation: Sendable, Equatable {
    /// `max(0, x)`.
    case relu
    /// `x` for positive `x`, `alpha · x` otherwise.
    case leakyReLU(alpha: Float)
    /// The hyperbolic tangent.
    case tanh
    /// The logistic function `1 / (1 + e^-x)`.
    case sigmoid

    /// Applies the activation to every element; the output is also the cache `backward` needs.
    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        switch self {
        case .relu: for i in 0..<y.count { y.storage[i] = max(0, x.storage[i]) }
        case let .leakyReLU(alpha): for i in 0..<y.count where x.storage[i] < 0 { y.storage[i] = alpha * x.storage[i] }
        case .tanh: for i in 0..<y.count { y.storage[i] = Foundation.tanh(x.storage[i]) }
        case .sigmoid: for i in 0..<y.count { y.storage[i] = Activation.logistic(x.storage[i]) }
        }
        return y
    }

    /// The gradient with respect to the input.
    /// - Parameters:
    ///   - gradOutput: the gradient with respect to the output.
    ///   - input: the tensor passed to `forward`.
    ///   - output: the tensor `forward` returned.
    public func backward(_ gradOutput: Tensor, input: Tensor, output: Tensor) -> Tensor {
        var grad = gradOutput
        switch self {
        case .relu:
            for i in 0..<grad.count where input.storage[i] <= 0 { grad.storage[i] = 0 }
        case let .leakyReLU(alpha):
            for i in 0..<grad.count where input.storage[i] < 0 { grad.storage[i] *= alpha }
        case .tanh:
            for i in 0..<grad.count { grad.storage[i] *= 1 - output.storage[i] * output.storage[i] }
        case .sigmoid:
            for i in 0..<grad.count { grad.storage[i] *= output.storage[i] * (1 - output.storage[i]) }
        }
        return grad
    }

    /// A logistic function that does not overflow for large negative `x`.
    static func logistic(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }
}
