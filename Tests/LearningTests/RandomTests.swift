import Learning
import Testing

@Suite struct RandomTests {
    @Test func sameSeedSameSequence() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }

    @Test func initializersAreReproducible() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        #expect(Tensor.normal([5, 5], using: &a) == Tensor.normal([5, 5], using: &b))
        #expect(Tensor.glorotUniform(fanIn: 4, fanOut: 6, using: &a) == Tensor.glorotUniform(fanIn: 4, fanOut: 6, using: &b))
    }

    @Test func uniformStaysInRangeWithTheRightMean() {
        var g = SeededGenerator(seed: 1)
        let t = Tensor.uniform([10_000], in: -2...3, using: &g)
        #expect(t.storage.allSatisfy { $0 >= -2 && $0 <= 3 })
        let mean = t.storage.reduce(0, +) / Float(t.count)
        #expect(abs(mean - 0.5) < 0.05)  // σ of the mean = 5/√12/100 ≈ 0.014
    }

    @Test func normalHasTheRequestedMoments() {
        var g = SeededGenerator(seed: 2)
        let t = Tensor.normal([20_000], mean: 1, standardDeviation: 2, using: &g)
        let mean = t.storage.reduce(0, +) / Float(t.count)
        let variance = t.storage.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(t.count)
        #expect(abs(mean - 1) < 0.05)  // σ of the mean = 2/√20000 ≈ 0.014
        #expect(abs(variance.squareRoot() - 2) < 0.05)
    }

    @Test func glorotLimit() {
        var g = SeededGenerator(seed: 3)
        let w = Tensor.glorotUniform(fanIn: 10, fanOut: 20, using: &g)
        let limit = (6 / Float(30)).squareRoot()
        #expect(w.shape == [10, 20])
        #expect(w.storage.allSatisfy { abs($0) <= limit })
        #expect(w.storage.contains { abs($0) > limit * 0.9 })
    }
}
