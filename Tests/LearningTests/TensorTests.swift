import Learning
import Testing

@Suite struct TensorTests {
    @Test func zerosAndFilled() {
        #expect(Tensor.zeros([2, 3]).storage == [Float](repeating: 0, count: 6))
        let t = Tensor(shape: [2, 2], repeating: 1.5)
        #expect(t.count == 4 && t.rank == 2 && t.storage.allSatisfy { $0 == 1.5 })
        #expect(Tensor.zeros([]).count == 1)  // a scalar
    }

    @Test func initFromArrayChecksCount() throws {
        let t = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(t[1, 0] == 4 && t[0, 2] == 3)
        #expect(throws: LearningError(.storageCount(shape: [2, 3], expected: 6, actual: 5))) {
            try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5])
        }
        #expect(throws: LearningError(.negativeDimension(shape: [2, -1]))) { try Tensor(shape: [2, -1], storage: []) }
    }

    @Test func subscriptIsRowMajor() throws {
        var t = Tensor.zeros([2, 3, 4])
        t[1, 2, 3] = 7
        #expect(t.storage[1 * 12 + 2 * 4 + 3] == 7)
        #expect(t.offset([0, 1, 2]) == 6)
    }

    @Test func reshapeKeepsValues() throws {
        let t = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let r = try t.reshaped([3, 2])
        #expect(r.shape == [3, 2] && r.storage == t.storage && r[2, 1] == 6)
        #expect(throws: LearningError(.reshape(from: [2, 3], to: [4, 2]))) { try t.reshaped([4, 2]) }
    }

    @Test func errorDescriptionsNameTheValues() {
        let cases: [(LearningError.Kind, String)] = [
            (.storageCount(shape: [2, 3], expected: 6, actual: 5), "tensor of shape [2, 3] needs 6 values, got 5"),
            (.reshape(from: [2, 3], to: [4, 2]), "cannot reshape [2, 3] (6 values) to [4, 2] (8 values)"),
            (.negativeDimension(shape: [2, -1]), "shape [2, -1] has a negative dimension"),
            (.idOutOfRange(id: 9, vocabularySize: 5), "token id 9 is outside 0..<5"),
            (.labelOutOfRange(label: 3, classes: 3), "label 3 is outside 0..<3"),
        ]
        for (kind, text) in cases { #expect(LearningError(kind).description == text) }
    }
}
