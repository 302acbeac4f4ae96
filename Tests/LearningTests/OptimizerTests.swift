import Learning
import Testing

@Suite struct OptimizerTests {
    @Test func sgdStepIsExact() throws {
        var sgd = SGD(learningRate: 0.5)
        var p = try Tensor(shape: [2], storage: [1, 2])
        sgd.update(&p, gradient: try Tensor(shape: [2], storage: [2, -4]), name: "p")
        #expect(p.storage == [0, 4])
    }

    @Test func adamFirstStepMovesByLearningRate() throws {
        // With bias correction, the first step is lr · g / (|g| + ε) ≈ lr · sign(g) whatever |g| is.
        var adam = Adam(learningRate: 0.1)
        var p = try Tensor(shape: [2], storage: [0, 0])
        adam.update(&p, gradient: try Tensor(shape: [2], storage: [1000, -0.001]), name: "p")
        #expect(abs(p.storage[0] - -0.1) < 1e-5 && abs(p.storage[1] - 0.1) < 1e-4)
    }

    @Test func adamMinimizesAQuadratic() throws {
        // f(p) = Σ (p − c)², ∇f = 2(p − c); minimum at c.
        let c: [Float] = [3, -2, 0.5]
        var adam = Adam(learningRate: 0.05)
        var p = Tensor.zeros([3])
        for _ in 0..<2000 {
            var grad = Tensor.zeros([3])
            for i in 0..<3 { grad.storage[i] = 2 * (p.storage[i] - c[i]) }
            adam.update(&p, gradient: grad, name: "p")
        }
        for i in 0..<3 { #expect(abs(p.storage[i] - c[i]) < 1e-3) }
    }
}
