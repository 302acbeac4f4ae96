import Learning
import Testing

@Suite struct TrainingTests {
    static let xorInputs = try! Tensor(shape: [4, 2], storage: [0, 0, 0, 1, 1, 0, 1, 1])
    static let xorLabels = [0, 1, 1, 0]

    @Test func mlpLearnsXOR() throws {
        var model = TinyMLP(seed: 2026, inputs: 2, hiddenUnits: 8, classes: 2)
        let initial = try model.step(Self.xorInputs, labels: Self.xorLabels)
        var losses = [initial]
        for _ in 0..<300 { losses.append(try model.step(Self.xorInputs, labels: Self.xorLabels)) }
        #expect(losses[100] < initial && losses[300] < losses[100])
        let final = try softmaxCrossEntropy(logits: model.logits(Self.xorInputs), labels: Self.xorLabels).loss
        print("XOR: loss \(initial) → \(final) after 301 Adam steps")
        #expect(initial > 0.5)  // near log 2 at initialization
        #expect(final < 0.05)
        let predictions = model.logits(Self.xorInputs)
        for (row, label) in Self.xorLabels.enumerated() {
            #expect(predictions[row, label] > predictions[row, 1 - label])
        }
    }

    @Test func sameSeedGivesIdenticalWeightsAndLosses() throws {
        var a = TinyMLP(seed: 99, inputs: 2, hiddenUnits: 8, classes: 2)
        var b = TinyMLP(seed: 99, inputs: 2, hiddenUnits: 8, classes: 2)
        let c = TinyMLP(seed: 100, inputs: 2, hiddenUnits: 8, classes: 2)
        #expect(a.hidden == b.hidden && a.output == b.output)
        #expect(a.hidden != c.hidden)
        var lossesA: [Float] = [], lossesB: [Float] = []
        for _ in 0..<25 {
            lossesA.append(try a.step(Self.xorInputs, labels: Self.xorLabels))
            lossesB.append(try b.step(Self.xorInputs, labels: Self.xorLabels))
        }
        #expect(lossesA == lossesB)
        #expect(a.hidden == b.hidden && a.output == b.output)
    }

    @Test func setThreadsKeepsResultsExact() throws {
        Learning.setThreads(1)
        let a = GradientCheck.random([64, 32], seed: 5), b = GradientCheck.random([32, 48], seed: 6)
        let single = matmul(a, b)
        Learning.setThreads(2)
        #expect(matmul(a, b).shape == single.shape)
        Learning.setThreads(1)
        #expect(matmul(a, b) == single)
    }
}
