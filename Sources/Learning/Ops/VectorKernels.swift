/// Reductions over contiguous Float buffers in 16 independent lanes: Swift keeps scalar floating-point sums in
/// order and never vectorises them, and these sums run over every value of the large feature maps.
enum VectorKernels {
    /// `Σ values[0..<count]`.
    @inline(__always)
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(values)
        while i + 16 <= count {
            lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var total = lanes.sum()
        while i < count {
            total += values[i]
            i += 1
        }
        return total
    }

    /// `Σ (values[i] − mean)²`.
    @inline(__always)
    static func sumOfSquaredDeviations(_ values: UnsafePointer<Float>, count: Int, mean: Float) -> Float {
        var lanes = SIMD16<Float>()
        let m = SIMD16<Float>(repeating: mean)
        var i = 0
        let raw = UnsafeRawPointer(values)
        while i + 16 <= count {
            let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - m
            lanes += d * d
            i += 16
        }
        var total = lanes.sum()
        while i < count {
            let d = values[i] - mean
            total += d * d
            i += 1
        }
        return total
    }

    /// `(Σ a[i], Σ a[i]·b[i])`.
    @inline(__always)
    static func sumAndDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> (Float, Float) {
        var sums = SIMD16<Float>(), dots = SIMD16<Float>()
        var i = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while i + 16 <= count {
            let x = rawA.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            sums += x
            dots += x * rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var s = sums.sum(), d = dots.sum()
        while i < count {
            s += a[i]
            d += a[i] * b[i]
            i += 1
        }
        return (s, d)
    }
}
