/// `UpSampling2D(×2, nearest)` followed by a stride-1 `'same'` convolution with an odd kernel, computed as four
/// smaller convolutions on the original image, one per output phase (even/odd row × even/odd column).
///
/// Output pixel `(2i + a, 2j + b)` reads upsampled rows `2i + a + ki − p` (p = (k − 1)/2), i.e. stored rows
/// `i + ⌊(a + ki − p)/2⌋`: only `(k + 1)/2` distinct rows per phase. Summing the kernel taps that land on the same
/// stored pixel gives a `(k+1)/2`-square kernel per phase, so a 3×3 convolution after upsampling costs four 2×2
/// convolutions at the low resolution: 16 instead of 36 multiply-adds per output pixel and input channel, and the
/// upsampled tensor never exists. The function and its gradients are the same as upsampling then convolving; only
/// the floating-point summation order differs.
extension Conv2D {
    /// Whether `forward(_:upsampling: 2, …)` can use the phase decomposition.
    var decomposesUpsampling: Bool { stride == 1 && padding == .same && kernelSize % 2 == 1 }

    /// For output phase `a` along one axis: the padding before the stored image and, for each kernel tap, the phase
    /// kernel tap it is summed into.
    static func phaseTaps(kernel k: Int, phase a: Int) -> (padBefore: Int, tapOf: [Int]) {
        func floorHalf(_ v: Int) -> Int { v >= 0 ? v / 2 : -((1 - v) / 2) }
        let p = (k - 1) / 2
        let lowest = floorHalf(a - p)
        return (-lowest, (0..<k).map { floorHalf(a + $0 - p) - lowest })
    }

    /// The four phase kernels `[filters, inputChannels, t, t]` (t = (k + 1)/2), indexed `2a + b`.
    private func phaseWeights() -> [[Float]] {
        let k = kernelSize, t = (k + 1) / 2, f = filters, c = inputChannels
        var result: [[Float]] = []
        for a in 0..<2 {
            let rowTaps = Conv2D.phaseTaps(kernel: k, phase: a).tapOf
            for b in 0..<2 {
                let columnTaps = Conv2D.phaseTaps(kernel: k, phase: b).tapOf
                var w = [Float](repeating: 0, count: f * c * t * t)
                for plane in 0..<(f * c) {
                    for ki in 0..<k {
                        for kj in 0..<k {
                            w[plane * t * t + rowTaps[ki] * t + columnTaps[kj]] += weight.storage[plane * k * k + ki * k + kj]
                        }
                    }
                }
                result.append(w)
            }
        }
        return result
    }

    private func phaseGeometry(_ x: Tensor, a: Int, b: Int) -> ConvolutionGeometry {
        let t = (kernelSize + 1) / 2
        return ConvolutionGeometry(
            channels: inputChannels, height: x.shape[2], width: x.shape[3], kernel: t,
            padTop: Conv2D.phaseTaps(kernel: kernelSize, phase: a).padBefore,
            padLeft: Conv2D.phaseTaps(kernel: kernelSize, phase: b).padBefore,
            outputHeight: x.shape[2], outputWidth: x.shape[3])
    }

    /// The convolution of `x` upsampled ×2, by phases.
    func upsampledForward(_ x: Tensor, workspace: inout ConvolutionWorkspace) -> Tensor {
        precondition(decomposesUpsampling && x.rank == 4 && x.shape[1] == inputChannels)
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], f = filters
        let t = (kernelSize + 1) / 2, rows = inputChannels * t * t, pixels = h * w
        var y = Tensor.uninitialized([n, f, 2 * h, 2 * w])  // every pixel belongs to exactly one phase
        if n == 0 { return y }
        let phases = phaseWeights()
        let geometries = (0..<4).map { phaseGeometry(x, a: $0 / 2, b: $0 % 2) }
        let perChunk = workspace.imagesPerChunk(batch: n, valuesPerImage: rows * pixels + f * pixels)
        let columnsCount = perChunk * rows * pixels
        workspace.withScratch(count: columnsCount + perChunk * f * pixels) { scratch in
            x.storage.withUnsafeBufferPointer { xBuffer in
                y.storage.withUnsafeMutableBufferPointer { yBuffer in
                    let xs = xBuffer.baseAddress!, ys = yBuffer.baseAddress!, product = scratch + columnsCount
                    var start = 0
                    while start < n {
                        let count = min(perChunk, n - start)
                        let width = count * pixels
                        for phase in 0..<4 {
                            let g = geometries[phase]
                            for i in 0..<count {
                                im2col(g, image: xs + (start + i) * g.storedImageCount, columns: scratch + i * pixels, rowStride: width)
                            }
                            phases[phase].withUnsafeBufferPointer { wp in
                                sgemm(m: f, n: width, k: rows, wp.baseAddress!, lda: rows, scratch, ldb: width, product, ldc: width)
                            }
                            interleave(product, images: count, channels: f, height: h, width: w, phase: phase, into: ys + start * f * 4 * pixels)
                        }
                        start += count
                    }
                }
            }
        }
        bias.storage.withUnsafeBufferPointer { b in
            y.storage.withUnsafeMutableBufferPointer { addChannelBias($0.baseAddress!, bias: b.baseAddress!, images: n, channels: f, pixels: 4 * pixels) }
        }
        return y
    }

    /// The gradients of `upsampledForward`; each part only when asked.
    func upsampledBackward(
        _ gradOutput: Tensor, input x: Tensor, inputGradient: Bool, parameterGradients: Bool, workspace: inout ConvolutionWorkspace
    ) -> (Tensor?, Gradients?) {
        let n = x.shape[0], h = x.shape[2], w = x.shape[3], f = filters, k = kernelSize
        let t = (k + 1) / 2, rows = inputChannels * t * t, pixels = h * w
        precondition(gradOutput.shape == [n, f, 2 * h, 2 * w], "gradient \(gradOutput.shape) does not fit output [\(n), \(f), \(2 * h), \(2 * w)]")
        var dx = inputGradient ? [Float](repeating: 0, count: x.count) : []
        var phaseGradients = parameterGradients ? [[Float]](repeating: [Float](repeating: 0, count: f * rows), count: 4) : []
        let phases = phaseWeights()
        let geometries = (0..<4).map { phaseGeometry(x, a: $0 / 2, b: $0 % 2) }
        if n > 0 && (inputGradient || parameterGradients) {
            let perChunk = workspace.imagesPerChunk(batch: n, valuesPerImage: rows * pixels + f * pixels)
            let columnsCount = perChunk * rows * pixels
            workspace.withScratch(count: columnsCount + perChunk * f * pixels) { scratch in
                x.storage.withUnsafeBufferPointer { xBuffer in
                    gradOutput.storage.withUnsafeBufferPointer { dyBuffer in
                        dx.withUnsafeMutableBufferPointer { dxBuffer in
                            let xs = xBuffer.baseAddress!, dys = dyBuffer.baseAddress!, dyPhase = scratch + columnsCount
                            var start = 0
                            while start < n {
                                let count = min(perChunk, n - start)
                                let width = count * pixels
                                for phase in 0..<4 {
                                    let g = geometries[phase]
                                    deinterleave(dys + start * f * 4 * pixels, images: count, channels: f, height: h, width: w, phase: phase, into: dyPhase)
                                    if parameterGradients {
                                        for i in 0..<count {
                                            im2col(g, image: xs + (start + i) * g.storedImageCount, columns: scratch + i * pixels, rowStride: width)
                                        }
                                        phaseGradients[phase].withUnsafeMutableBufferPointer { dwp in
                                            sgemm(transposeB: true, m: f, n: rows, k: width, dyPhase, lda: width, scratch, ldb: width,
                                                  beta: 1, dwp.baseAddress!, ldc: rows)
                                        }
                                    }
                                    if inputGradient {
                                        phases[phase].withUnsafeBufferPointer { wp in
                                            sgemm(transposeA: true, m: rows, n: width, k: f, wp.baseAddress!, lda: rows, dyPhase, ldb: width, scratch, ldc: width)
                                        }
                                        for i in 0..<count {
                                            col2im(g, columns: scratch + i * pixels, rowStride: width, image: dxBuffer.baseAddress! + (start + i) * g.storedImageCount)
                                        }
                                    }
                                }
                                start += count
                            }
                        }
                    }
                }
            }
        }
        var gradients: Gradients?
        if parameterGradients {
            var dw = [Float](repeating: 0, count: weight.count)
            for phase in 0..<4 {
                let rowTaps = Conv2D.phaseTaps(kernel: k, phase: phase / 2).tapOf
                let columnTaps = Conv2D.phaseTaps(kernel: k, phase: phase % 2).tapOf
                let dwp = phaseGradients[phase]
                for plane in 0..<(f * inputChannels) {
                    for ki in 0..<k {
                        for kj in 0..<k {
                            dw[plane * k * k + ki * k + kj] += dwp[plane * t * t + rowTaps[ki] * t + columnTaps[kj]]
                        }
                    }
                }
            }
            gradients = Gradients(
                weight: Tensor(unchecked: weight.shape, dw),
                bias: gradOutput.storage.withUnsafeBufferPointer { channelSums($0.baseAddress!, images: n, channels: f, pixels: 4 * pixels) })
        }
        return (inputGradient ? Tensor(unchecked: x.shape, dx) : nil, gradients)
    }
}

/// Writes a phase's `[channels, images · h · w]` product into the pixels `(2y + a, 2x + b)` of NCHW `2h × 2w` images.
private func interleave(
    _ matrix: UnsafePointer<Float>, images: Int, channels: Int, height h: Int, width w: Int, phase: Int,
    into destination: UnsafeMutablePointer<Float>
) {
    let a = phase / 2, b = phase % 2, pixels = h * w, rowLength = images * pixels
    for i in 0..<images {
        for c in 0..<channels {
            let source = matrix + c * rowLength + i * pixels
            let plane = destination + (i * channels + c) * 4 * pixels
            for y in 0..<h {
                let d = plane + (2 * y + a) * 2 * w + b, s = source + y * w
                for x in 0..<w { d[2 * x] = s[x] }
            }
        }
    }
}

/// The inverse of `interleave`: gathers the pixels `(2y + a, 2x + b)` of NCHW `2h × 2w` images into a phase matrix.
private func deinterleave(
    _ source: UnsafePointer<Float>, images: Int, channels: Int, height h: Int, width w: Int, phase: Int,
    into matrix: UnsafeMutablePointer<Float>
) {
    let a = phase / 2, b = phase % 2, pixels = h * w, rowLength = images * pixels
    for i in 0..<images {
        for c in 0..<channels {
            let destination = matrix + c * rowLength + i * pixels
            let plane = source + (i * channels + c) * 4 * pixels
            for y in 0..<h {
                let s = plane + (2 * y + a) * 2 * w + b, d = destination + y * w
                for x in 0..<w { d[x] = s[2 * x] }
            }
        }
    }
}
