import Learning
import Testing

@Suite struct DenseTests {
    @Test func forwardIsAffine() throws {
        let layer = Dense(weight: try Tensor(shape: [2, 2], storage: [1, 2, 3, 4]), bias: try Tensor(shape: [2], storage: [0.5, -1]))
        let x = try Tensor(shape: [1, 2], storage: [1, 1])
        #expect(layer.forward(x).output.storage == [4.5, 5])
    }

    @Test(arguments: [(1, 3, 2), (4, 5, 3)])
    func gradientMatchesFiniteDifferences(batch: Int, inputs: Int, outputs: Int) {
        var g = SeededGenerator(seed: 30)
        var layer = Dense(inputSize: inputs, outputSize: outputs, using: &g)
        layer.bias = GradientCheck.random([outputs], seed: 31)
        let x = GradientCheck.random([batch, inputs], seed: 32), r = GradientCheck.random([batch, outputs], seed: 33)
        let (_, cache) = layer.forward(x)
        let (gradInput, grads) = layer.backward(r, cache: cache)
        let l = layer
        #expect(GradientCheck.error(of: gradInput, at: x) { GradientCheck.weightedSum(l.forward($0).output, r) }
            < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: grads.weight, at: layer.weight) {
            GradientCheck.weightedSum(Dense(weight: $0, bias: l.bias).forward(x).output, r)
        } < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: grads.bias, at: layer.bias) {
            GradientCheck.weightedSum(Dense(weight: l.weight, bias: $0).forward(x).output, r)
        } < GradientCheck.tolerance)
    }
}
