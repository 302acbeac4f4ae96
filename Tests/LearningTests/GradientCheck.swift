import Learning

/// Finite-difference helpers shared by the gradient tests.
///
/// Tolerance: forward passes run in Float32 (unit roundoff ≈ 6e-8), so each loss evaluation carries an absolute
/// error of about 1e-7·|loss|; a central difference with step h = 1e-3 divides that by 2h, giving ≈ 1e-4·|loss|
/// per component, plus O(h²) ≈ 1e-6 truncation. Measured as ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖),
/// that is about 1e-3 for our O(1) losses, so 2e-2 catches any wrong formula (which gives errors of order 1)
/// without flaking. Losses are accumulated in Double so the sum itself adds no error.
enum GradientCheck {
    static let step: Float = 1e-3
    static let tolerance = 2e-2

    /// Σ output ⊙ weights, accumulated in Double.
    static func weightedSum(_ output: Tensor, _ weights: Tensor) -> Double {
        precondition(output.shape == weights.shape)
        var total = 0.0
        for i in 0..<output.count { total += Double(output.storage[i]) * Double(weights.storage[i]) }
        return total
    }

    /// The central-difference gradient of `loss` at `x`.
    static func numericalGradient(at x: Tensor, _ loss: (Tensor) -> Double) -> [Double] {
        var probe = x
        var gradient = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let original = probe.storage[i]
            probe.storage[i] = original + step
            let plus = loss(probe)
            probe.storage[i] = original - step
            let minus = loss(probe)
            probe.storage[i] = original
            // Divide by the step actually taken in Float32, not the nominal one.
            gradient[i] = (plus - minus) / (Double(original + step) - Double(original - step))
        }
        return gradient
    }

    /// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-12).
    static func relativeError(_ analytic: Tensor, _ numeric: [Double]) -> Double {
        precondition(analytic.count == numeric.count)
        var difference = 0.0, analyticNorm = 0.0, numericNorm = 0.0
        for i in 0..<numeric.count {
            let a = Double(analytic.storage[i])
            difference += (a - numeric[i]) * (a - numeric[i])
            analyticNorm += a * a
            numericNorm += numeric[i] * numeric[i]
        }
        return difference.squareRoot() / max(analyticNorm.squareRoot(), numericNorm.squareRoot(), 1e-12)
    }

    /// Checks `analytic` against the finite-difference gradient of `loss` at `x`; returns the relative error.
    static func error(of analytic: Tensor, at x: Tensor, _ loss: (Tensor) -> Double) -> Double {
        relativeError(analytic, numericalGradient(at: x, loss))
    }

    /// Normal values pushed at least `margin` away from zero, so kinks (ReLU) are not straddled by ±step.
    static func awayFromZero(_ shape: [Int], margin: Float = 0.05, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var t = Tensor.normal(shape, using: &generator)
        for i in 0..<t.count { t.storage[i] += t.storage[i] < 0 ? -margin : margin }
        return t
    }

    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor.normal(shape, using: &generator)
    }
}
