import Learning
import Testing

@Suite struct DropoutTests {
    @Test func sameSeedGivesTheSameMask() {
        let layer = Dropout(rate: 0.25)
        let x = Tensor(shape: [4, 100], repeating: 1)
        var first = SeededGenerator(seed: 1), second = SeededGenerator(seed: 1), other = SeededGenerator(seed: 2)
        let a = layer.forward(x, training: true, using: &first), b = layer.forward(x, training: true, using: &second)
        #expect(a.output == b.output && a.mask == b.mask)
        #expect(layer.forward(x, training: true, using: &other).mask != a.mask)
    }

    @Test func survivorsAreScaledByTheInverseKeepProbability() {
        let layer = Dropout(rate: 0.25)
        let x = GradientCheck.random([20, 50], seed: 3)
        var g = SeededGenerator(seed: 4)
        let (y, mask) = layer.forward(x, training: true, using: &g)
        var dropped = 0
        for i in 0..<x.count {
            if y.storage[i] == 0 && x.storage[i] != 0 {
                dropped += 1
            } else {
                #expect(abs(y.storage[i] - x.storage[i] / 0.75) <= 1e-6 * abs(x.storage[i]) + 1e-7)
            }
        }
        // 1000 values at rate 0.25: 250 expected, standard deviation ≈ 13.7.
        #expect(dropped > 180 && dropped < 320)
        let gradient = layer.backward(Tensor(shape: x.shape, repeating: 1), mask: mask)
        #expect(gradient == mask!)
    }

    @Test func isTheIdentityAtInference() {
        let layer = Dropout(rate: 0.5)
        let x = GradientCheck.random([3, 7], seed: 5)
        var g = SeededGenerator(seed: 6)
        let (y, mask) = layer.forward(x, training: false, using: &g)
        #expect(y == x && mask == nil)
        #expect(layer.backward(x, mask: nil) == x)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let layer = Dropout(rate: 0.4)
        let x = GradientCheck.random([3, 8], seed: 7)
        let r = GradientCheck.random([3, 8], seed: 8)
        var g = SeededGenerator(seed: 9)
        let (_, mask) = layer.forward(x, training: true, using: &g)
        #expect(GradientCheck.error(of: layer.backward(r, mask: mask), at: x) {
            var same = SeededGenerator(seed: 9)
            return GradientCheck.weightedSum(layer.forward($0, training: true, using: &same).output, r)
        } < GradientCheck.tolerance)
    }
}
