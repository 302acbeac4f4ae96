import Foundation

extension Tensor {
    /// A tensor of values drawn uniformly from `range` (lower bound inclusive).
    /// Values are derived from the generator's raw bits only, so a seeded generator always gives the same tensor.
    public static func uniform(
        _ shape: [Int], in range: ClosedRange<Float>, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        var result = Tensor.zeros(shape)
        let width = range.upperBound - range.lowerBound
        for i in 0..<result.count {
            result.storage[i] = range.lowerBound + width * unitFloat(&generator)
        }
        return result
    }

    /// A tensor of normally distributed values (Box–Muller transform).
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        var result = Tensor.zeros(shape)
        var i = 0
        while i < result.count {
            // u1 in (0, 1] so the logarithm is finite.
            let u1 = (Double(generator.next() >> 11) + 1) * 0x1p-53
            let u2 = Double(generator.next() >> 11) * 0x1p-53
            let radius = (-2 * log(u1)).squareRoot()
            result.storage[i] = mean + standardDeviation * Float(radius * cos(2 * .pi * u2))
            if i + 1 < result.count {
                result.storage[i + 1] = mean + standardDeviation * Float(radius * sin(2 * .pi * u2))
            }
            i += 2
        }
        return result
    }

    /// Glorot (Xavier) uniform initialization for a `[fanIn, fanOut]` weight matrix:
    /// uniform in ±sqrt(6 / (fanIn + fanOut)), Keras's default for Dense kernels.
    public static func glorotUniform(
        fanIn: Int, fanOut: Int, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform([fanIn, fanOut], in: -limit...limit, using: &generator)
    }

    /// A Float in [0, 1) from the top 24 bits of the generator.
    static func unitFloat(_ generator: inout some RandomNumberGenerator) -> Float {
        Float(generator.next() >> 40) * 0x1p-24
    }
}
