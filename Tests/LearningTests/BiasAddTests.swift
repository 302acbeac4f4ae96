import Foundation
import Learning
import Testing

@Suite struct BiasAddTests {
    @Test func broadcastsOverRows() throws {
        let x = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3], storage: [10, 20, 30])
        #expect(addBias(x, b).storage == [11, 22, 33, 14, 25, 36])
        #expect(biasGradient(x).storage == [5, 7, 9])
    }

    @Test func gradientMatchesFiniteDifferences() {
        let x = GradientCheck.random([2, 3, 4], seed: 4), b = GradientCheck.random([4], seed: 5)
        let r = GradientCheck.random([2, 3, 4], seed: 6)
        #expect(GradientCheck.error(of: biasGradient(r), at: b) { GradientCheck.weightedSum(addBias(x, $0), r) }
            < GradientCheck.tolerance)
        // ∂/∂x is the identity: gradOutput passes through unchanged.
        #expect(GradientCheck.error(of: r, at: x) { GradientCheck.weightedSum(addBias($0, b), r) } < GradientCheck.tolerance)
    }
}
