/// Branch-free elementwise functions for the LSTM's inner loops. They are written without library calls or checked
/// conversions so the compiler vectorises the loops that use them; `exp` is Cephes's single-precision polynomial
/// (relative error about 2 ulp over the whole clamped range).
enum LSTMMath {
    /// e^x for x clamped to [-87, 88] (results stay normal floats).
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let x = Swift.min(Swift.max(x, -87), 88)
        // n = round(x / ln 2) by the 1.5·2^23 trick: the sum's low mantissa bits hold n.
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        // Cody–Waite reduction: r = x − n·ln 2 in two parts.
        let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
        return p * Float(bitPattern: exponent)
    }

    /// The logistic function 1 / (1 + e^-x).
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    /// tanh x = 1 − 2 / (e^2x + 1) (absolute error about 1e-7).
    @inline(__always)
    static func tanh(_ x: Float) -> Float { 1 - 2 / (exp(2 * x) + 1) }

    /// Applies the logistic function to `count` values in place.
    @inline(__always)
    static func sigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { values[j] = sigmoid(values[j]) }
    }

    /// Applies tanh to `count` values in place.
    @inline(__always)
    static func tanh(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { values[j] = tanh(values[j]) }
    }

    /// e^x in four lanes (the same polynomial as the scalar `exp`).
    @inline(__always)
    static func exp(_ x: SIMD4<Float>) -> SIMD4<Float> {
        // Lane-wise comparisons and selects (`clamped` calls generic `pointwiseMin/Max` that are not inlined).
        let low = SIMD4<Float>(repeating: -87), high = SIMD4<Float>(repeating: 88)
        let x = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p = SIMD4<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r + 1
        let exponent = (unsafeBitCast(shifted, to: SIMD4<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: SIMD4<Float>.self)
    }

    /// The logistic function in four lanes.
    @inline(__always)
    static func sigmoid(_ x: SIMD4<Float>) -> SIMD4<Float> { 1 / (1 + exp(-x)) }

    /// tanh in four lanes.
    @inline(__always)
    static func tanh(_ x: SIMD4<Float>) -> SIMD4<Float> { 1 - 2 / (exp(2 * x) + 1) }
}
