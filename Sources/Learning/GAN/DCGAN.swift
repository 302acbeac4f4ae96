/// A deep convolutional GAN that makes posters: a generator from latent vectors to NCHW images in [-1, 1] (one image's
/// CHW layout is `Imaging.RGBImage.tensor()`'s) and a discriminator that scores images, trained against each other
/// with binary cross-entropy or a hinge loss and one Adam optimizer per network. When the configuration asks for a
/// generator average, every poster (`generate`, `evaluate`) comes from the averaged copy.
///
/// ```swift
/// var gan = DCGAN(configuration: .nightly, seed: 7)
/// let summary = gan.train(images: posters, budget: TrainingBudget(timeLimit: .seconds(600)), seed: 7) { progress in
///     logger.info("gan step", metadata: ["step": "\(progress.step)", "loss.g": "\(progress.loss)"])
/// }
/// let poster = gan.generate(seed: 42)     // [3, 64, 64]; the same seed always gives the same poster
/// ```
public struct DCGAN: Sendable {
    /// The architecture and hyperparameters.
    public let configuration: DCGANConfiguration
    /// Training iterations taken since initialisation (carried through checkpoints).
    public internal(set) var iterations: Int = 0
    var generator: DCGANGenerator
    var discriminator: DCGANDiscriminator
    var generatorOptimizer: Adam
    var discriminatorOptimizer: Adam
    /// The exponential moving average of `generator` (`configuration.generatorAverageDecay`), or `nil`.
    var averageGenerator: DCGANGenerator?
    /// Updates folded into `averageGenerator` so far (drives the warm-up of its decay).
    var averageUpdates = 0
    /// The current DiffAugment probability per group and image (0 without augmentation); adapted during training when
    /// the configuration sets a target.
    public internal(set) var augmentationProbability: Float

    /// The seed of the latent vectors `evaluate(realImages:)` uses.
    public static let evaluationSeed: UInt64 = 0x5EED_0F_E7A1

    /// Creates a model with Keras-default initial weights drawn from `seed` (the same seed gives the same weights).
    /// Traps when `configuration.problems` is not empty: a configuration is a programming decision, not input.
    public init(configuration: DCGANConfiguration, seed: UInt64) {
        let problems = configuration.problems
        precondition(problems.isEmpty, "invalid DCGAN configuration: \(problems.joined(separator: "; "))")
        self.configuration = configuration
        var generator = SeededGenerator(seed: seed)
        self.generator = DCGANGenerator(configuration: configuration, using: &generator)
        self.discriminator = DCGANDiscriminator(configuration: configuration, using: &generator)
        generatorOptimizer = Adam(learningRate: configuration.learningRate, beta1: configuration.beta1)
        discriminatorOptimizer = Adam(learningRate: configuration.learningRate, beta1: configuration.beta1)
        averageGenerator = configuration.generatorAverageDecay == nil ? nil : self.generator
        augmentationProbability = configuration.augmentation?.probability ?? 0
    }

    /// Whether this configuration trains with the original's loop (binary cross-entropy, no augmentation, no spectral
    /// normalisation): `trainIteration` then takes exactly the original's steps.
    var trainsLikeTheOriginal: Bool {
        configuration.loss == .binaryCrossEntropy && configuration.augmentation == nil && !configuration.spectralNormalization
    }

    /// The generator posters are drawn from: the average when there is one.
    var drawingGenerator: DCGANGenerator { averageGenerator ?? generator }

    /// One training iteration; then, with a generator average, one average update.
    ///
    /// With the original's settings (`loss: .binaryCrossEntropy`, no augmentation or spectral normalisation) the
    /// iteration is the original's: the generator makes fakes from fresh latents (inference mode, as Keras's
    /// `predict`); the discriminator takes one Adam step on the real images (label 1) and one on the fakes (label 0),
    /// each with its own batch statistics; then the generator takes one step through the discriminator (training
    /// mode, weights and moving statistics frozen) on the same latents with label 1.
    ///
    /// Otherwise it is FastGAN's: the generator makes fakes in training mode; real and fake images are augmented;
    /// the spectral-normalisation estimators take one power iteration; the discriminator takes one Adam step on the
    /// summed real and fake losses; the augmentation probability adapts to `E[sign D(real)]`; then the generator takes
    /// one step through the updated discriminator on the same augmented fakes, its gradient flowing back through the
    /// augmentation.
    /// - Parameters:
    ///   - realImages: `[n, channels, imageSize, imageSize]` in [-1, 1], usually `n = batchSize`.
    ///   - generator: the source of the latents, augmentations, margins and dropout masks.
    /// - Returns: the discriminator's loss (binary cross-entropy: the mean of its real and fake losses; hinge: their
    ///   sum) and the generator's loss.
    public mutating func trainIteration(
        realImages: Tensor, using rng: inout some RandomNumberGenerator
    ) -> (discriminatorLoss: Float, generatorLoss: Float) {
        let c = configuration
        precondition(realImages.shape.count == 4 && Array(realImages.shape.dropFirst()) == [c.channels, c.imageSize, c.imageSize],
            "real images must be [n, \(c.channels), \(c.imageSize), \(c.imageSize)], got \(realImages.shape)")
        precondition(realImages.shape[0] > 1, "a training batch needs at least 2 images for batch statistics, got \(realImages.shape[0])")
        let losses = trainsLikeTheOriginal ? originalIteration(realImages: realImages, using: &rng)
            : dataEfficientIteration(realImages: realImages, using: &rng)
        if let decay = configuration.generatorAverageDecay { updateAverage(decay: decay) }
        return losses
    }

    /// Folds the generator into its average with decay `min(decay, t / (t + 9))` at the `t`-th update.
    mutating func updateAverage(decay: Float) {
        averageUpdates += 1
        let t = Float(averageUpdates)
        averageGenerator?.moveAverage(toward: generator, decay: min(decay, t / (t + 9)))
    }

    /// One iteration in the original's order (see `trainIteration`); returns the mean of the discriminator's real and
    /// fake losses and the generator's loss.
    private mutating func originalIteration(
        realImages: Tensor, using rng: inout some RandomNumberGenerator
    ) -> (discriminatorLoss: Float, generatorLoss: Float) {
        let c = configuration
        let n = realImages.shape[0]
        var workspace = ConvolutionWorkspace()
        let latents = Tensor.normal([n, c.latentSize], using: &rng)
        let fakes = generator.forward(latents, training: false, workspace: &workspace).images
        let realLoss = discriminatorStep(realImages, target: 1, using: &rng, workspace: &workspace)
        let fakeLoss = discriminatorStep(fakes, target: 0, using: &rng, workspace: &workspace)

        let (images, generatorTape) = generator.forward(latents, training: true, workspace: &workspace)
        let (logits, discriminatorTape) = discriminator.forward(images, training: true, using: &rng, workspace: &workspace)
        let (generatorLoss, gradLogits) = binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: logits.shape, repeating: 1))
        let gradImages = discriminator.backward(
            gradLogits, tape: discriminatorTape!, inputGradient: true, parameterGradients: false, workspace: &workspace
        ).gradImages!
        let gradients = generator.backward(gradImages, tape: generatorTape!, workspace: &workspace)
        generator.update(with: gradients, tape: generatorTape!, using: &generatorOptimizer)
        iterations += 1
        return ((realLoss + fakeLoss) / 2, generatorLoss)
    }

    /// One FastGAN-style iteration (see `trainIteration`).
    private mutating func dataEfficientIteration(
        realImages: Tensor, using rng: inout some RandomNumberGenerator
    ) -> (discriminatorLoss: Float, generatorLoss: Float) {
        let c = configuration
        let n = realImages.shape[0]
        var workspace = ConvolutionWorkspace()
        let latents = Tensor.normal([n, c.latentSize], using: &rng)
        let (fakes, generatorTape) = generator.forward(latents, training: true, workspace: &workspace)
        var realInput = realImages, fakeInput = fakes
        var fakeChoices: [DiffAugment.Parameters]?
        if let augmentation = c.augmentation {
            let p = augmentationProbability
            let realChoices = DiffAugment.draw(count: n, side: c.imageSize, probability: p, flips: augmentation.flipsRealImages, using: &rng)
            let choices = DiffAugment.draw(count: n, side: c.imageSize, probability: p, flips: false, using: &rng)
            realInput = DiffAugment.forward(realImages, realChoices)
            fakeInput = DiffAugment.forward(fakes, choices)
            fakeChoices = choices
        }

        // The discriminator: one step on the real and fake losses together (the fakes are constants here).
        discriminator.powerIterate()
        let (realLogits, realTape) = discriminator.forward(realInput, training: true, using: &rng, workspace: &workspace)
        let (fakeLogits, fakeTape) = discriminator.forward(fakeInput, training: true, using: &rng, workspace: &workspace)
        let discriminatorLoss: Float, gradReal: Tensor, gradFake: Tensor
        switch c.loss {
        case .hinge:
            (discriminatorLoss, gradReal, gradFake) = HingeLoss.discriminator(
                realLogits: realLogits, fakeLogits: fakeLogits, margins: HingeLoss.margins(count: 2 * n, using: &rng))
        case .binaryCrossEntropy:
            let real = binaryCrossEntropyWithLogits(logits: realLogits, targets: Tensor(shape: realLogits.shape, repeating: 1))
            let fake = binaryCrossEntropyWithLogits(logits: fakeLogits, targets: Tensor.zeros(fakeLogits.shape))
            (discriminatorLoss, gradReal, gradFake) = ((real.loss + fake.loss) / 2, real.gradLogits, fake.gradLogits)
        }
        let realGradients = discriminator.backward(
            gradReal, tape: realTape!, inputGradient: false, parameterGradients: true, workspace: &workspace).gradients!
        let fakeGradients = discriminator.backward(
            gradFake, tape: fakeTape!, inputGradient: false, parameterGradients: true, workspace: &workspace).gradients!
        discriminator.update(
            with: realGradients.adding(fakeGradients), tape: realTape!, updatingMovingStatistics: true, using: &discriminatorOptimizer)
        discriminator.updateMovingStatistics(from: fakeTape!)
        if let target = c.augmentation?.adaptiveTarget { adaptAugmentation(realLogits: realLogits, target: target) }

        // The generator: through the updated discriminator on the same augmented fakes, back through the augmentation.
        let (logits, discriminatorTape) = discriminator.forward(fakeInput, training: true, using: &rng, workspace: &workspace)
        let (generatorLoss, gradLogits) = c.loss == .hinge ? HingeLoss.generator(fakeLogits: logits)
            : binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: logits.shape, repeating: 1))
        var gradImages = discriminator.backward(
            gradLogits, tape: discriminatorTape!, inputGradient: true, parameterGradients: false, workspace: &workspace
        ).gradImages!
        if let fakeChoices { gradImages = DiffAugment.backward(gradImages, fakeChoices) }
        let gradients = generator.backward(gradImages, tape: generatorTape!, workspace: &workspace)
        generator.update(with: gradients, tape: generatorTape!, using: &generatorOptimizer)
        iterations += 1
        return (discriminatorLoss, generatorLoss)
    }

    /// ADA's heuristic: `r = E[sign D(real)]` above `target` means the discriminator is overfitting, so the
    /// probability rises by `n / adjustmentImages`; below, it falls as much; it stays in [0, 1].
    mutating func adaptAugmentation(realLogits: Tensor, target: Float) {
        guard let augmentation = configuration.augmentation else { return }
        var signs: Float = 0
        for logit in realLogits.storage { signs += logit > 0 ? 1 : logit < 0 ? -1 : 0 }
        let r = signs / Float(max(realLogits.count, 1))
        let step = Float(realLogits.count) / Float(augmentation.adjustmentImages)
        let moved = augmentationProbability + (r > target ? step : r < target ? -step : 0)
        augmentationProbability = min(max(moved, 0), 1)
    }

    /// One discriminator Adam step on `images`, all labelled `target`; returns the loss before the step.
    private mutating func discriminatorStep(
        _ images: Tensor, target: Float, using rng: inout some RandomNumberGenerator, workspace: inout ConvolutionWorkspace
    ) -> Float {
        let (logits, tape) = discriminator.forward(images, training: true, using: &rng, workspace: &workspace)
        let (loss, gradLogits) = binaryCrossEntropyWithLogits(logits: logits, targets: Tensor(shape: logits.shape, repeating: target))
        let gradients = discriminator.backward(gradLogits, tape: tape!, inputGradient: false, parameterGradients: true, workspace: &workspace).gradients!
        discriminator.update(with: gradients, tape: tape!, updatingMovingStatistics: true, using: &discriminatorOptimizer)
        return loss
    }

    /// Trains on `images` until the first limit of `budget`: each epoch visits the images in a fresh seeded order in
    /// batches of `batchSize` (`max(1, n / batchSize)` batches; the order wraps around when `n < batchSize`).
    /// - Parameters:
    ///   - images: `[n, channels, imageSize, imageSize]` in [-1, 1], `n ≥ 2`.
    ///   - seed: determines the order, latents and dropout masks: the same model, images and seed train identically.
    ///   - progress: called after every step with both losses (`["discriminator": …, "generator": …]`).
    public mutating func train(
        images: Tensor, budget: TrainingBudget, seed: UInt64, progress: (TrainingProgress) -> Void
    ) -> GANTrainingSummary {
        let c = configuration
        precondition(images.shape.count == 4 && Array(images.shape.dropFirst()) == [c.channels, c.imageSize, c.imageSize],
            "training images must be [n, \(c.channels), \(c.imageSize), \(c.imageSize)], got \(images.shape)")
        let n = images.shape[0]
        precondition(n >= 2, "GAN training needs at least 2 images, got \(n)")
        var rng = SeededGenerator(seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        let batch = c.batchSize
        let imageCount = c.channels * c.imageSize * c.imageSize
        let stepsPerEpoch = max(1, n / batch)
        var step = 0, epoch = 0
        var last: (discriminatorLoss: Float, generatorLoss: Float) = (.nan, .nan)
        var sums: (Double, Double) = (0, 0)
        training: while true {
            if let epochs = budget.epochs, epoch >= epochs { break }
            if let steps = budget.steps, step >= steps { break }
            if let limit = budget.timeLimit, clock.now - start >= limit { break }
            epoch += 1
            var order = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
            for batchIndex in 0..<stepsPerEpoch {
                if let steps = budget.steps, step >= steps { break training }
                if let limit = budget.timeLimit, clock.now - start >= limit { break training }
                var realImages = Tensor.zeros([batch, c.channels, c.imageSize, c.imageSize])
                realImages.storage.withUnsafeMutableBufferPointer { destination in
                    images.storage.withUnsafeBufferPointer { source in
                        for i in 0..<batch {
                            let index = order[(batchIndex * batch + i) % n]
                            (destination.baseAddress! + i * imageCount).update(from: source.baseAddress! + index * imageCount, count: imageCount)
                        }
                    }
                }
                last = trainIteration(realImages: realImages, using: &rng)
                step += 1
                sums.0 += Double(last.discriminatorLoss)
                sums.1 += Double(last.generatorLoss)
                let elapsed = clock.now - start
                progress(TrainingProgress(
                    step: step, epoch: epoch, loss: last.generatorLoss,
                    losses: ["discriminator": last.discriminatorLoss, "generator": last.generatorLoss],
                    examplesPerSecond: Double(step * batch) / max(seconds(elapsed), 1e-9), elapsed: elapsed))
            }
        }
        let elapsed = clock.now - start
        return GANTrainingSummary(
            steps: step, epochs: epoch,
            losses: ["discriminator": last.discriminatorLoss, "generator": last.generatorLoss],
            meanLosses: step == 0 ? [:] : ["discriminator": Float(sums.0 / Double(step)), "generator": Float(sums.1 / Double(step))],
            imagesPerSecond: Double(step * batch) / max(seconds(elapsed), 1e-9), elapsed: elapsed)
    }

    /// The images the generator (its average, when there is one) makes (inference mode) for `latents` (`[n, latentSize]`), processed `batchSize` at a
    /// time: `[n, channels, imageSize, imageSize]` in [-1, 1].
    public func generate(latents: Tensor) -> Tensor {
        let c = configuration
        precondition(latents.rank == 2 && latents.shape[1] == c.latentSize, "latents must be [n, \(c.latentSize)], got \(latents.shape)")
        let n = latents.shape[0]
        let imageCount = c.channels * c.imageSize * c.imageSize
        var result = Tensor.zeros([n, c.channels, c.imageSize, c.imageSize])
        var workspace = ConvolutionWorkspace()
        var start = 0
        while start < n {
            let count = min(c.batchSize, n - start)
            let chunk = Tensor(unchecked: [count, c.latentSize], Array(latents.storage[(start * c.latentSize)..<((start + count) * c.latentSize)]))
            let images = drawingGenerator.forward(chunk, training: false, workspace: &workspace).images
            result.storage.replaceSubrange((start * imageCount)..<((start + count) * imageCount), with: images.storage)
            start += count
        }
        return result
    }

    /// The latent vector for `seed`: `latentSize` standard normal values from `SeededGenerator(seed:)`.
    public func latent(seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor.normal([configuration.latentSize], using: &rng)
    }

    /// The poster for `seed`, `[channels, imageSize, imageSize]`: the same model and seed always give the same image,
    /// so the archive can record the seed that made each poster.
    public func generate(seed: UInt64) -> Tensor {
        let images = generate(seeds: [seed])
        return Tensor(unchecked: Array(images.shape.dropFirst()), images.storage)
    }

    /// The posters for `seeds`, `[seeds.count, channels, imageSize, imageSize]`, generated in batches; image `i` is
    /// `generate(seed: seeds[i])` (up to floating-point summation order in the batched products).
    public func generate(seeds: [UInt64]) -> Tensor {
        var latents: [Float] = []
        latents.reserveCapacity(seeds.count * configuration.latentSize)
        for seed in seeds { latents += latent(seed: seed).storage }
        return generate(latents: Tensor(unchecked: [seeds.count, configuration.latentSize], latents))
    }

    /// Both losses in inference mode (moving statistics, no dropout, no updates) on `realImages` and as many fakes
    /// from latents drawn with `evaluationSeed`, so the same model and images always score the same.
    /// - Returns: the discriminator's loss (mean of real-as-1 and fake-as-0) and the generator's (fake-as-1).
    public func evaluate(realImages: Tensor) -> (discriminatorLoss: Float, generatorLoss: Float) {
        let c = configuration
        precondition(realImages.shape.count == 4 && Array(realImages.shape.dropFirst()) == [c.channels, c.imageSize, c.imageSize],
            "real images must be [n, \(c.channels), \(c.imageSize), \(c.imageSize)], got \(realImages.shape)")
        let n = realImages.shape[0]
        precondition(n > 0, "evaluation needs at least one image")
        var rng = SeededGenerator(seed: DCGAN.evaluationSeed)
        let fakes = generate(latents: Tensor.normal([n, c.latentSize], using: &rng))
        var workspace = ConvolutionWorkspace()
        func logits(_ images: Tensor) -> Tensor {
            var all: [Float] = []
            let imageCount = c.channels * c.imageSize * c.imageSize
            var start = 0
            while start < n {
                let count = min(c.batchSize, n - start)
                let chunk = Tensor(unchecked: [count, c.channels, c.imageSize, c.imageSize],
                    Array(images.storage[(start * imageCount)..<((start + count) * imageCount)]))
                all += discriminator.forward(chunk, training: false, using: &rng, workspace: &workspace).logits.storage
                start += count
            }
            return Tensor(unchecked: [n, 1], all)
        }
        let realLogits = logits(realImages), fakeLogits = logits(fakes)
        let ones = Tensor(shape: [n, 1], repeating: 1), zeros = Tensor.zeros([n, 1])
        let realLoss = binaryCrossEntropyWithLogits(logits: realLogits, targets: ones).loss
        let fakeLoss = binaryCrossEntropyWithLogits(logits: fakeLogits, targets: zeros).loss
        let generatorLoss = binaryCrossEntropyWithLogits(logits: fakeLogits, targets: ones).loss
        return ((realLoss + fakeLoss) / 2, generatorLoss)
    }

    /// Every trained parameter and BatchNorm moving statistic, by name (`generator.…`, then `discriminator.…`),
    /// in a fixed order. Adam's moment estimates are not included.
    public func namedParameters() -> [(String, Tensor)] {
        generator.namedParameters() + discriminator.namedParameters()
    }

    /// Replaces every parameter with the one `lookup` returns for its name and expected shape (the lookup checks the
    /// shape and throws when it cannot supply the tensor). Adam's state is reset, and the generator average (if any)
    /// restarts from the loaded generator.
    public mutating func loadParameters<E: Error>(_ lookup: (_ name: String, _ shape: [Int]) throws(E) -> Tensor) throws(E) {
        var generator = self.generator, discriminator = self.discriminator
        try generator.load(lookup)
        try discriminator.load(lookup)
        self.generator = generator
        self.discriminator = discriminator
        if averageGenerator != nil {
            averageGenerator = generator
            averageUpdates = 0
        }
        generatorOptimizer = Adam(learningRate: configuration.learningRate, beta1: configuration.beta1)
        discriminatorOptimizer = Adam(learningRate: configuration.learningRate, beta1: configuration.beta1)
    }
}

/// `duration` in seconds as a Double.
private func seconds(_ duration: Duration) -> Double {
    let (s, attoseconds) = duration.components
    return Double(s) + Double(attoseconds) * 1e-18
}
