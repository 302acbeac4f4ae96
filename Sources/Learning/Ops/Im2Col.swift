/// How a convolution pads its input.
public enum ConvolutionPadding: String, Sendable, Codable, Equatable {
    /// Keras/TensorFlow `"same"`: the output has `ceil(size / stride)` pixels per side; the padding needed,
    /// `max((ceil(size / stride) − 1)·stride + kernel − size, 0)`, is split with the extra pixel on the bottom/right.
    case same
    /// No padding: the output has `(size − kernel) / stride + 1` pixels per side (rounded down).
    case valid
}

/// Where a k×k window with a stride and padding lands on one CHW image: the shared geometry of `im2col`/`col2im`,
/// `Conv2D` and `ConvTranspose2D`.
///
/// The image may be stored at a fraction of its logical size (`upsampling` > 1): the convolution then sees the
/// nearest-neighbour upsampled image without it ever being materialised (`UpSampling2D` fused into the convolution).
struct ConvolutionGeometry: Sendable, Equatable {
    let channels: Int
    /// The stored image size (before the fused nearest-neighbour upsampling).
    let storedHeight: Int, storedWidth: Int
    let upsampling: Int
    let kernel: Int, stride: Int
    let padTop: Int, padLeft: Int
    let outputHeight: Int, outputWidth: Int

    init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: ConvolutionPadding, upsampling: Int = 1) {
        precondition(channels > 0 && height > 0 && width > 0, "empty image \(channels)×\(height)×\(width)")
        precondition(kernel > 0 && stride > 0 && upsampling > 0, "kernel \(kernel), stride \(stride), upsampling \(upsampling)")
        self.channels = channels
        self.storedHeight = height
        self.storedWidth = width
        self.upsampling = upsampling
        self.kernel = kernel
        self.stride = stride
        let logicalHeight = height * upsampling, logicalWidth = width * upsampling
        switch padding {
        case .same:
            let outH = (logicalHeight + stride - 1) / stride, outW = (logicalWidth + stride - 1) / stride
            outputHeight = outH
            outputWidth = outW
            padTop = max((outH - 1) * stride + kernel - logicalHeight, 0) / 2
            padLeft = max((outW - 1) * stride + kernel - logicalWidth, 0) / 2
        case .valid:
            precondition(logicalHeight >= kernel && logicalWidth >= kernel,
                "a \(kernel)×\(kernel) 'valid' convolution needs at least \(kernel)×\(kernel) pixels, got \(logicalHeight)×\(logicalWidth)")
            outputHeight = (logicalHeight - kernel) / stride + 1
            outputWidth = (logicalWidth - kernel) / stride + 1
            padTop = 0
            padLeft = 0
        }
    }

    /// A geometry with explicit padding and output size (the padding on the bottom/right is whatever remains).
    init(channels: Int, height: Int, width: Int, kernel: Int, padTop: Int, padLeft: Int, outputHeight: Int, outputWidth: Int) {
        self.channels = channels
        self.storedHeight = height
        self.storedWidth = width
        self.upsampling = 1
        self.kernel = kernel
        self.stride = 1
        self.padTop = padTop
        self.padLeft = padLeft
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }

    /// The logical (upsampled) image height and width.
    var height: Int { storedHeight * upsampling }
    var width: Int { storedWidth * upsampling }
    /// Values in one stored image (`channels · storedHeight · storedWidth`).
    var storedImageCount: Int { channels * storedHeight * storedWidth }
    /// Rows of the column matrix: `channels · kernel²`, ordered (channel, kernel row, kernel column).
    var rows: Int { channels * kernel * kernel }
    /// Columns of the column matrix for one image: output pixels in row-major order.
    var outputPixels: Int { outputHeight * outputWidth }

    /// The output columns `lo..<hi` whose input column `x·stride + offset` lies inside `0..<size`.
    @inline(__always)
    static func validRange(offset: Int, size: Int, count: Int, stride: Int) -> (Int, Int) {
        let lo = offset >= 0 ? 0 : min((-offset + stride - 1) / stride, count)
        let last = size - 1 - offset
        let hi = last < 0 ? 0 : min(last / stride + 1, count)
        return (lo, max(lo, hi))
    }
}

/// Unfolds one stored CHW image into the column matrix `[rows, outputPixels]` whose rows start `rowStride` values
/// apart (so several images can sit side by side in one matrix); padding reads as zero.
func im2col(_ g: ConvolutionGeometry, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>, rowStride: Int) {
    let k = g.kernel, s = g.stride, outH = g.outputHeight, outW = g.outputWidth
    let logicalH = g.height, logicalW = g.width, storedW = g.storedWidth, u = g.upsampling
    let planeSize = g.storedHeight * g.storedWidth
    var row = 0
    for c in 0..<g.channels {
        let plane = image + c * planeSize
        for ki in 0..<k {
            for kj in 0..<k {
                let destination = columns + row * rowStride
                let offset = kj - g.padLeft
                let (lo, hi) = ConvolutionGeometry.validRange(offset: offset, size: logicalW, count: outW, stride: s)
                for y in 0..<outH {
                    let d = destination + y * outW
                    let ih = y * s - g.padTop + ki
                    if ih < 0 || ih >= logicalH || lo == hi {
                        d.update(repeating: 0, count: outW)
                        continue
                    }
                    let source = plane + (ih / u) * storedW
                    if lo > 0 { d.update(repeating: 0, count: lo) }
                    if u == 1 && s == 1 {
                        (d + lo).update(from: source + (lo + offset), count: hi - lo)
                    } else if u == 1 {
                        for x in lo..<hi { d[x] = source[x * s + offset] }
                    } else {
                        for x in lo..<hi { d[x] = source[(x * s + offset) / u] }
                    }
                    if hi < outW { (d + hi).update(repeating: 0, count: outW - hi) }
                }
                row += 1
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column-matrix value back onto the stored image pixel it was read from
/// (values that fell on padding are dropped). With `upsampling` > 1 this also sums each upsampled block, which is
/// `UpSampling2D`'s backward pass.
func col2im(_ g: ConvolutionGeometry, columns: UnsafePointer<Float>, rowStride: Int, image: UnsafeMutablePointer<Float>) {
    let k = g.kernel, s = g.stride, outH = g.outputHeight, outW = g.outputWidth
    let logicalH = g.height, logicalW = g.width, storedW = g.storedWidth, u = g.upsampling
    let planeSize = g.storedHeight * g.storedWidth
    var row = 0
    for c in 0..<g.channels {
        let plane = image + c * planeSize
        for ki in 0..<k {
            for kj in 0..<k {
                let source = columns + row * rowStride
                let offset = kj - g.padLeft
                let (lo, hi) = ConvolutionGeometry.validRange(offset: offset, size: logicalW, count: outW, stride: s)
                if lo < hi {
                    for y in 0..<outH {
                        let ih = y * s - g.padTop + ki
                        if ih < 0 || ih >= logicalH { continue }
                        let d = plane + (ih / u) * storedW
                        let v = source + y * outW
                        if u == 1 && s == 1 {
                            let shifted = d + offset
                            for x in lo..<hi { shifted[x] += v[x] }
                        } else if u == 1 {
                            for x in lo..<hi { d[x * s + offset] += v[x] }
                        } else {
                            for x in lo..<hi { d[(x * s + offset) / u] += v[x] }
                        }
                    }
                }
                row += 1
            }
        }
    }
}

/// Copies `images` consecutive CHW images (`channels` planes of `pixels` values each) into one
/// `[channels, images · pixels]` matrix, so a single `sgemm` can serve them all.
func gatherChannels(_ source: UnsafePointer<Float>, images: Int, channels: Int, pixels: Int, into matrix: UnsafeMutablePointer<Float>) {
    let rowLength = images * pixels
    for i in 0..<images {
        for c in 0..<channels {
            (matrix + c * rowLength + i * pixels).update(from: source + (i * channels + c) * pixels, count: pixels)
        }
    }
}

/// The inverse of `gatherChannels`: writes a `[channels, images · pixels]` matrix back as consecutive CHW images.
func scatterChannels(_ matrix: UnsafePointer<Float>, images: Int, channels: Int, pixels: Int, into destination: UnsafeMutablePointer<Float>) {
    let rowLength = images * pixels
    for i in 0..<images {
        for c in 0..<channels {
            (destination + (i * channels + c) * pixels).update(from: matrix + c * rowLength + i * pixels, count: pixels)
        }
    }
}

/// Adds `bias[c]` to every value of channel `c` of each NCHW image.
func addChannelBias(_ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, images: Int, channels: Int, pixels: Int) {
    for i in 0..<images {
        for c in 0..<channels {
            let plane = values + (i * channels + c) * pixels
            let b = bias[c]
            for p in 0..<pixels { plane[p] += b }
        }
    }
}

/// The per-channel sums of NCHW values: the gradient of a channel bias.
func channelSums(_ values: UnsafePointer<Float>, images: Int, channels: Int, pixels: Int) -> Tensor {
    var sums = [Double](repeating: 0, count: channels)
    for i in 0..<images {
        for c in 0..<channels {
            sums[c] += Double(VectorKernels.sum(values + (i * channels + c) * pixels, count: pixels))
        }
    }
    return Tensor(unchecked: [channels], sums.map { Float($0) })
}
