import Foundation
@testable import Learning
import Testing

@Suite struct DCGANTests {
    /// 8×8 images: Dense to 2×2×8, two nearest-upsampling blocks (8, 4 filters), a 3×3 output convolution.
    static let tinyNearest = DCGANConfiguration(
        imageSize: 8, latentSize: 6, batchSize: 8, learningRate: 2e-3, beta1: 0.5,
        generatorStartSize: 2, generatorStartFilters: 8, generatorFilters: [8, 4], upsampling: .nearest,
        generatorKernelSize: 3, outputUpsamples: false, outputKernelSize: 3,
        discriminatorLayers: [
            .init(filters: 4, stride: 2, batchNorm: false),
            .init(filters: 8, stride: 2, padsBottomRight: true),
            .init(filters: 8, stride: 1),
        ])

    /// 8×8 images: Dense to 2×2×8, one transposed block (8 filters), a transposed output layer.
    static let tinyTransposed = DCGANConfiguration(
        imageSize: 8, latentSize: 6, batchSize: 8, learningRate: 2e-3, beta1: 0.5,
        generatorStartSize: 2, generatorStartFilters: 8, generatorFilters: [8], upsampling: .transposed,
        generatorKernelSize: 4, outputUpsamples: true, outputKernelSize: 4,
        discriminatorLayers: [.init(filters: 4, stride: 2, batchNorm: false), .init(filters: 8, stride: 2)],
        discriminatorKernelSize: 4)

    /// Solid 4×4 squares of one of four colours at random positions on a black 8×8 background, in [-1, 1].
    static func squares(count: Int, seed: UInt64) -> Tensor {
        let colours: [[Float]] = [[1, -1, -1], [-1, 1, -1], [-1, -1, 1], [1, 1, -1]]
        var g = SeededGenerator(seed: seed)
        var images = Tensor(shape: [count, 3, 8, 8], repeating: -1)
        for n in 0..<count {
            let colour = colours[Int(g.next() % 4)]
            let top = Int(g.next() % 5), left = Int(g.next() % 5)
            for c in 0..<3 { for y in top..<(top + 4) { for x in left..<(left + 4) { images[n, c, y, x] = colour[c] } } }
        }
        return images
    }

    @Test func presetsAreValidAndHaveTheDocumentedShapes() {
        #expect(DCGANConfiguration.original.problems.isEmpty)
        #expect(DCGANConfiguration.nightly.problems.isEmpty)
        #expect(DCGANConfiguration.original.generatedImageSize == 128)
        #expect(DCGANConfiguration.nightly.generatedImageSize == 64)
        // 128 → 64 → 32 (+1 padding = 33) → 17 → 17 → 17, 512 channels: Dense(147 968 → 1).
        #expect(DCGANConfiguration.original.discriminatorFeatureShape == (512, 17, 17))
        #expect(DCGANConfiguration.nightly.discriminatorFeatureShape == (256, 4, 4))
    }

    @Test func inconsistentConfigurationsAreNamed() {
        var configuration = Self.tinyNearest
        configuration.imageSize = 16
        configuration.dropoutRate = 1
        let problems = configuration.problems
        #expect(problems.count == 2)
        #expect(problems.contains { $0.contains("imageSize is 16") && $0.contains("8×8") })
        #expect(problems.contains { $0.contains("dropoutRate") && $0.contains("1.0") })
    }

    @Test(arguments: [tinyNearest, tinyTransposed])
    func sameSeedGivesIdenticalWeightsAndImages(configuration: DCGANConfiguration) {
        let a = DCGAN(configuration: configuration, seed: 3), b = DCGAN(configuration: configuration, seed: 3)
        let c = DCGAN(configuration: configuration, seed: 4)
        #expect(a.namedParameters().map(\.1) == b.namedParameters().map(\.1))
        #expect(a.namedParameters().map(\.1) != c.namedParameters().map(\.1))
        let image = a.generate(seed: 11)
        #expect(image.shape == [3, 8, 8])
        #expect(image == b.generate(seed: 11))
        #expect(image == a.generate(seed: 11))
        #expect(image != a.generate(seed: 12))
        #expect(image.storage.allSatisfy { $0 >= -1 && $0 <= 1 })
        // Batched generation gives each seed's image.
        let batch = a.generate(seeds: [12, 11, 13])
        #expect(batch.shape == [3, 3, 8, 8])
        #expect(maximumDifference(Tensor(unchecked: [3, 8, 8], Array(batch.storage[192..<384])), image) < 1e-5)
    }

    @Test(arguments: [tinyNearest, tinyTransposed])
    func trainingMovesBothLossesAndSamplesVary(configuration: DCGANConfiguration) {
        var gan = DCGAN(configuration: configuration, seed: 5)
        let images = Self.squares(count: 32, seed: 6)
        let before = gan.evaluate(realImages: images)
        func mean(_ values: ArraySlice<(Float, Float)>, _ pick: ((Float, Float)) -> Float) -> Float { values.map(pick).reduce(0, +) / Float(values.count) }
        var history: [(Float, Float)] = []
        let summary = gan.train(images: images, budget: TrainingBudget(steps: 60), seed: 7) { progress in
            history.append((progress.losses["discriminator"]!, progress.losses["generator"]!))
            #expect(progress.loss == progress.losses["generator"])
        }
        #expect(summary.steps == 60 && history.count == 60)
        #expect(summary.epochs == 15)  // 32 images in batches of 8: 4 steps per epoch
        #expect(gan.iterations == 60)
        let after = gan.evaluate(realImages: images)
        #expect(before.discriminatorLoss.isFinite && after.discriminatorLoss.isFinite && after.generatorLoss.isFinite)
        // Both losses move: in inference mode on the same images, and along the training history.
        #expect(abs(before.discriminatorLoss - after.discriminatorLoss) > 0.02)
        #expect(abs(before.generatorLoss - after.generatorLoss) > 0.02)
        #expect(history.map(\.0).max()! - history.map(\.0).min()! > 0.05)
        #expect(abs(mean(history.prefix(10), \.1) - mean(history.suffix(10), \.1)) > 0.02)
        // Samples are not constant: per-pixel variance across 16 samples, averaged over pixels.
        let samples = gan.generate(seeds: Array(0..<16))
        let pixels = 3 * 8 * 8
        var variance: Float = 0
        for p in 0..<pixels {
            let values = (0..<16).map { samples.storage[$0 * pixels + p] }
            let m = values.reduce(0, +) / 16
            variance += values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 16
        }
        #expect(variance / Float(pixels) > 1e-3)
    }

    @Test func trainingIsDeterministicPerSeed() {
        let images = Self.squares(count: 16, seed: 8)
        var a = DCGAN(configuration: Self.tinyNearest, seed: 1), b = DCGAN(configuration: Self.tinyNearest, seed: 1)
        let sa = a.train(images: images, budget: TrainingBudget(steps: 4), seed: 2) { _ in }
        let sb = b.train(images: images, budget: TrainingBudget(steps: 4), seed: 2) { _ in }
        #expect(sa.losses == sb.losses)
        #expect(a.namedParameters().map(\.1) == b.namedParameters().map(\.1))
        #expect(a.generate(seed: 9) == b.generate(seed: 9))
        #expect(a.evaluate(realImages: images) == b.evaluate(realImages: images))
    }

    /// The generator's gradient through the discriminator (training mode, BatchNorm batch statistics, fused upsampling,
    /// transposed convolutions, tanh) matches finite differences of the generator loss.
    @Test(arguments: [tinyNearest, tinyTransposed])
    func generatorGradientMatchesFiniteDifferences(configuration: DCGANConfiguration) {
        var configuration = configuration
        configuration.dropoutRate = 0
        let gan = DCGAN(configuration: configuration, seed: 21)
        let latents = GradientCheck.random([4, configuration.latentSize], seed: 22)
        func loss(_ generator: DCGANGenerator) -> Double {
            var workspace = ConvolutionWorkspace()
            var rng = SeededGenerator(seed: 0)
            let images = generator.forward(latents, training: true, workspace: &workspace).images
            let logits = gan.discriminator.forward(images, training: true, using: &rng, workspace: &workspace).logits
            var total = 0.0
            for x in logits.storage { total += Double(max(x, 0) - x + log1p(exp(-abs(x)))) }
            return total / Double(logits.count)
        }
        var workspace = ConvolutionWorkspace()
        var rng = SeededGenerator(seed: 0)
        let (images, generatorTape) = gan.generator.forward(latents, training: true, workspace: &workspace)
        let (logits, discriminatorTape) = gan.discriminator.forward(images, training: true, using: &rng, workspace: &workspace)
        let gradLogits = binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: logits.shape, repeating: 1)).gradLogits
        let gradImages = gan.discriminator.backward(gradLogits, tape: discriminatorTape!, inputGradient: true, parameterGradients: false, workspace: &workspace).gradImages!
        let gradients = gan.generator.backward(gradImages, tape: generatorTape!, workspace: &workspace)
        func replacing(_ name: String, with value: Tensor) -> DCGANGenerator {
            var generator = gan.generator
            generator.load { (parameter: String, _: [Int]) -> Tensor in
                parameter == name ? value : gan.generator.namedParameters().first { $0.0 == parameter }!.1
            }
            return generator
        }
        let block0Weight: Tensor
        switch gradients.blocks[0].upsampler {
        case let .convolution(g): block0Weight = g.weight
        case let .transposed(g): block0Weight = g.weight
        }
        let outputBias: Tensor
        switch gradients.output {
        case let .convolution(g): outputBias = g.bias
        case let .transposed(g): outputBias = g.bias
        }
        // Through five nonlinear layers some ReLU inputs sit within a step of their kink, and each crossing adds a
        // few percent; a wiring error (wrong cache, mask or order) gives errors of order 1. The exact wiring is checked
        // against the public layers in `generatorBackwardEqualsTheLayersComposed`.
        let tolerance = 0.1
        #expect(GradientCheck.error(of: block0Weight, at: gan.generator.blocks[0].upsampler.weight) {
            loss(replacing("generator.block0.conv.weight", with: $0))
        } < tolerance)
        #expect(GradientCheck.error(of: gradients.blocks[0].norm.gamma, at: gan.generator.blocks[0].norm.gamma) {
            loss(replacing("generator.block0.norm.gamma", with: $0))
        } < tolerance)
        #expect(GradientCheck.error(of: outputBias, at: gan.generator.output.bias) {
            loss(replacing("generator.output.conv.bias", with: $0))
        } < tolerance)
        #expect(GradientCheck.error(of: gradients.dense.weight, at: gan.generator.dense.weight) {
            loss(replacing("generator.dense.weight", with: $0))
        } < tolerance)
    }

    /// The generator's fused forward and backward (in-place ReLU, BatchNorm sharing its input buffer, upsampling fused
    /// into the convolutions) equal the public layers composed one by one.
    @Test func generatorBackwardEqualsTheLayersComposed() {
        let gan = DCGAN(configuration: Self.tinyNearest, seed: 61)
        let generator = gan.generator
        let latents = GradientCheck.random([4, 6], seed: 62)
        var workspace = ConvolutionWorkspace()
        let (images, tape) = generator.forward(latents, training: true, workspace: &workspace)
        let gradImages = GradientCheck.random(images.shape, seed: 63)
        let fused = generator.backward(gradImages, tape: tape!, workspace: &workspace)

        func conv(_ upsampler: DCGANGenerator.Upsampler) -> Conv2D {
            guard case let .nearest(conv, _) = upsampler else { preconditionFailure("nearest configuration") }
            return conv
        }
        func weight(_ gradients: DCGANGenerator.Upsampler.Gradients) -> Conv2D.Gradients {
            guard case let .convolution(g) = gradients else { preconditionFailure("nearest configuration") }
            return g
        }
        // Forward, layer by layer.
        let (denseOut, denseCache) = generator.dense.forward(latents)
        var x = Tensor(unchecked: [4, 8, 2, 2], Activation.relu.forward(denseOut).storage)
        var activations = [x]
        var upsampled: [Tensor] = [], normalized: [Tensor] = [], caches: [BatchNorm.Cache] = []
        for block in generator.blocks {
            let up = UpSampling2D().forward(x)
            let (normalizedValues, cache) = block.norm.forward(conv(block.upsampler).forward(up).output, training: true)
            x = Activation.relu.forward(normalizedValues)
            upsampled.append(up)
            normalized.append(normalizedValues)
            caches.append(cache)
            activations.append(x)
        }
        let outputConv = conv(generator.output)
        let pre = outputConv.forward(x).output
        let expectedImages = Activation.tanh.forward(pre)
        #expect(maximumDifference(images, expectedImages) < 1e-5)
        // Backward, layer by layer.
        var (grad, outputGradients) = outputConv.backward(Activation.tanh.backward(gradImages, input: pre, output: expectedImages), cache: x)
        #expect(maximumDifference(weight(fused.output).weight, outputGradients.weight) < 1e-4)
        for index in generator.blocks.indices.reversed() {
            let block = generator.blocks[index]
            let (gradNorm, normGradients) = block.norm.backward(
                Activation.relu.backward(grad, input: normalized[index], output: activations[index + 1]), cache: caches[index])
            let (gradUp, convGradients) = conv(block.upsampler).backward(gradNorm, cache: upsampled[index])
            grad = UpSampling2D().backward(gradUp)
            #expect(maximumDifference(fused.blocks[index].norm.gamma, normGradients.gamma) < 1e-4)
            #expect(maximumDifference(fused.blocks[index].norm.beta, normGradients.beta) < 1e-4)
            #expect(maximumDifference(weight(fused.blocks[index].upsampler).weight, convGradients.weight) < 1e-4)
            #expect(maximumDifference(weight(fused.blocks[index].upsampler).bias, convGradients.bias) < 1e-4)
        }
        let gradDense = Activation.relu.backward(Tensor(unchecked: [4, 32], grad.storage), input: denseOut, output: Activation.relu.forward(denseOut))
        let denseGradients = generator.dense.backward(gradDense, cache: denseCache).gradients
        #expect(maximumDifference(fused.dense.weight, denseGradients.weight) < 1e-4)
        #expect(maximumDifference(fused.dense.bias, denseGradients.bias) < 1e-4)
    }

    /// The discriminator's parameter gradients (BatchNorm, zero padding, LeakyReLU, Dense) match finite differences.
    @Test func discriminatorGradientMatchesFiniteDifferences() {
        var configuration = Self.tinyNearest
        configuration.dropoutRate = 0
        let gan = DCGAN(configuration: configuration, seed: 31)
        let images = Self.squares(count: 4, seed: 32)
        let targets = Tensor(shape: [4, 1], repeating: 1)
        func loss(_ discriminator: DCGANDiscriminator, _ input: Tensor = images) -> Double {
            var workspace = ConvolutionWorkspace()
            var rng = SeededGenerator(seed: 0)
            return Double(binaryCrossEntropyWithLogits(
                logits: discriminator.forward(input, training: true, using: &rng, workspace: &workspace).logits, targets: targets).loss)
        }
        var workspace = ConvolutionWorkspace()
        var rng = SeededGenerator(seed: 0)
        let (logits, tape) = gan.discriminator.forward(images, training: true, using: &rng, workspace: &workspace)
        let gradLogits = binaryCrossEntropyWithLogits(logits: logits, targets: targets).gradLogits
        let (gradImages, gradients) = gan.discriminator.backward(gradLogits, tape: tape!, inputGradient: true, parameterGradients: true, workspace: &workspace)
        var probe = gan.discriminator
        #expect(GradientCheck.error(of: gradients!.stages[1].conv.weight, at: probe.stages[1].conv.weight) {
            probe.stages[1].conv.weight = $0
            return loss(probe)
        } < GradientCheck.tolerance)
        probe = gan.discriminator
        #expect(GradientCheck.error(of: gradients!.stages[2].norm!.beta, at: probe.stages[2].norm!.beta) {
            probe.stages[2].norm!.beta = $0
            return loss(probe)
        } < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: gradImages!, at: images) { loss(gan.discriminator, $0) } < GradientCheck.tolerance)
    }

    @Test func checkpointRoundTripRestoresEveryTensorAndTheConfiguration() throws {
        var gan = DCGAN(configuration: Self.tinyNearest, seed: 41)
        _ = gan.train(images: Self.squares(count: 16, seed: 42), budget: TrainingBudget(steps: 2), seed: 43) { _ in }
        let checkpoint = gan.checkpoint()
        #expect(checkpoint.kind == "dcgan")
        #expect(checkpoint.metadata["iterations"] == "2")
        #expect(checkpoint.tensors.contains { $0.name == "generator.block1.norm.movingVariance" })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dcgan-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try checkpoint.write(to: url)
        let restored = try DCGAN(checkpoint: try Checkpoint.read(from: url))
        #expect(restored.configuration == Self.tinyNearest)
        #expect(restored.iterations == 2)
        #expect(restored.namedParameters().map(\.0) == gan.namedParameters().map(\.0))
        #expect(restored.namedParameters().map(\.1) == gan.namedParameters().map(\.1))
        #expect(restored.generate(seed: 5) == gan.generate(seed: 5))
    }

    @Test func checkpointErrorsNameTheProblem() throws {
        let checkpoint = DCGAN(configuration: Self.tinyNearest, seed: 51).checkpoint()
        var wrongKind = checkpoint
        wrongKind.kind = "text"
        #expect(throws: CheckpointError(path: "<in memory>", .wrongKind(expected: "dcgan", found: "text"))) { try DCGAN(checkpoint: wrongKind) }
        // A configuration that asks for wider layers than the stored tensors: the first mismatch is named.
        var wider = Self.tinyNearest
        wider.generatorStartFilters = 16
        var mismatched = checkpoint
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        mismatched.metadata["configuration"] = String(decoding: try encoder.encode(wider), as: UTF8.self)
        #expect(throws: CheckpointError(path: "<in memory>", .shapeMismatch(name: "generator.dense.weight", expected: [6, 64], found: [6, 32]))) {
            try DCGAN(checkpoint: mismatched)
        }
        var invalid = checkpoint
        invalid.metadata["configuration"] = "{\"imageSize\": 8}"
        #expect(throws: CheckpointError(path: "<in memory>", .invalidMetadata(key: "configuration", value: "{\"imageSize\": 8}"))) {
            try DCGAN(checkpoint: invalid)
        }
        var missing = checkpoint
        missing.tensors.removeAll { $0.name == "discriminator.dense.bias" }
        #expect(throws: CheckpointError.self) { try DCGAN(checkpoint: missing) }
    }

    @Test func benchmarkReportsEveryIteration() {
        let result = GANBenchmark.run(configuration: Self.tinyTransposed, iterations: 3, posters: 5)
        #expect(result.iterationTimes.count == 3)
        #expect(result.medianIteration == result.iterationTimes.sorted()[1])
        #expect(result.posters == 5 && result.postersPerSecond > 0)
    }
}
