/// The architecture and training hyperparameters of a `DCGAN`. Both presets are instances of it:
/// `.original` reproduces the original app's Keras model, `.nightly` is a smaller 64×64 one sized for a CPU night.
///
/// The generator maps a latent vector through `Dense(startSize²·startFilters, ReLU)`, reshapes it to
/// `[startFilters, startSize, startSize]`, then runs one upsampling block per entry of `generatorFilters`
/// (each doubles the resolution: `upsampling` then BatchNorm and ReLU), then an output layer to `channels` with
/// `tanh`: a stride-1 `'same'` convolution, or, when `outputUpsamples`, one more upsampling step.
/// The discriminator runs `discriminatorLayers` (convolution, optional zero padding, optional BatchNorm, LeakyReLU,
/// dropout), then `Flatten` and `Dense(1)` giving a logit.
///
/// The data-efficient options (`loss`, `augmentation`, `spectralNormalization`, `generatorAverageDecay`) default to
/// the original's behaviour; configurations saved before they existed decode with those defaults.
public struct DCGANConfiguration: Sendable, Equatable, Codable {
    /// The adversarial loss.
    public enum Loss: String, Sendable, Equatable, Codable {
        /// Binary cross-entropy on logits, real labelled 1 and fake 0, with separate real and fake discriminator steps
        /// and a second generator pass for the generator step (the original's Keras loop).
        case binaryCrossEntropy
        /// FastGAN's hinge loss with random margins U(0.8, 1) (see `HingeLoss`): one discriminator step on the real
        /// and fake batches, and a generator step through the same augmented fakes.
        case hinge
    }

    /// DiffAugment on every image the discriminator sees, real and fake, in both steps (see `DiffAugment`).
    public struct Augmentation: Sendable, Equatable, Codable {
        /// The probability, per image, of each augmentation group (colour, translation, cutout) at the start.
        public var probability: Float
        /// ADA's target for `E[sign D(real)]`: above it the probability rises, below it falls. `nil` keeps it fixed.
        public var adaptiveTarget: Float?
        /// Real images over which the adaptive probability can move by 1 (ADA uses 500,000; a CPU night sees tens of
        /// thousands).
        public var adjustmentImages: Int
        /// Whether real images are also mirrored left to right with probability ½.
        public var flipsRealImages: Bool

        /// Creates augmentation settings.
        public init(probability: Float, adaptiveTarget: Float? = nil, adjustmentImages: Int = 10_000, flipsRealImages: Bool = true) {
            self.probability = probability
            self.adaptiveTarget = adaptiveTarget
            self.adjustmentImages = adjustmentImages
            self.flipsRealImages = flipsRealImages
        }
    }

    /// How a generator block doubles the resolution.
    public enum Upsampling: String, Sendable, Equatable, Codable {
        /// `UpSampling2D` (nearest neighbour, ×2) then a stride-1 `'same'` convolution (the original).
        case nearest
        /// A stride-2 `'same'` transposed convolution.
        case transposed
    }

    /// One discriminator stage: `Conv2D(filters, kernel, stride, 'same')`, then optional `ZeroPadding2D((0,1),(0,1))`,
    /// optional BatchNorm, LeakyReLU and dropout.
    public struct DiscriminatorLayer: Sendable, Equatable, Codable {
        /// Output channels of the convolution.
        public var filters: Int
        /// The convolution's stride.
        public var stride: Int
        /// Whether to pad one zero row at the bottom and one zero column at the right after the convolution.
        public var padsBottomRight: Bool
        /// Whether BatchNorm follows.
        public var batchNorm: Bool

        /// Creates a stage.
        public init(filters: Int, stride: Int, padsBottomRight: Bool = false, batchNorm: Bool = true) {
            self.filters = filters
            self.stride = stride
            self.padsBottomRight = padsBottomRight
            self.batchNorm = batchNorm
        }
    }

    /// The side of the square images, in pixels.
    public var imageSize: Int
    /// Channels per image (3: RGB).
    public var channels: Int
    /// The length of the latent vector.
    public var latentSize: Int
    /// Images per training step (real and fake batches each have this many).
    public var batchSize: Int
    /// Adam's step size (both networks).
    public var learningRate: Float
    /// Adam's first-moment decay (both networks).
    public var beta1: Float
    /// The side of the generator's first feature map.
    public var generatorStartSize: Int
    /// Channels of the generator's first feature map.
    public var generatorStartFilters: Int
    /// Output channels of each upsampling block, in order.
    public var generatorFilters: [Int]
    /// How each block upsamples.
    public var upsampling: Upsampling
    /// The kernel side of the blocks' convolutions.
    public var generatorKernelSize: Int
    /// Whether the output layer upsamples once more (in the blocks' style) instead of keeping the resolution.
    public var outputUpsamples: Bool
    /// The kernel side of the output layer.
    public var outputKernelSize: Int
    /// The discriminator's stages.
    public var discriminatorLayers: [DiscriminatorLayer]
    /// The kernel side of the discriminator's convolutions.
    public var discriminatorKernelSize: Int
    /// The discriminator's LeakyReLU slope for negative inputs.
    public var leakySlope: Float
    /// The discriminator's dropout rate (0 disables dropout).
    public var dropoutRate: Float
    /// BatchNorm momentum (both networks).
    public var batchNormMomentum: Float
    /// BatchNorm epsilon (both networks).
    public var batchNormEpsilon: Float
    /// The adversarial loss (and with it the shape of a training iteration).
    public var loss: Loss
    /// DiffAugment settings; `nil` trains on the images as they are.
    public var augmentation: Augmentation?
    /// Whether every discriminator convolution and dense weight is spectrally normalised (see `SpectralNorm`).
    public var spectralNormalization: Bool
    /// The decay β of an exponential moving average of the generator's weights, from which posters are drawn;
    /// `nil` draws them from the trained generator itself. The first updates use `min(β, t / (t + 9))` so a fresh
    /// model's average is not dominated by its initial weights.
    public var generatorAverageDecay: Float?

    /// Creates a configuration; `problems` lists anything inconsistent, and `DCGAN` refuses such a configuration.
    public init(
        imageSize: Int, channels: Int = 3, latentSize: Int, batchSize: Int, learningRate: Float, beta1: Float,
        generatorStartSize: Int = 4, generatorStartFilters: Int, generatorFilters: [Int], upsampling: Upsampling,
        generatorKernelSize: Int, outputUpsamples: Bool, outputKernelSize: Int,
        discriminatorLayers: [DiscriminatorLayer], discriminatorKernelSize: Int = 3,
        leakySlope: Float = 0.2, dropoutRate: Float = 0.25, batchNormMomentum: Float = 0.8, batchNormEpsilon: Float = 1e-3,
        loss: Loss = .binaryCrossEntropy, augmentation: Augmentation? = nil, spectralNormalization: Bool = false,
        generatorAverageDecay: Float? = nil
    ) {
        self.imageSize = imageSize
        self.channels = channels
        self.latentSize = latentSize
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.beta1 = beta1
        self.generatorStartSize = generatorStartSize
        self.generatorStartFilters = generatorStartFilters
        self.generatorFilters = generatorFilters
        self.upsampling = upsampling
        self.generatorKernelSize = generatorKernelSize
        self.outputUpsamples = outputUpsamples
        self.outputKernelSize = outputKernelSize
        self.discriminatorLayers = discriminatorLayers
        self.discriminatorKernelSize = discriminatorKernelSize
        self.leakySlope = leakySlope
        self.dropoutRate = dropoutRate
        self.batchNormMomentum = batchNormMomentum
        self.batchNormEpsilon = batchNormEpsilon
        self.loss = loss
        self.augmentation = augmentation
        self.spectralNormalization = spectralNormalization
        self.generatorAverageDecay = generatorAverageDecay
    }

    private enum CodingKeys: String, CodingKey {
        case imageSize, channels, latentSize, batchSize, learningRate, beta1, generatorStartSize, generatorStartFilters, generatorFilters
        case upsampling, generatorKernelSize, outputUpsamples, outputKernelSize, discriminatorLayers, discriminatorKernelSize
        case leakySlope, dropoutRate, batchNormMomentum, batchNormEpsilon
        case loss, augmentation, spectralNormalization, generatorAverageDecay
    }

    /// Decodes a configuration; the data-efficient options may be absent (checkpoints written before they existed)
    /// and then take the original's behaviour.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            imageSize: try c.decode(Int.self, forKey: .imageSize), channels: try c.decode(Int.self, forKey: .channels),
            latentSize: try c.decode(Int.self, forKey: .latentSize), batchSize: try c.decode(Int.self, forKey: .batchSize),
            learningRate: try c.decode(Float.self, forKey: .learningRate), beta1: try c.decode(Float.self, forKey: .beta1),
            generatorStartSize: try c.decode(Int.self, forKey: .generatorStartSize),
            generatorStartFilters: try c.decode(Int.self, forKey: .generatorStartFilters),
            generatorFilters: try c.decode([Int].self, forKey: .generatorFilters),
            upsampling: try c.decode(Upsampling.self, forKey: .upsampling),
            generatorKernelSize: try c.decode(Int.self, forKey: .generatorKernelSize),
            outputUpsamples: try c.decode(Bool.self, forKey: .outputUpsamples),
            outputKernelSize: try c.decode(Int.self, forKey: .outputKernelSize),
            discriminatorLayers: try c.decode([DiscriminatorLayer].self, forKey: .discriminatorLayers),
            discriminatorKernelSize: try c.decode(Int.self, forKey: .discriminatorKernelSize),
            leakySlope: try c.decode(Float.self, forKey: .leakySlope), dropoutRate: try c.decode(Float.self, forKey: .dropoutRate),
            batchNormMomentum: try c.decode(Float.self, forKey: .batchNormMomentum),
            batchNormEpsilon: try c.decode(Float.self, forKey: .batchNormEpsilon),
            loss: try c.decodeIfPresent(Loss.self, forKey: .loss) ?? .binaryCrossEntropy,
            augmentation: try c.decodeIfPresent(Augmentation.self, forKey: .augmentation),
            spectralNormalization: try c.decodeIfPresent(Bool.self, forKey: .spectralNormalization) ?? false,
            generatorAverageDecay: try c.decodeIfPresent(Float.self, forKey: .generatorAverageDecay))
    }

    /// The original app's DCGAN (Keras): 128×128×3 images, latent 100, batch 32, Adam(1.5e-4, beta1 0.5), BCE.
    /// Generator: Dense(4·4·256, ReLU), five blocks of [UpSampling ×2, Conv 3×3 256 'same', BatchNorm(0.8), ReLU],
    /// Conv 3×3 to 3 channels, tanh. Discriminator: Conv s2 32, LeakyReLU 0.2, Dropout 0.25; Conv s2 64, pad
    /// bottom/right, BN; Conv s2 128, BN; Conv s1 256, BN; Conv s1 512, BN (each then LeakyReLU and Dropout);
    /// Flatten, Dense(1).
    public static let original = DCGANConfiguration(
        imageSize: 128, latentSize: 100, batchSize: 32, learningRate: 1.5e-4, beta1: 0.5,
        generatorStartFilters: 256, generatorFilters: Array(repeating: 256, count: 5), upsampling: .nearest,
        generatorKernelSize: 3, outputUpsamples: false, outputKernelSize: 3,
        discriminatorLayers: [
            .init(filters: 32, stride: 2, batchNorm: false),
            .init(filters: 64, stride: 2, padsBottomRight: true),
            .init(filters: 128, stride: 2),
            .init(filters: 256, stride: 1),
            .init(filters: 512, stride: 1),
        ])

    /// A CPU-sized, data-efficient DCGAN for the nightly run: 64×64×3, latent 100, batch 32, Adam(2e-4, beta1 0.5).
    /// Generator: Dense(4·4·256, ReLU), three blocks of [UpSampling ×2, Conv 3×3 'same' to 128, 64, 32 channels,
    /// BN, ReLU], then UpSampling ×2, Conv 3×3 to 3 channels and tanh. Discriminator: Conv 4×4 s2 32, 64, 128, 256,
    /// each spectrally normalised with LeakyReLU 0.2 and no BatchNorm or dropout, then a spectrally normalised Dense(1).
    ///
    /// Trained for a few hundred posters (issue 10): FastGAN's random-margin hinge loss, DiffAugment (colour,
    /// translation, cutout) on real and fake images with an ADA-style probability steered toward
    /// `E[sign D(real)] = 0.6` (starting at 0.5, able to move by 1 over 10,000 real images), mirrored real images, and
    /// posters drawn from an exponential moving average of the generator (β 0.999). The regularisers replace dropout
    /// and BatchNorm in the discriminator (SAGAN's setting).
    ///
    /// Nearest-neighbour upsampling rather than transposed convolutions: with the phase decomposition a 3×3
    /// convolution after upsampling costs exactly what a 4×4 stride-2 transposed convolution costs, and on the demo
    /// posters it learned far faster (coloured backgrounds and figure shapes after 100–200 iterations, where the
    /// transposed variant still produced checkerboard noise). `upsampling: .transposed` with kernel 4 is the alternative.
    public static let nightly = DCGANConfiguration(
        imageSize: 64, latentSize: 100, batchSize: 32, learningRate: 2e-4, beta1: 0.5,
        generatorStartFilters: 256, generatorFilters: [128, 64, 32], upsampling: .nearest,
        generatorKernelSize: 3, outputUpsamples: true, outputKernelSize: 3,
        discriminatorLayers: [
            .init(filters: 32, stride: 2, batchNorm: false),
            .init(filters: 64, stride: 2, batchNorm: false),
            .init(filters: 128, stride: 2, batchNorm: false),
            .init(filters: 256, stride: 2, batchNorm: false),
        ],
        discriminatorKernelSize: 4, dropoutRate: 0,
        loss: .hinge, augmentation: Augmentation(probability: 0.5, adaptiveTarget: 0.6, adjustmentImages: 10_000, flipsRealImages: true),
        spectralNormalization: true, generatorAverageDecay: 0.999)

    /// The nightly preset as it was before issue 10 (BatchNorm and dropout in the discriminator, binary
    /// cross-entropy, no augmentation, spectral normalisation or averaging): the baseline for timings and comparisons.
    public static let nightlyBaseline = DCGANConfiguration(
        imageSize: 64, latentSize: 100, batchSize: 32, learningRate: 2e-4, beta1: 0.5,
        generatorStartFilters: 256, generatorFilters: [128, 64, 32], upsampling: .nearest,
        generatorKernelSize: 3, outputUpsamples: true, outputKernelSize: 3,
        discriminatorLayers: [
            .init(filters: 32, stride: 2, batchNorm: false),
            .init(filters: 64, stride: 2),
            .init(filters: 128, stride: 2),
            .init(filters: 256, stride: 2),
        ],
        discriminatorKernelSize: 4)

    /// The image side the generator's layers produce: `generatorStartSize · 2^(blocks + (outputUpsamples ? 1 : 0))`.
    public var generatedImageSize: Int {
        generatorStartSize << (generatorFilters.count + (outputUpsamples ? 1 : 0))
    }

    /// The discriminator's feature map after its last stage: `(channels, height, width)` for an `imageSize` input.
    public var discriminatorFeatureShape: (channels: Int, height: Int, width: Int) {
        var side = imageSize, filters = channels
        for layer in discriminatorLayers {
            side = (side + layer.stride - 1) / layer.stride + (layer.padsBottomRight ? 1 : 0)
            filters = layer.filters
        }
        return (filters, side, side)
    }

    /// Everything inconsistent about this configuration, as sentences naming the field and value; empty when valid.
    public var problems: [String] {
        var found: [String] = []
        func positive(_ name: String, _ value: Int) { if value <= 0 { found.append("\(name) must be positive, got \(value)") } }
        positive("imageSize", imageSize)
        positive("channels", channels)
        positive("latentSize", latentSize)
        positive("batchSize", batchSize)
        positive("generatorStartSize", generatorStartSize)
        positive("generatorStartFilters", generatorStartFilters)
        positive("generatorKernelSize", generatorKernelSize)
        positive("outputKernelSize", outputKernelSize)
        positive("discriminatorKernelSize", discriminatorKernelSize)
        for (index, filters) in generatorFilters.enumerated() { positive("generatorFilters[\(index)]", filters) }
        for (index, layer) in discriminatorLayers.enumerated() {
            positive("discriminatorLayers[\(index)].filters", layer.filters)
            positive("discriminatorLayers[\(index)].stride", layer.stride)
        }
        if discriminatorLayers.isEmpty { found.append("discriminatorLayers must not be empty") }
        if generatorStartSize > 0 && generatedImageSize != imageSize {
            found.append("the generator makes \(generatedImageSize)×\(generatedImageSize) images (start \(generatorStartSize), \(generatorFilters.count) blocks\(outputUpsamples ? " and an upsampling output" : "")), but imageSize is \(imageSize)")
        }
        if !(learningRate > 0) { found.append("learningRate must be positive, got \(learningRate)") }
        if !(beta1 >= 0 && beta1 < 1) { found.append("beta1 must be in 0..<1, got \(beta1)") }
        if !(leakySlope > 0) { found.append("leakySlope must be positive, got \(leakySlope)") }
        if !(dropoutRate >= 0 && dropoutRate < 1) { found.append("dropoutRate must be in 0..<1, got \(dropoutRate)") }
        if !(batchNormMomentum >= 0 && batchNormMomentum < 1) { found.append("batchNormMomentum must be in 0..<1, got \(batchNormMomentum)") }
        if !(batchNormEpsilon > 0) { found.append("batchNormEpsilon must be positive, got \(batchNormEpsilon)") }
        if let a = augmentation {
            if !(a.probability >= 0 && a.probability <= 1) { found.append("augmentation.probability must be in 0...1, got \(a.probability)") }
            if let target = a.adaptiveTarget, !(target > -1 && target < 1) {
                found.append("augmentation.adaptiveTarget must be in -1<..<1, got \(target)")
            }
            if a.adjustmentImages <= 0 { found.append("augmentation.adjustmentImages must be positive, got \(a.adjustmentImages)") }
        }
        if let decay = generatorAverageDecay, !(decay >= 0 && decay < 1) {
            found.append("generatorAverageDecay must be in 0..<1, got \(decay)")
        }
        return found
    }
}
