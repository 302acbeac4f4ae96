import Learning
import Testing

@Suite struct ZeroPaddingTests {
    @Test func padsBottomAndRightLikeTheDiscriminator() throws {
        let layer = ZeroPadding2D(top: 0, bottom: 1, left: 0, right: 1)
        let y = layer.forward(try Tensor(shape: [1, 1, 2, 2], storage: [1, 2, 3, 4]))
        #expect(y.shape == [1, 1, 3, 3])
        #expect(y.storage == [1, 2, 0, 3, 4, 0, 0, 0, 0])
    }

    @Test func padsEverySide() throws {
        let y = ZeroPadding2D(top: 1, bottom: 2, left: 2, right: 1).forward(try Tensor(shape: [1, 1, 1, 1], storage: [7]))
        #expect(y.shape == [1, 1, 4, 4])
        #expect(y[0, 0, 1, 2] == 7)
        #expect(y.storage.reduce(0, +) == 7)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let layer = ZeroPadding2D(top: 1, bottom: 0, left: 2, right: 1)
        let x = GradientCheck.random([2, 2, 3, 3], seed: 1)
        let r = GradientCheck.random([2, 2, 4, 6], seed: 2)
        let gradInput = layer.backward(r)
        #expect(gradInput.shape == x.shape)
        #expect(GradientCheck.error(of: gradInput, at: x) { GradientCheck.weightedSum(layer.forward($0), r) } < GradientCheck.tolerance)
    }
}
