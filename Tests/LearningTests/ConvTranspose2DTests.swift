@testable import Learning
import Testing

@Suite struct ConvTranspose2DTests {
    @Test func outputSizes() {
        var g = SeededGenerator(seed: 1)
        let k4 = ConvTranspose2D(inputChannels: 1, filters: 1, kernelSize: 4, stride: 2, padding: .same, using: &g)
        #expect(k4.outputSize(height: 4, width: 5) == (8, 10))
        let k3 = ConvTranspose2D(inputChannels: 1, filters: 1, kernelSize: 3, stride: 2, padding: .same, using: &g)
        #expect(k3.outputSize(height: 4, width: 4) == (8, 8))
        let valid = ConvTranspose2D(inputChannels: 1, filters: 1, kernelSize: 3, stride: 2, padding: .valid, using: &g)
        #expect(valid.outputSize(height: 4, width: 4) == (9, 9))
        #expect(valid.forward(Tensor.zeros([2, 1, 4, 4])).output.shape == [2, 1, 9, 9])
    }

    @Test func kernelFourStrideTwoMatchesPyTorchPaddingOne() throws {
        // One input pixel of value 2 through ConvTranspose2d(1, 1, 4, stride 2, padding 1): a 2×2 output whose
        // pixel (r, c) is 2·W[r + 1, c + 1], plus the bias.
        let weight = try Tensor(shape: [1, 1, 4, 4], storage: (0..<16).map(Float.init))
        let layer = ConvTranspose2D(weight: weight, bias: try Tensor(shape: [1], storage: [0.25]), stride: 2, padding: .same)
        let y = layer.forward(try Tensor(shape: [1, 1, 1, 1], storage: [2])).output
        #expect(y.shape == [1, 1, 2, 2])
        let expected: [Float] = [10.25, 12.25, 18.25, 20.25]  // 2·W[1,1] + 0.25, 2·W[1,2] + 0.25, 2·W[2,1] + 0.25, 2·W[2,2] + 0.25
        #expect(y.storage == expected)
    }

    /// ⟨convT(x), y⟩ = ⟨x, conv(y)⟩ with the same weight tensor: the layer is the adjoint of `Conv2D`.
    @Test(arguments: [(4, 2, ConvolutionPadding.same), (3, 2, .same), (3, 2, .valid), (3, 1, .same)])
    func isTheAdjointOfConv2D(kernel: Int, stride: Int, padding: ConvolutionPadding) {
        let weight = GradientCheck.random([3, 2, kernel, kernel], seed: 2)
        let deconv = ConvTranspose2D(weight: weight, bias: .zeros([2]), stride: stride, padding: padding)
        let conv = Conv2D(weight: weight, bias: .zeros([3]), stride: stride, padding: padding)
        let x = GradientCheck.random([2, 3, 4, 5], seed: 3)
        let up = deconv.forward(x).output
        let y = GradientCheck.random(up.shape, seed: 4)
        let down = conv.forward(y).output
        #expect(down.shape == x.shape)
        let left = GradientCheck.weightedSum(up, y), right = GradientCheck.weightedSum(down, x)
        #expect(abs(left - right) < 1e-3 * max(1, abs(left)))
    }

    @Test(arguments: [(4, 2, ConvolutionPadding.same), (3, 2, .same), (3, 2, .valid), (3, 1, .same)])
    func gradientsMatchFiniteDifferences(kernel: Int, stride: Int, padding: ConvolutionPadding) {
        var g = SeededGenerator(seed: 5)
        var layer = ConvTranspose2D(inputChannels: 2, filters: 3, kernelSize: kernel, stride: stride, padding: padding, using: &g)
        layer.bias = GradientCheck.random([3], seed: 6)
        let x = GradientCheck.random([2, 2, 3, 3], seed: 7)
        let (y, cache) = layer.forward(x)
        let r = GradientCheck.random(y.shape, seed: 8)
        for budget in [1, ConvolutionWorkspace.defaultColumnBudget] {
            var workspace = ConvolutionWorkspace(columnBudget: budget)
            #expect(maximumDifference(layer.forward(x, workspace: &workspace).output, y) < 1e-5)
            let (gradInput, gradients) = layer.backward(r, cache: cache, workspace: &workspace)
            let l = layer
            #expect(GradientCheck.error(of: gradInput, at: x) { GradientCheck.weightedSum(l.forward($0).output, r) } < GradientCheck.tolerance)
            #expect(GradientCheck.error(of: gradients.weight, at: layer.weight) {
                GradientCheck.weightedSum(ConvTranspose2D(weight: $0, bias: l.bias, stride: stride, padding: padding).forward(x).output, r)
            } < GradientCheck.tolerance)
            #expect(GradientCheck.error(of: gradients.bias, at: layer.bias) {
                GradientCheck.weightedSum(ConvTranspose2D(weight: l.weight, bias: $0, stride: stride, padding: padding).forward(x).output, r)
            } < GradientCheck.tolerance)
        }
    }
}
