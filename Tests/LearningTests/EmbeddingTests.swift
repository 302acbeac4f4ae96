import Learning
import Testing

@Suite struct EmbeddingTests {
    @Test func lookupCopiesRowsIncludingIdZero() throws {
        let layer = Embedding(table: try Tensor(shape: [3, 2], storage: [0, 1, 10, 11, 20, 21]))
        let out = try layer.forward([2, 0, 2, 1], shape: [2, 2])
        #expect(out.shape == [2, 2, 2])
        #expect(out.storage == [20, 21, 0, 1, 20, 21, 10, 11])
    }

    @Test func rejectsOutOfRangeIds() throws {
        var g = SeededGenerator(seed: 1)
        let layer = Embedding(vocabularySize: 4, dimension: 3, using: &g)
        #expect(throws: LearningError(.idOutOfRange(id: 4, vocabularySize: 4))) { try layer.forward([0, 4]) }
        #expect(throws: LearningError(.idOutOfRange(id: -1, vocabularySize: 4))) { try layer.forward([-1]) }
    }

    @Test func gradientScatterAddsAndMatchesFiniteDifferences() throws {
        var g = SeededGenerator(seed: 40)
        let layer = Embedding(vocabularySize: 5, dimension: 3, using: &g)
        let ids = [0, 3, 3, 1, 0, 0]  // repeats accumulate; id 2 and 4 get zero gradient
        let r = GradientCheck.random([2, 3, 3], seed: 41)
        let analytic = layer.backward(r, ids: ids)
        #expect(analytic.storage[2 * 3..<3 * 3].allSatisfy { $0 == 0 })
        #expect(GradientCheck.error(of: analytic, at: layer.table) {
            GradientCheck.weightedSum((try? Embedding(table: $0).forward(ids, shape: [2, 3])) ?? .zeros([2, 3, 3]), r)
        } < GradientCheck.tolerance)
    }
}
