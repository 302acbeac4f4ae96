/// Differentiable augmentation (DiffAugment, Zhao et al. 2020, arXiv 2006.10738) of NCHW images in [-1, 1]:
/// an optional horizontal flip, then colour (brightness, saturation, contrast), translation with zero fill and
/// cutout, each image with its own random parameters. Every step is linear in the pixels, so `backward` is the exact
/// adjoint and the generator's gradient flows through the augmentation of its fakes.
///
/// ```swift
/// var rng = SeededGenerator(seed: 1)
/// let choices = DiffAugment.draw(count: 32, side: 64, probability: 0.5, flips: false, using: &rng)
/// let augmented = DiffAugment.forward(fakes, choices)
/// let gradFakes = DiffAugment.backward(gradAugmented, choices)
/// ```
public enum DiffAugment {
    /// The random choices for one image; the defaults are the identity.
    public struct Parameters: Sendable, Equatable {
        /// Mirror left to right (applied first; used on real images only).
        public var flip = false
        /// Added to every value (DiffAugment's brightness: U(−0.5, 0.5)).
        public var brightness: Float = 0
        /// Each pixel's distance from its channel mean is scaled by this (U(0, 2)).
        public var saturation: Float = 1
        /// Each value's distance from the image mean is scaled by this (U(0.5, 1.5)).
        public var contrast: Float = 1
        /// Columns the content moves right (negative: left); vacated pixels are zero.
        public var translationX = 0
        /// Rows the content moves down (negative: up).
        public var translationY = 0
        /// The cutout square's side (0: no cutout).
        public var cutoutSize = 0
        /// The cutout square's left column (may lie partly outside the image).
        public var cutoutX = 0
        /// The cutout square's top row.
        public var cutoutY = 0

        /// The identity.
        public init() {}
    }

    /// Parameters for `count` images of `side`×`side`: each of the three groups (colour, translation, cutout) is
    /// applied to each image with `probability`, with DiffAugment's ranges: brightness ±0.5, saturation ×[0, 2],
    /// contrast ×[0.5, 1.5], translation up to `round(side / 8)` pixels each way, a cutout of half the side whose
    /// centre is anywhere in the image. With `flips`, each image is also mirrored with probability ½.
    public static func draw(
        count: Int, side: Int, probability: Float, flips: Bool, using generator: inout some RandomNumberGenerator
    ) -> [Parameters] {
        let shift = (side + 4) / 8  // Int(side · 0.125 + 0.5)
        let cutout = (side + 1) / 2  // Int(side · 0.5 + 0.5)
        func chance() -> Bool { Tensor.unitFloat(&generator) < probability }
        func integer(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(generator.next() % UInt64(range.count)) }
        return (0..<count).map { _ in
            var p = Parameters()
            if flips { p.flip = generator.next() & 1 == 1 }
            if chance() {
                p.brightness = Tensor.unitFloat(&generator) - 0.5
                p.saturation = Tensor.unitFloat(&generator) * 2
                p.contrast = Tensor.unitFloat(&generator) + 0.5
            }
            if chance() {
                p.translationX = integer(-shift...shift)
                p.translationY = integer(-shift...shift)
            }
            if chance() {
                // The reference draws the centre in [0, side + (1 − cutout mod 2)) and clamps the square to the image.
                let centres = 0...(side - cutout % 2)
                p.cutoutSize = cutout
                p.cutoutX = integer(centres) - cutout / 2
                p.cutoutY = integer(centres) - cutout / 2
            }
            return p
        }
    }

    /// The augmented images: `images` is `[n, c, h, w]` and `parameters` has `n` entries.
    public static func forward(_ images: Tensor, _ parameters: [Parameters]) -> Tensor {
        let (n, c, h, w) = dimensions(images, parameters)
        var output = Tensor.zeros(images.shape)
        var scratch = [Float](repeating: 0, count: c * h * w)
        images.storage.withUnsafeBufferPointer { source in
            output.storage.withUnsafeMutableBufferPointer { target in
                for i in 0..<n {
                    let p = parameters[i], base = i * c * h * w
                    // Flip and colour into scratch.
                    for channel in 0..<c {
                        for y in 0..<h {
                            for x in 0..<w {
                                let from = base + (channel * h + y) * w + (p.flip ? w - 1 - x : x)
                                scratch[(channel * h + y) * w + x] = source[from] + p.brightness
                            }
                        }
                    }
                    saturate(&scratch, channels: c, pixels: h * w, factor: p.saturation)
                    contrast(&scratch, factor: p.contrast)
                    // Translation and cutout into the output.
                    for channel in 0..<c {
                        for y in 0..<h {
                            let fromY = y - p.translationY
                            guard fromY >= 0 && fromY < h else { continue }
                            for x in 0..<w {
                                let fromX = x - p.translationX
                                guard fromX >= 0 && fromX < w, !p.cuts(x: x, y: y) else { continue }
                                target[base + (channel * h + y) * w + x] = scratch[(channel * h + fromY) * w + fromX]
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// `∂loss/∂images` from `∂loss/∂forward(images, parameters)` (the adjoint of the same linear map).
    public static func backward(_ gradOutput: Tensor, _ parameters: [Parameters]) -> Tensor {
        let (n, c, h, w) = dimensions(gradOutput, parameters)
        var gradInput = Tensor.zeros(gradOutput.shape)
        var scratch = [Float](repeating: 0, count: c * h * w)
        gradOutput.storage.withUnsafeBufferPointer { source in
            gradInput.storage.withUnsafeMutableBufferPointer { target in
                for i in 0..<n {
                    let p = parameters[i], base = i * c * h * w
                    for j in scratch.indices { scratch[j] = 0 }
                    for channel in 0..<c {
                        for y in 0..<h {
                            let fromY = y - p.translationY
                            guard fromY >= 0 && fromY < h else { continue }
                            for x in 0..<w {
                                let fromX = x - p.translationX
                                guard fromX >= 0 && fromX < w, !p.cuts(x: x, y: y) else { continue }
                                scratch[(channel * h + fromY) * w + fromX] = source[base + (channel * h + y) * w + x]
                            }
                        }
                    }
                    // Both colour maps are self-adjoint (a scaled identity plus a scaled averaging projection).
                    contrast(&scratch, factor: p.contrast)
                    saturate(&scratch, channels: c, pixels: h * w, factor: p.saturation)
                    for channel in 0..<c {
                        for y in 0..<h {
                            for x in 0..<w {
                                target[base + (channel * h + y) * w + (p.flip ? w - 1 - x : x)] = scratch[(channel * h + y) * w + x]
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }

    private static func dimensions(_ images: Tensor, _ parameters: [Parameters]) -> (Int, Int, Int, Int) {
        precondition(images.rank == 4, "DiffAugment expects [n, c, h, w], got \(images.shape)")
        precondition(parameters.count == images.shape[0], "\(parameters.count) parameter sets for \(images.shape[0]) images")
        return (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    }

    /// `x ← s·(x − m) + m` per pixel, `m` the mean over channels.
    private static func saturate(_ values: inout [Float], channels: Int, pixels: Int, factor: Float) {
        guard factor != 1 else { return }
        let keep = (1 - factor) / Float(channels)
        for pixel in 0..<pixels {
            var sum: Float = 0
            for channel in 0..<channels { sum += values[channel * pixels + pixel] }
            for channel in 0..<channels { values[channel * pixels + pixel] = factor * values[channel * pixels + pixel] + keep * sum }
        }
    }

    /// `x ← k·(x − m) + m`, `m` the mean over the whole image.
    private static func contrast(_ values: inout [Float], factor: Float) {
        guard factor != 1 else { return }
        var sum: Double = 0
        for value in values { sum += Double(value) }
        let shift = (1 - factor) * Float(sum / Double(values.count))
        for j in values.indices { values[j] = factor * values[j] + shift }
    }
}

extension DiffAugment.Parameters {
    /// Whether output pixel (`x`, `y`) lies in the cutout square.
    func cuts(x: Int, y: Int) -> Bool {
        cutoutSize > 0 && x >= cutoutX && x < cutoutX + cutoutSize && y >= cutoutY && y < cutoutY + cutoutSize
    }
}
