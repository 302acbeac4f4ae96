/// A transposed 2-D convolution ("deconvolution") on NCHW images: exactly the adjoint of a `Conv2D` with the same
/// kernel, stride and padding, computed as `sgemm` then `col2im`.
///
/// Output size per side, for an input of `size`:
/// - `.same`: `size · stride` (Keras `Conv2DTranspose(padding="same")`). The implied padding is that of a `.same`
///   convolution on the output, `max((size − 1)·stride + kernel − size·stride, 0)`, with the extra pixel on the
///   bottom/right; for kernel 4, stride 2 that is one pixel each side, PyTorch's `ConvTranspose2d(4, 2, padding: 1)`.
/// - `.valid`: `(size − 1) · stride + kernel`.
public struct ConvTranspose2D: Sendable, Equatable {
    /// The gradients of a `ConvTranspose2D` layer's parameters.
    public struct Gradients: Sendable, Equatable {
        /// `∂loss/∂weight`, `[inputChannels, filters, kernelSize, kernelSize]`.
        public var weight: Tensor
        /// `∂loss/∂bias`, `[filters]`.
        public var bias: Tensor
    }

    /// `[inputChannels, filters, kernelSize, kernelSize]` (PyTorch's layout).
    public var weight: Tensor
    /// `[filters]`.
    public var bias: Tensor
    /// The upsampling factor in both directions.
    public var stride: Int
    /// The output-size rule (see the type's documentation).
    public var padding: ConvolutionPadding

    /// The number of input channels.
    public var inputChannels: Int { weight.shape[0] }
    /// The number of output channels.
    public var filters: Int { weight.shape[1] }
    /// The side of the square kernel.
    public var kernelSize: Int { weight.shape[2] }

    /// Creates a layer with Glorot-uniform weights (fans `inputChannels·k²` and `filters·k²`) and zero bias, Keras's defaults.
    public init(
        inputChannels: Int, filters: Int, kernelSize: Int, stride: Int = 2, padding: ConvolutionPadding = .same,
        using generator: inout some RandomNumberGenerator
    ) {
        let area = kernelSize * kernelSize
        let limit = (6 / Float((inputChannels + filters) * area)).squareRoot()
        weight = .uniform([inputChannels, filters, kernelSize, kernelSize], in: -limit...limit, using: &generator)
        bias = .zeros([filters])
        self.stride = stride
        self.padding = padding
    }

    /// Creates a layer from explicit parameters.
    /// - Parameters:
    ///   - weight: `[inputChannels, filters, k, k]` with a square kernel.
    ///   - bias: `[filters]`.
    public init(weight: Tensor, bias: Tensor, stride: Int = 2, padding: ConvolutionPadding = .same) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3], "weight \(weight.shape) is not [channels, filters, k, k]")
        precondition(bias.shape == [weight.shape[1]], "bias \(bias.shape) does not fit weight \(weight.shape)")
        precondition(stride > 0, "stride must be positive, got \(stride)")
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
    }

    /// The output height and width for an input of `height`×`width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        switch padding {
        case .same: (height * stride, width * stride)
        case .valid: ((height - 1) * stride + kernelSize, (width - 1) * stride + kernelSize)
        }
    }

    /// The geometry of the adjoint convolution: it runs over the output and lands on the input's pixels.
    func geometry(inputHeight: Int, inputWidth: Int) -> ConvolutionGeometry {
        let (h, w) = outputSize(height: inputHeight, width: inputWidth)
        let g = ConvolutionGeometry(channels: filters, height: h, width: w, kernel: kernelSize, stride: stride, padding: padding)
        assert(g.outputHeight == inputHeight && g.outputWidth == inputWidth)
        return g
    }

    /// Returns the transposed convolution of `x` (`[n, inputChannels, h, w]`); the cache for `backward` is `x` itself.
    public func forward(_ x: Tensor, workspace: inout ConvolutionWorkspace) -> (output: Tensor, cache: Tensor) {
        precondition(x.rank == 4 && x.shape[1] == inputChannels, "ConvTranspose2D expects [n, \(inputChannels), h, w], got \(x.shape)")
        let n = x.shape[0]
        let g = geometry(inputHeight: x.shape[2], inputWidth: x.shape[3])
        let c = inputChannels, rows = g.rows, pixels = g.outputPixels
        var y = Tensor.zeros([n, filters, g.height, g.width])
        if n == 0 { return (y, x) }
        let perChunk = workspace.imagesPerChunk(batch: n, valuesPerImage: rows * pixels + c * pixels)
        let columnsCount = perChunk * rows * pixels
        let scratchCount = columnsCount + (perChunk > 1 ? perChunk * c * pixels : 0)
        workspace.withScratch(count: scratchCount) { scratch in
            x.storage.withUnsafeBufferPointer { xBuffer in
                weight.storage.withUnsafeBufferPointer { wBuffer in
                    y.storage.withUnsafeMutableBufferPointer { yBuffer in
                        let xs = xBuffer.baseAddress!, w = wBuffer.baseAddress!, ys = yBuffer.baseAddress!
                        var start = 0
                        while start < n {
                            let b = min(perChunk, n - start)
                            let width = b * pixels
                            let xMatrix: UnsafePointer<Float>
                            if b == 1 {
                                xMatrix = xs + start * c * pixels
                            } else {
                                gatherChannels(xs + start * c * pixels, images: b, channels: c, pixels: pixels, into: scratch + columnsCount)
                                xMatrix = UnsafePointer(scratch + columnsCount)
                            }
                            // cols = Wᵀ · x, folded onto the output.
                            sgemm(transposeA: true, m: rows, n: width, k: c, w, lda: rows, xMatrix, ldb: width, scratch, ldc: width)
                            for i in 0..<b {
                                col2im(g, columns: scratch + i * pixels, rowStride: width, image: ys + (start + i) * g.storedImageCount)
                            }
                            start += b
                        }
                    }
                }
            }
        }
        bias.storage.withUnsafeBufferPointer { b in
            y.storage.withUnsafeMutableBufferPointer {
                addChannelBias($0.baseAddress!, bias: b.baseAddress!, images: n, channels: filters, pixels: g.height * g.width)
            }
        }
        return (y, x)
    }

    /// Returns the transposed convolution of `x` using a temporary workspace.
    public func forward(_ x: Tensor) -> (output: Tensor, cache: Tensor) {
        var workspace = ConvolutionWorkspace()
        return forward(x, workspace: &workspace)
    }

    /// The gradients with respect to the input and the parameters.
    /// - Parameter cache: the input that `forward` returned as its cache.
    public func backward(_ gradOutput: Tensor, cache x: Tensor, workspace: inout ConvolutionWorkspace) -> (gradInput: Tensor, gradients: Gradients) {
        let (gradInput, gradients) = backward(gradOutput, input: x, inputGradient: true, parameterGradients: true, workspace: &workspace)
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

    /// The gradients of `forward`; each part only when asked (the other is `nil`).
    func backward(
        _ gradOutput: Tensor, input x: Tensor, inputGradient: Bool, parameterGradients: Bool, workspace: inout ConvolutionWorkspace
    ) -> (Tensor?, Gradients?) {
        let n = x.shape[0]
        let g = geometry(inputHeight: x.shape[2], inputWidth: x.shape[3])
        let c = inputChannels, rows = g.rows, pixels = g.outputPixels
        precondition(gradOutput.shape == [n, filters, g.height, g.width], "gradient \(gradOutput.shape) does not fit output [\(n), \(filters), \(g.height), \(g.width)]")
        var dx = inputGradient ? [Float](repeating: 0, count: x.count) : []
        var dw = parameterGradients ? [Float](repeating: 0, count: weight.count) : []
        if n > 0 && (inputGradient || parameterGradients) {
            let perChunk = workspace.imagesPerChunk(batch: n, valuesPerImage: rows * pixels + c * pixels)
            let columnsCount = perChunk * rows * pixels
            let scratchCount = columnsCount + (perChunk > 1 ? perChunk * c * pixels : 0)
            workspace.withScratch(count: scratchCount) { scratch in
                x.storage.withUnsafeBufferPointer { xBuffer in
                    weight.storage.withUnsafeBufferPointer { wBuffer in
                        gradOutput.storage.withUnsafeBufferPointer { dyBuffer in
                            dx.withUnsafeMutableBufferPointer { dxBuffer in
                                dw.withUnsafeMutableBufferPointer { dwBuffer in
                                    let xs = xBuffer.baseAddress!, w = wBuffer.baseAddress!, dys = dyBuffer.baseAddress!
                                    let matrix = scratch + columnsCount
                                    var start = 0
                                    while start < n {
                                        let b = min(perChunk, n - start)
                                        let width = b * pixels
                                        for i in 0..<b {
                                            im2col(g, image: dys + (start + i) * g.storedImageCount, columns: scratch + i * pixels, rowStride: width)
                                        }
                                        if parameterGradients {
                                            let xMatrix: UnsafePointer<Float>
                                            if b == 1 {
                                                xMatrix = xs + start * c * pixels
                                            } else {
                                                gatherChannels(xs + start * c * pixels, images: b, channels: c, pixels: pixels, into: matrix)
                                                xMatrix = UnsafePointer(matrix)
                                            }
                                            // ∂W += x · colsᵀ
                                            sgemm(transposeB: true, m: c, n: rows, k: width, xMatrix, lda: width, scratch, ldb: width,
                                                  beta: 1, dwBuffer.baseAddress!, ldc: rows)
                                        }
                                        if inputGradient {
                                            // ∂x = W · cols
                                            let out = dxBuffer.baseAddress! + start * c * pixels
                                            if b == 1 {
                                                sgemm(m: c, n: pixels, k: rows, w, lda: rows, scratch, ldb: pixels, out, ldc: pixels)
                                            } else {
                                                sgemm(m: c, n: width, k: rows, w, lda: rows, scratch, ldb: width, matrix, ldc: width)
                                                scatterChannels(matrix, images: b, channels: c, pixels: pixels, into: out)
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
        }
        let gradients: Gradients? = parameterGradients
            ? Gradients(
                weight: Tensor(unchecked: weight.shape, dw),
                bias: gradOutput.storage.withUnsafeBufferPointer {
                    channelSums($0.baseAddress!, images: n, channels: filters, pixels: g.height * g.width)
                })
            : nil
        return (inputGradient ? Tensor(unchecked: x.shape, dx) : nil, gradients)
    }
}
