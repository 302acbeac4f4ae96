import Foundation
import Learning
import Testing

@Suite struct LossTests {
    @Test func softmaxCrossEntropyOfKnownLogits() throws {
        let logits = try Tensor(shape: [1, 3], storage: [1, 2, 3])
        let (loss, grad) = try softmaxCrossEntropy(logits: logits, labels: [0])
        let z = exp(1.0) + exp(2.0) + exp(3.0)
        #expect(abs(Double(loss) - -log(exp(1.0) / z)) < 1e-5)  // −log p₀ = 2.4076
        #expect(abs(Double(grad[0, 0]) - (exp(1.0) / z - 1)) < 1e-6)
        #expect(abs(Double(grad[0, 2]) - exp(3.0) / z) < 1e-6)
    }

    @Test func softmaxCrossEntropyIsStableForHugeLogits() throws {
        let logits = try Tensor(shape: [2, 2], storage: [1000, 0, -1000, 1000])
        let (loss, grad) = try softmaxCrossEntropy(logits: logits, labels: [0, 0])
        #expect(abs(loss - 1000) < 1e-3)  // (0 + 2000) / 2
        #expect(grad.storage.allSatisfy { $0.isFinite })
    }

    @Test func softmaxCrossEntropyRejectsBadLabels() {
        #expect(throws: LearningError(.labelOutOfRange(label: 3, classes: 3))) {
            try softmaxCrossEntropy(logits: .zeros([1, 3]), labels: [3])
        }
    }

    @Test(arguments: [(1, 2), (3, 4), (5, 7)])
    func softmaxCrossEntropyGradient(batch: Int, classes: Int) throws {
        let logits = GradientCheck.random([batch, classes], seed: 20)
        let labels = (0..<batch).map { ($0 * 5 + 1) % classes }
        let analytic = try softmaxCrossEntropy(logits: logits, labels: labels).gradLogits
        #expect(GradientCheck.error(of: analytic, at: logits) {
            Double((try? softmaxCrossEntropy(logits: $0, labels: labels).loss) ?? .nan)
        } < GradientCheck.tolerance)
    }

    @Test func binaryCrossEntropyKnownValuesAndStability() throws {
        let logits = try Tensor(shape: [3], storage: [0, 200, -200])
        let targets = try Tensor(shape: [3], storage: [1, 1, 1])
        let (loss, grad) = binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        // (log 2 + 0 + 200) / 3
        #expect(abs(Double(loss) - (log(2.0) + 200) / 3) < 1e-4)
        #expect(grad.storage.allSatisfy { $0.isFinite })
        #expect(abs(grad.storage[2] - -1 / 3) < 1e-6)
    }

    @Test func binaryCrossEntropyGradient() {
        let logits = GradientCheck.random([4, 3], seed: 21)
        var g = SeededGenerator(seed: 22)
        let targets = Tensor.uniform([4, 3], in: 0...1, using: &g)
        let analytic = binaryCrossEntropyWithLogits(logits: logits, targets: targets).gradLogits
        #expect(GradientCheck.error(of: analytic, at: logits) {
            Double(binaryCrossEntropyWithLogits(logits: $0, targets: targets).loss)
        } < GradientCheck.tolerance)
    }
}
