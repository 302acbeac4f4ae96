import Foundation

/// Adam (Kingma & Ba) with bias correction, as in Keras: moment estimates and step count per named parameter.
public struct Adam: Optimizer {
    /// The first- and second-moment estimates and step count of one parameter.
    struct Moments: Sendable {
        var first: [Float]
        var second: [Float]
        var step: Int
    }

    /// The step size.
    public var learningRate: Float
    /// The decay of the first-moment estimate.
    public var beta1: Float
    /// The decay of the second-moment estimate.
    public var beta2: Float
    /// Added to the denominator for stability.
    public var epsilon: Float
    /// Per-parameter state, keyed by name (internal so models can save and restore it in checkpoints).
    var moments: [String: Moments] = [:]

    /// Creates an Adam optimizer; the defaults are Keras's.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Applies one bias-corrected Adam step to the parameter called `name`.
    public mutating func update(_ parameter: inout Tensor, gradient: Tensor, name: String) {
        precondition(parameter.shape == gradient.shape, "\(name): gradient \(gradient.shape) for parameter \(parameter.shape)")
        // Taken out of the dictionary so the moment arrays are uniquely referenced and updated in place.
        var state = moments.removeValue(forKey: name) ?? Moments(
            first: Array(repeating: 0, count: parameter.count), second: Array(repeating: 0, count: parameter.count), step: 0)
        precondition(state.first.count == parameter.count, "parameter '\(name)' changed size")
        state.step += 1
        let correction1 = 1 - pow(beta1, Float(state.step))
        let correction2 = 1 - pow(beta2, Float(state.step))
        let (beta1, beta2, learningRate, epsilon) = (self.beta1, self.beta2, self.learningRate, self.epsilon)
        // Raw buffers so the loop has no bounds or uniqueness checks (same arithmetic, same results).
        gradient.storage.withUnsafeBufferPointer { gradient in
            state.first.withUnsafeMutableBufferPointer { first in
                state.second.withUnsafeMutableBufferPointer { second in
                    parameter.storage.withUnsafeMutableBufferPointer { parameter in
                        // Four lanes at a time (lane-wise IEEE operations, so the results equal the scalar loop's);
                        // the compiler does not vectorise the scalar loop itself (four possibly aliasing buffers).
                        typealias Lanes = SIMD4<Float>
                        func load(_ buffer: UnsafeBufferPointer<Float>, _ i: Int) -> Lanes {
                            UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: Lanes.self)
                        }
                        func load(_ buffer: UnsafeMutableBufferPointer<Float>, _ i: Int) -> Lanes {
                            UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: Lanes.self)
                        }
                        func store(_ value: Lanes, _ buffer: UnsafeMutableBufferPointer<Float>, _ i: Int) {
                            UnsafeMutableRawPointer(buffer.baseAddress! + i).storeBytes(of: value, as: Lanes.self)
                        }
                        let vectorEnd = parameter.count - parameter.count % 4
                        var i = 0
                        while i < vectorEnd {
                            let g = load(gradient, i)
                            let m = beta1 * load(first, i) + (1 - beta1) * g
                            let v = beta2 * load(second, i) + (1 - beta2) * g * g
                            store(m, first, i)
                            store(v, second, i)
                            let mHat = m / correction1
                            let vHat = v / correction2
                            store(load(parameter, i) - learningRate * mHat / (vHat.squareRoot() + epsilon), parameter, i)
                            i += 4
                        }
                        for i in vectorEnd..<parameter.count {
                            let g = gradient[i]
                            first[i] = beta1 * first[i] + (1 - beta1) * g
                            second[i] = beta2 * second[i] + (1 - beta2) * g * g
                            let mHat = first[i] / correction1
                            let vHat = second[i] / correction2
                            parameter[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
        moments[name] = state
    }
}
