import Foundation
import Learning
import Testing

@Suite struct ActivationTests {
    static let all: [Activation] = [.relu, .leakyReLU(alpha: 0.2), .tanh, .sigmoid]

    @Test func knownValues() throws {
        let x = try Tensor(shape: [4], storage: [-2, -0.5, 0, 3])
        #expect(Activation.relu.forward(x).storage == [0, 0, 0, 3])
        #expect(Activation.leakyReLU(alpha: 0.2).forward(x).storage == [-0.4, -0.1, 0, 3])
        #expect(abs(Activation.tanh.forward(x).storage[3] - Float(tanh(3.0))) < 1e-6)
        let s = Activation.sigmoid.forward(try Tensor(shape: [3], storage: [0, -100, 100]))
        // No overflow to NaN at ±100: σ(−100) = e^−100 ≈ 3.7e-44 (a Float32 subnormal), σ(100) rounds to 1.
        #expect(s.storage[0] == 0.5 && s.storage[1] >= 0 && s.storage[1] < 1e-30 && s.storage[2] == 1)
    }

    @Test(arguments: all)
    func gradientMatchesFiniteDifferences(_ activation: Activation) {
        let x = GradientCheck.awayFromZero([3, 5], seed: 8)
        let r = GradientCheck.random([3, 5], seed: 9)
        let y = activation.forward(x)
        let analytic = activation.backward(r, input: x, output: y)
        #expect(GradientCheck.error(of: analytic, at: x) { GradientCheck.weightedSum(activation.forward($0), r) }
            < GradientCheck.tolerance)
    }
}
