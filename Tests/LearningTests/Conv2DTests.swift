@testable import Learning
import Testing

/// A direct (six nested loops) convolution with Keras/TensorFlow padding, the reference the im2col path must match.
func referenceConvolution(_ x: Tensor, weight: Tensor, bias: Tensor, stride: Int, padding: ConvolutionPadding) -> Tensor {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let f = weight.shape[0], k = weight.shape[2]
    let outH: Int, outW: Int, padTop: Int, padLeft: Int
    switch padding {
    case .same:
        outH = (h + stride - 1) / stride
        outW = (w + stride - 1) / stride
        padTop = max((outH - 1) * stride + k - h, 0) / 2
        padLeft = max((outW - 1) * stride + k - w, 0) / 2
    case .valid:
        outH = (h - k) / stride + 1
        outW = (w - k) / stride + 1
        padTop = 0
        padLeft = 0
    }
    var y = Tensor.zeros([n, f, outH, outW])
    for image in 0..<n {
        for filter in 0..<f {
            for row in 0..<outH {
                for column in 0..<outW {
                    var total = bias[filter]
                    for channel in 0..<c {
                        for ki in 0..<k {
                            for kj in 0..<k {
                                let ih = row * stride - padTop + ki, iw = column * stride - padLeft + kj
                                if ih >= 0 && ih < h && iw >= 0 && iw < w {
                                    total += weight[filter, channel, ki, kj] * x[image, channel, ih, iw]
                                }
                            }
                        }
                    }
                    y[image, filter, row, column] = total
                }
            }
        }
    }
    return y
}

func maximumDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
    var largest: Float = 0
    for i in 0..<a.count { largest = max(largest, abs(a.storage[i] - b.storage[i])) }
    return largest
}

@Suite struct Conv2DTests {
    @Test func twoByTwoKernelMatchesHandComputedValues() throws {
        // x = 1…9 in a 3×3 image; kernel [[1, 2], [3, 4]], bias 0.5, 'valid', stride 1:
        // y[0,0] = 1·1 + 2·2 + 4·3 + 5·4 + 0.5 = 37.5, y[0,1] = 2 + 6 + 15 + 24 + 0.5 = 47.5,
        // y[1,0] = 4 + 10 + 21 + 32 + 0.5 = 67.5, y[1,1] = 5 + 12 + 24 + 36 + 0.5 = 77.5.
        let conv = Conv2D(weight: try Tensor(shape: [1, 1, 2, 2], storage: [1, 2, 3, 4]), bias: try Tensor(shape: [1], storage: [0.5]), padding: .valid)
        let x = try Tensor(shape: [1, 1, 3, 3], storage: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = conv.forward(x).output
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.storage == [37.5, 47.5, 67.5, 77.5])
        // 'same' with a 2×2 kernel pads one column on the right and one row at the bottom (TensorFlow's rule):
        // y[2,2] = 9·1 = 9, y[0,2] = 3·1 + 6·3 = 21.
        let same = Conv2D(weight: conv.weight, bias: .zeros([1]), padding: .same).forward(x).output
        #expect(same.shape == [1, 1, 3, 3])
        #expect(same[0, 0, 2, 2] == 9)
        #expect(same[0, 0, 0, 2] == 21)
    }

    @Test func stridedSamePaddingPutsTheExtraPixelBottomRight() {
        // 4×4 input, kernel 3, stride 2: output 2×2, total padding max((2−1)·2 + 3 − 4, 0) = 1, all on the bottom/right,
        // so output (0, 0) reads rows and columns 0…2 and output (1, 1) reads rows 2…3 plus the padding.
        var g = SeededGenerator(seed: 1)
        let conv = Conv2D(inputChannels: 1, filters: 1, kernelSize: 3, stride: 2, padding: .same, using: &g)
        #expect(conv.outputSize(height: 4, width: 4) == (2, 2))
        #expect(conv.outputSize(height: 5, width: 7) == (3, 4))
        #expect(conv.outputSize(height: 33, width: 33) == (17, 17))
        let geometry = conv.geometry(height: 4, width: 4, upsampling: 1)
        #expect(geometry.padTop == 0 && geometry.padLeft == 0)
        let odd = conv.geometry(height: 5, width: 5, upsampling: 1)
        #expect(odd.padTop == 1 && odd.padLeft == 1)
    }

    @Test(arguments: [(1, ConvolutionPadding.same, 3), (2, .same, 3), (1, .valid, 3), (2, .valid, 2), (2, .same, 4), (3, .same, 1)])
    func forwardMatchesDirectConvolution(stride: Int, padding: ConvolutionPadding, kernel: Int) {
        var g = SeededGenerator(seed: 2)
        var conv = Conv2D(inputChannels: 3, filters: 4, kernelSize: kernel, stride: stride, padding: padding, using: &g)
        conv.bias = GradientCheck.random([4], seed: 3)
        let x = GradientCheck.random([3, 3, 7, 6], seed: 4)
        let expected = referenceConvolution(x, weight: conv.weight, bias: conv.bias, stride: stride, padding: padding)
        #expect(maximumDifference(conv.forward(x).output, expected) < 1e-4)
        // One image per chunk (a tiny budget) and all images in one sgemm give the same result.
        var small = ConvolutionWorkspace(columnBudget: 1)
        #expect(maximumDifference(conv.forward(x, workspace: &small).output, expected) < 1e-4)
    }

    @Test(arguments: [(1, ConvolutionPadding.same, 3), (2, .same, 3), (1, .valid, 3), (2, .valid, 2), (2, .same, 4)])
    func gradientsMatchFiniteDifferences(stride: Int, padding: ConvolutionPadding, kernel: Int) {
        var g = SeededGenerator(seed: 5)
        var conv = Conv2D(inputChannels: 2, filters: 3, kernelSize: kernel, stride: stride, padding: padding, using: &g)
        conv.bias = GradientCheck.random([3], seed: 6)
        let x = GradientCheck.random([2, 2, 5, 5], seed: 7)
        let (y, cache) = conv.forward(x)
        let r = GradientCheck.random(y.shape, seed: 8)
        for budget in [1, ConvolutionWorkspace.defaultColumnBudget] {
            var workspace = ConvolutionWorkspace(columnBudget: budget)
            let (gradInput, gradients) = conv.backward(r, cache: cache, workspace: &workspace)
            let c = conv
            #expect(GradientCheck.error(of: gradInput, at: x) { GradientCheck.weightedSum(c.forward($0).output, r) } < GradientCheck.tolerance)
            #expect(GradientCheck.error(of: gradients.weight, at: conv.weight) {
                GradientCheck.weightedSum(Conv2D(weight: $0, bias: c.bias, stride: stride, padding: padding).forward(x).output, r)
            } < GradientCheck.tolerance)
            #expect(GradientCheck.error(of: gradients.bias, at: conv.bias) {
                GradientCheck.weightedSum(Conv2D(weight: c.weight, bias: $0, stride: stride, padding: padding).forward(x).output, r)
            } < GradientCheck.tolerance)
        }
    }

    /// The fused path (phase decomposition for odd kernels, upsampling inside im2col otherwise) equals
    /// `UpSampling2D` followed by the convolution, forward and backward.
    @Test(arguments: [(3, 1, ConvolutionPadding.same), (5, 1, .same), (1, 1, .same), (4, 1, .same), (3, 2, .same), (3, 1, .valid)])
    func fusedUpsamplingMatchesUpsamplingThenConvolution(kernel: Int, stride: Int, padding: ConvolutionPadding) {
        var g = SeededGenerator(seed: 9)
        var conv = Conv2D(inputChannels: 3, filters: 4, kernelSize: kernel, stride: stride, padding: padding, using: &g)
        conv.bias = GradientCheck.random([4], seed: 10)
        let x = GradientCheck.random([2, 3, 4, 5], seed: 11)
        let upsampled = UpSampling2D().forward(x)
        var workspace = ConvolutionWorkspace()
        let expected = conv.forward(upsampled).output
        let fused = conv.forward(x, upsampling: 2, workspace: &workspace)
        #expect(maximumDifference(fused, expected) < 1e-4)
        let r = GradientCheck.random(expected.shape, seed: 12)
        let (gradUpsampled, expectedGradients) = conv.backward(r, cache: upsampled)
        let (gradInput, gradients) = conv.backward(r, input: x, upsampling: 2, inputGradient: true, parameterGradients: true, workspace: &workspace)
        #expect(maximumDifference(gradInput!, UpSampling2D().backward(gradUpsampled)) < 1e-3)
        #expect(maximumDifference(gradients!.weight, expectedGradients.weight) < 1e-3)
        #expect(maximumDifference(gradients!.bias, expectedGradients.bias) < 1e-3)
        // And each part alone.
        let (onlyInput, none) = conv.backward(r, input: x, upsampling: 2, inputGradient: true, parameterGradients: false, workspace: &workspace)
        #expect(none == nil && maximumDifference(onlyInput!, gradInput!) == 0)
    }

    @Test func phaseTapsOfAThreeByThreeKernel() {
        // Even output rows read stored rows i−1 (tap 0) and i (taps 1 and 2); odd rows read i (taps 0, 1) and i+1 (tap 2).
        #expect(Conv2D.phaseTaps(kernel: 3, phase: 0) == (1, [0, 1, 1]))
        #expect(Conv2D.phaseTaps(kernel: 3, phase: 1) == (0, [0, 0, 1]))
    }
}
