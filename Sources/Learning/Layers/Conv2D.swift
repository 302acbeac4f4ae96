/// A 2-D convolution (cross-correlation, as Keras and PyTorch compute it) on NCHW images:
/// `y[n, f] = bias[f] + Σ_c weight[f, c] ⋆ x[n, c]`, through `im2col` and one `sgemm` per chunk of images.
///
/// ```swift
/// var generator = SeededGenerator(seed: 1)
/// let conv = Conv2D(inputChannels: 3, filters: 32, kernelSize: 3, stride: 2, padding: .same, using: &generator)
/// let (y, cache) = conv.forward(images)                  // [n, 32, ceil(h/2), ceil(w/2)]
/// let (gradInput, gradients) = conv.backward(gradY, cache: cache)
/// ```
public struct Conv2D: Sendable, Equatable {
    /// The gradients of a `Conv2D` layer's parameters.
    public struct Gradients: Sendable, Equatable {
        /// `∂loss/∂weight`, `[filters, inputChannels, kernelSize, kernelSize]`.
        public var weight: Tensor
        /// `∂loss/∂bias`, `[filters]`.
        public var bias: Tensor
    }

    /// `[filters, inputChannels, kernelSize, kernelSize]`.
    public var weight: Tensor
    /// `[filters]`.
    public var bias: Tensor
    /// The step between windows, in pixels, in both directions.
    public var stride: Int
    /// How the input is padded.
    public var padding: ConvolutionPadding

    /// The number of output channels.
    public var filters: Int { weight.shape[0] }
    /// The number of input channels.
    public var inputChannels: Int { weight.shape[1] }
    /// The side of the square kernel.
    public var kernelSize: Int { weight.shape[2] }

    /// Creates a layer with Glorot-uniform weights (fan-in `inputChannels·k²`, fan-out `filters·k²`) and zero bias,
    /// Keras's defaults.
    public init(
        inputChannels: Int, filters: Int, kernelSize: Int, stride: Int = 1, padding: ConvolutionPadding = .same,
        using generator: inout some RandomNumberGenerator
    ) {
        let area = kernelSize * kernelSize
        let limit = (6 / Float((inputChannels + filters) * area)).squareRoot()
        weight = .uniform([filters, inputChannels, kernelSize, kernelSize], in: -limit...limit, using: &generator)
        bias = .zeros([filters])
        self.stride = stride
        self.padding = padding
    }

    /// Creates a layer from explicit parameters.
    /// - Parameters:
    ///   - weight: `[filters, inputChannels, k, k]` with a square kernel.
    ///   - bias: `[filters]`.
    public init(weight: Tensor, bias: Tensor, stride: Int = 1, padding: ConvolutionPadding = .same) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3], "weight \(weight.shape) is not [filters, channels, k, k]")
        precondition(bias.shape == [weight.shape[0]], "bias \(bias.shape) does not fit weight \(weight.shape)")
        precondition(stride > 0, "stride must be positive, got \(stride)")
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
    }

    /// The output height and width for an input of `height`×`width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        let g = geometry(height: height, width: width, upsampling: 1)
        return (g.outputHeight, g.outputWidth)
    }

    /// Returns the convolution of `x` (`[n, inputChannels, h, w]`); the cache for `backward` is `x` itself.
    public func forward(_ x: Tensor, workspace: inout ConvolutionWorkspace) -> (output: Tensor, cache: Tensor) {
        (forward(x, upsampling: 1, workspace: &workspace), x)
    }

    /// Returns the convolution of `x` using a temporary workspace.
    public func forward(_ x: Tensor) -> (output: Tensor, cache: Tensor) {
        var workspace = ConvolutionWorkspace()
        return forward(x, workspace: &workspace)
    }

    /// The gradients with respect to the input and the parameters.
    /// - Parameter cache: the input that `forward` returned as its cache.
    public func backward(_ gradOutput: Tensor, cache x: Tensor, workspace: inout ConvolutionWorkspace) -> (gradInput: Tensor, gradients: Gradients) {
        let (gradInput, gradients) = backward(gradOutput, input: x, upsampling: 1, inputGradient: true, parameterGradients: true, workspace: &workspace)
        return (gradInput!, gradients!)
    }

    /// The gradients with respect to the input and the parameters, using a temporary workspace.
    public func backward(_ gradOutput: Tensor, cache x: Tensor) -> (gradInput: Tensor, gradients: Gradients) {
        var workspace = ConvolutionWorkspace()
        return backward(gradOutput, cache: x, workspace: &workspace)
    }

    /// Updates both parameters, named `"<name>.weight"` and `"<name>.bias"` for the optimizer's state.
    public mutating func update(with gradients: Gradients, using optimizer: inout some Optimizer, name: String) {
        optimizer.update(&weight, gradient: gradients.weight, name: name + ".weight")
        optimizer.update(&bias, gradient: gradients.bias, name: name + ".bias")
    }

    func geometry(height: Int, width: Int, upsampling: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(
            channels: inputChannels, height: height, width: width, kernel: kernelSize, stride: stride, padding: padding,
            upsampling: upsampling)
    }

    /// The convolution of `x` upsampled `upsampling` times by nearest neighbour (1: no upsampling), without
    /// materialising the upsampled tensor.
    func forward(_ x: Tensor, upsampling: Int, workspace: inout ConvolutionWorkspace) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inputChannels, "Conv2D expects [n, \(inputChannels), h, w], got \(x.shape)")
        if upsampling == 2 && decomposesUpsampling { return upsampledForward(x, workspace: &workspace) }
        let n = x.shape[0]
        let g = geometry(height: x.shape[2], width: x.shape[3], upsampling: upsampling)
        let f = filters, rows = g.rows, pixels = g.outputPixels
        var y = Tensor.uninitialized([n, f, g.outputHeight, g.outputWidth])
        if n == 0 { return y }
        let perChunk = workspace.imagesPerChunk(batch: n, valuesPerImage: rows * pixels + f * pixels)
        let columnsCount = perChunk * rows * pixels
        let scratchCount = columnsCount + (perChunk > 1 ? perChunk * f * pixels : 0)
        workspace.withScratch(count: scratchCount) { scratch in
            x.storage.withUnsafeBufferPointer { xBuffer in
                weight.storage.withUnsafeBufferPointer { wBuffer in
                    y.storage.withUnsafeMutableBufferPointer { yBuffer in
                        let xs = xBuffer.baseAddress!, w = wBuffer.baseAddress!, ys = yBuffer.baseAddress!
                        var start = 0
                        while start < n {
                            let b = min(perChunk, n - start)
                            let width = b * pixels
                            for i in 0..<b {
                                im2col(g, image: xs + (start + i) * g.storedImageCount, columns: scratch + i * pixels, rowStride: width)
                            }
                            if b == 1 {
                                sgemm(m: f, n: pixels, k: rows, w, lda: rows, scratch, ldb: pixels, ys + start * f * pixels, ldc: pixels)
                            } else {
                                let product = scratch + columnsCount
                                sgemm(m: f, n: width, k: rows, w, lda: rows, scratch, ldb: width, product, ldc: width)
                                scatterChannels(product, images: b, channels: f, pixels: pixels, into: ys + start * f * pixels)
                            }
                            start += b
                        }
                    }
                }
            }
        }
        bias.storage.withUnsafeBufferPointer { b in
            y.storage.withUnsafeMutableBufferPointer { addChannelBias($0.baseAddress!, bias: b.baseAddress!, images: n, channels: f, pixels: pixels) }
        }
        return y
    }

    /// The gradients of `forward(x, upsampling:)`; each part only when asked (the other is `nil`).
    /// The input gradient has `x`'s stored (not upsampled) shape.
    func backward(
        _ gradOutput: Tensor, input x: Tensor, upsampling: Int, inputGradient: Bool, parameterGradients: Bool,
        workspace: inout ConvolutionWorkspace
    ) -> (Tensor?, Gradients?) {
        if upsampling == 2 && decomposesUpsampling {
            return upsampledBackward(gradOutput, input: x, inputGradient: inputGradient, parameterGradients: parameterGradients, workspace: &workspace)
        }
        let n = x.shape[0]
        let g = geometry(height: x.shape[2], width: x.shape[3], upsampling: upsampling)
        let f = filters, rows = g.rows, pixels = g.outputPixels
        precondition(gradOutput.shape == [n, f, g.outputHeight, g.outputWidth], "gradient \(gradOutput.shape) does not fit output [\(n), \(f), \(g.outputHeight), \(g.outputWidth)]")
        var dx = inputGradient ? [Float](repeating: 0, count: x.count) : []
        var dw = parameterGradients ? [Float](repeating: 0, count: weight.count) : []
        if n == 0 || (!inputGradient && !parameterGradients) {
            return (inputGradient ? Tensor(unchecked: x.shape, dx) : nil,
                    parameterGradients ? Gradients(weight: Tensor(unchecked: weight.shape, dw), bias: .zeros([f])) : nil)
        }
        let perChunk = workspace.imagesPerChunk(batch: n, valuesPerImage: rows * pixels + f * pixels)
        let columnsCount = perChunk * rows * pixels
        let scratchCount = columnsCount + (perChunk > 1 ? perChunk * f * pixels : 0)
        workspace.withScratch(count: scratchCount) { scratch in
            x.storage.withUnsafeBufferPointer { xBuffer in
                weight.storage.withUnsafeBufferPointer { wBuffer in
                    gradOutput.storage.withUnsafeBufferPointer { dyBuffer in
                        dx.withUnsafeMutableBufferPointer { dxBuffer in
                            dw.withUnsafeMutableBufferPointer { dwBuffer in
                                let xs = xBuffer.baseAddress!, w = wBuffer.baseAddress!, dys = dyBuffer.baseAddress!
                                var start = 0
                                while start < n {
                                    let b = min(perChunk, n - start)
                                    let width = b * pixels
                                    let dy: UnsafePointer<Float>
                                    if b == 1 {
                                        dy = dys + start * f * pixels
                                    } else {
                                        gatherChannels(dys + start * f * pixels, images: b, channels: f, pixels: pixels, into: scratch + columnsCount)
                                        dy = UnsafePointer(scratch + columnsCount)
                                    }
                                    if parameterGradients {
                                        for i in 0..<b {
                                            im2col(g, image: xs + (start + i) * g.storedImageCount, columns: scratch + i * pixels, rowStride: width)
                                        }
                                        // ∂W += ∂Y · colsᵀ
                                        sgemm(transposeB: true, m: f, n: rows, k: width, dy, lda: width, scratch, ldb: width,
                                              beta: 1, dwBuffer.baseAddress!, ldc: rows)
                                    }
                                    if inputGradient {
                                        // ∂cols = Wᵀ · ∂Y, folded back onto the input.
                                        sgemm(transposeA: true, m: rows, n: width, k: f, w, lda: rows, dy, ldb: width, scratch, ldc: width)
                                        for i in 0..<b {
                                            col2im(g, columns: scratch + i * pixels, rowStride: width, image: dxBuffer.baseAddress! + (start + i) * g.storedImageCount)
                                        }
                                    }
                                    start += b
                                }
                            }
                        }
                    }
                }
            }
        }
        let gradients: Gradients? = parameterGradients
            ? Gradients(
                weight: Tensor(unchecked: weight.shape, dw),
                bias: gradOutput.storage.withUnsafeBufferPointer { channelSums($0.baseAddress!, images: n, channels: f, pixels: pixels) })
            : nil
        return (inputGradient ? Tensor(unchecked: x.shape, dx) : nil, gradients)
    }
}
