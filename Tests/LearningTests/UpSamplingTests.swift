import Learning
import Testing

@Suite struct UpSamplingTests {
    @Test func forwardRepeatsEachPixelInATwoByTwoBlock() throws {
        let x = try Tensor(shape: [1, 1, 2, 2], storage: [1, 2, 3, 4])
        let y = UpSampling2D().forward(x)
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y.storage == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    @Test func backwardSumsEachBlock() throws {
        let gradOutput = try Tensor(shape: [1, 1, 2, 4], storage: [1, 2, 3, 4, 5, 6, 7, 8])
        let gradInput = UpSampling2D().backward(gradOutput)
        #expect(gradInput.shape == [1, 1, 1, 2])
        let expected: [Float] = [14, 22]  // 1 + 2 + 5 + 6, 3 + 4 + 7 + 8
        #expect(gradInput.storage == expected)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let layer = UpSampling2D(factor: 2)
        let x = GradientCheck.random([2, 3, 3, 2], seed: 1)
        let r = GradientCheck.random([2, 3, 6, 4], seed: 2)
        #expect(GradientCheck.error(of: layer.backward(r), at: x) { GradientCheck.weightedSum(layer.forward($0), r) } < GradientCheck.tolerance)
    }
}

@Suite struct FlattenTests {
    @Test func flattensInCHWOrderAndRestoresTheShape() {
        let x = GradientCheck.random([2, 3, 2, 2], seed: 3)
        let (y, cache) = Flatten().forward(x)
        #expect(y.shape == [2, 12])
        #expect(y.storage == x.storage)
        let back = Flatten().backward(y, cache: cache)
        #expect(back.shape == [2, 3, 2, 2] && back.storage == x.storage)
    }
}
