@testable import Learning
import Testing

/// DiffAugment, the random-margin hinge loss and spectral normalisation against finite differences.
@Suite struct DataEfficientGANOpsTests {
    /// One image with every augmentation on (flip, all three colour changes, a translation, a cutout cut by the edge),
    /// one with colour only, one identity.
    static let everything: [DiffAugment.Parameters] = {
        var all = DiffAugment.Parameters()
        all.flip = true
        all.brightness = 0.3
        all.saturation = 1.7
        all.contrast = 0.6
        all.translationX = -1
        all.translationY = 2
        all.cutoutSize = 3
        all.cutoutX = -1
        all.cutoutY = 2
        var colour = DiffAugment.Parameters()
        colour.brightness = -0.4
        colour.saturation = 0.2
        colour.contrast = 1.4
        return [all, colour, DiffAugment.Parameters()]
    }()

    @Test func diffAugmentBackwardMatchesFiniteDifferences() {
        let images = GradientCheck.random([3, 3, 6, 6], seed: 1)
        let weights = GradientCheck.random([3, 3, 6, 6], seed: 2)
        let gradient = DiffAugment.backward(weights, Self.everything)
        let error = GradientCheck.error(of: gradient, at: images) { GradientCheck.weightedSum(DiffAugment.forward($0, Self.everything), weights) }
        #expect(error < GradientCheck.tolerance)
        // The map is linear, so the check is far tighter than the shared tolerance.
        #expect(error < 1e-3)
    }

    @Test func diffAugmentStepsDoWhatTheyName() throws {
        var image = Tensor.zeros([1, 3, 4, 4])
        for c in 0..<3 { for y in 0..<4 { for x in 0..<4 { image[0, c, y, x] = Float(c) * 0.1 + Float(y) * 0.01 + Float(x) * 0.001 } } }
        #expect(DiffAugment.forward(image, [DiffAugment.Parameters()]) == image)
        var p = DiffAugment.Parameters()
        p.flip = true
        #expect(DiffAugment.forward(image, [p])[0, 1, 2, 0] == image[0, 1, 2, 3])
        p = DiffAugment.Parameters()
        p.translationX = 1
        p.translationY = -1
        let moved = DiffAugment.forward(image, [p])
        #expect(moved[0, 2, 0, 1] == image[0, 2, 1, 0])
        #expect(moved[0, 2, 0, 0] == 0 && moved[0, 2, 3, 2] == 0)  // vacated column and row are zero
        p = DiffAugment.Parameters()
        p.saturation = 0  // grey: every channel becomes the pixel's channel mean
        let grey = DiffAugment.forward(image, [p])
        #expect(abs(grey[0, 0, 1, 1] - grey[0, 2, 1, 1]) < 1e-6)
        #expect(abs(grey[0, 0, 1, 1] - (image[0, 0, 1, 1] + image[0, 1, 1, 1] + image[0, 2, 1, 1]) / 3) < 1e-6)
        p = DiffAugment.Parameters()
        p.contrast = 0.5  // the image mean is kept
        let flat = DiffAugment.forward(image, [p])
        #expect(abs(flat.storage.reduce(0, +) - image.storage.reduce(0, +)) < 1e-4)
        p = DiffAugment.Parameters()
        p.cutoutSize = 2
        p.cutoutX = 3
        p.cutoutY = -1
        let cut = DiffAugment.forward(image, [p])
        #expect(cut[0, 0, 0, 3] == 0 && cut[0, 0, 1, 3] == image[0, 0, 1, 3] && cut[0, 0, 0, 2] == image[0, 0, 0, 2])
    }

    @Test func diffAugmentDrawsTheReferenceRanges() {
        var rng = SeededGenerator(seed: 3)
        let drawn = DiffAugment.draw(count: 2000, side: 64, probability: 0.5, flips: true, using: &rng)
        #expect(drawn.allSatisfy { $0.brightness >= -0.5 && $0.brightness < 0.5 && $0.saturation >= 0 && $0.saturation < 2 })
        #expect(drawn.allSatisfy { $0.contrast == 1 || ($0.contrast >= 0.5 && $0.contrast < 1.5) })
        #expect(drawn.allSatisfy { abs($0.translationX) <= 8 && abs($0.translationY) <= 8 })
        #expect(drawn.allSatisfy { $0.cutoutSize == 0 || ($0.cutoutSize == 32 && (-16...48).contains($0.cutoutX) && (-16...48).contains($0.cutoutY)) })
        // Each group is applied about half the time, flips about half the time, and the extremes are reached.
        let cutouts = drawn.filter { $0.cutoutSize > 0 }.count, flips = drawn.filter(\.flip).count
        let colours = drawn.filter { $0.contrast != 1 }.count
        #expect((850...1150).contains(cutouts) && (850...1150).contains(flips) && (850...1150).contains(colours))
        #expect(drawn.contains { $0.translationX == 8 } && drawn.contains { $0.translationY == -8 })
        #expect(DiffAugment.draw(count: 10, side: 64, probability: 0, flips: false, using: &rng).allSatisfy { $0 == DiffAugment.Parameters() })
    }

    @Test func hingeLossGradientsMatchFiniteDifferences() {
        // Logits at least 0.05 from every kink (margin − logit = 0), so ±step never crosses one.
        let real = try! Tensor(shape: [4, 1], storage: [0.5, 1.3, -0.2, 0.95])
        let fake = try! Tensor(shape: [3, 1], storage: [-1.2, 0.1, -0.5])
        let margins: [Float] = [0.8, 0.85, 0.9, 0.82, 0.95, 0.81, 1.0]
        let (loss, gradReal, gradFake) = HingeLoss.discriminator(realLogits: real, fakeLogits: fake, margins: margins)
        // By hand: real slacks 0.3, 0, 1.1, 0 → 1.4 / 4; fake slacks 0, 0.91, 0.5 → 1.41 / 3.
        #expect(abs(loss - (1.4 / 4 + 1.41 / 3)) < 1e-5)
        #expect(GradientCheck.error(of: gradReal, at: real) {
            Double(HingeLoss.discriminator(realLogits: $0, fakeLogits: fake, margins: margins).loss)
        } < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: gradFake, at: fake) {
            Double(HingeLoss.discriminator(realLogits: real, fakeLogits: $0, margins: margins).loss)
        } < GradientCheck.tolerance)
        let (generatorLoss, gradGenerator) = HingeLoss.generator(fakeLogits: fake)
        #expect(abs(generatorLoss - 1.6 / 3) < 1e-6)
        #expect(GradientCheck.error(of: gradGenerator, at: fake) { Double(HingeLoss.generator(fakeLogits: $0).loss) } < GradientCheck.tolerance)
        var rng = SeededGenerator(seed: 4)
        let drawn = HingeLoss.margins(count: 1000, using: &rng)
        #expect(drawn.allSatisfy { $0 >= 0.8 && $0 <= 1 } && drawn.min()! < 0.81 && drawn.max()! > 0.99)
    }

    @Test func spectralNormFindsTheLargestSingularValue() throws {
        // [[3, 0, 0], [0, 1, 0]] scaled into a [2, 3] weight: σ = 3.
        let weight = try Tensor(shape: [2, 1, 1, 3], storage: [3, 0, 0, 0, 1, 0])
        var rng = SeededGenerator(seed: 5)
        var norm = SpectralNorm(weight: weight, warmUpIterations: 0, using: &rng)
        for _ in 0..<30 { norm.powerIteration(weight) }
        #expect(abs(norm.sigma(weight) - 3) < 1e-4)
        let (normalized, sigma) = norm.normalized(weight)
        #expect(abs(sigma - 3) < 1e-4 && abs(normalized.storage[0] - 1) < 1e-4)
    }

    /// The spectrally normalised convolution's gradient with respect to its raw weight, `u` and `v` constant.
    @Test func spectralNormGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 6)
        let conv = Conv2D(inputChannels: 3, filters: 4, kernelSize: 3, stride: 2, using: &rng)
        let input = GradientCheck.random([2, 3, 6, 6], seed: 7)
        let norm = SpectralNorm(weight: conv.weight, warmUpIterations: 1, using: &rng)
        func output(_ weight: Tensor) -> Tensor {
            Conv2D(weight: norm.normalized(weight).weight, bias: conv.bias, stride: 2).forward(input).output
        }
        let weights = GradientCheck.random(output(conv.weight).shape, seed: 8)
        let (normalized, sigma) = norm.normalized(conv.weight)
        let gradNormalized = Conv2D(weight: normalized, bias: conv.bias, stride: 2).backward(weights, cache: input).gradients.weight
        let gradWeight = norm.backward(gradNormalized, normalized: normalized, sigma: sigma)
        #expect(GradientCheck.error(of: gradWeight, at: conv.weight) { GradientCheck.weightedSum(output($0), weights) } < GradientCheck.tolerance)
        // And on a dense weight [inputs, 1], where σ is its norm.
        let dense = GradientCheck.random([5, 1], seed: 9)
        let denseNorm = SpectralNorm(weight: dense, using: &rng)
        let r = GradientCheck.random([5, 1], seed: 10)
        let (denseNormalized, denseSigma) = denseNorm.normalized(dense)
        #expect(abs(Double(denseSigma) - dense.storage.map { Double($0 * $0) }.reduce(0, +).squareRoot()) < 1e-4)
        #expect(GradientCheck.error(of: denseNorm.backward(r, normalized: denseNormalized, sigma: denseSigma), at: dense) {
            GradientCheck.weightedSum(denseNorm.normalized($0).weight, r)
        } < GradientCheck.tolerance)
    }
}
