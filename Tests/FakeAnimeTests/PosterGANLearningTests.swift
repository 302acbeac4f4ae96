import FakeAnime
import Imaging
import Learning
import Testing

/// The nightly poster GAN's training recipe (hinge loss, DiffAugment, spectral normalisation, generator average) on
/// a handful of demo-catalogue posters: it must learn, not just run.
@Suite struct PosterGANLearningTests {
    /// `.nightly` with every data-efficient option, shrunk to 16×16 images so a test trains it in about a second.
    static var tinyNightly: DCGANConfiguration {
        var c = DCGANConfiguration.nightly
        c.imageSize = 16
        c.batchSize = 8
        c.generatorStartSize = 2
        c.generatorStartFilters = 32
        c.generatorFilters = [32, 16]
        c.discriminatorLayers = [.init(filters: 16, stride: 2, batchNorm: false), .init(filters: 32, stride: 2, batchNorm: false)]
        c.learningRate = 1e-3
        return c
    }

    /// Twelve demo posters drawn at 16×16, as `[12, 3, 16, 16]` in [-1, 1].
    static func posters() throws -> Tensor {
        let catalogue = DemoCatalogue(shows: 12, seed: 3)
        var values: [Float] = []
        for show in catalogue.shows {
            let canvas = catalogue.poster(for: show.malID, width: 16, height: 16)
            values += RGBImage(width: 16, height: 16, pixels: canvas.pixels).tensor()
        }
        return try Tensor(shape: [12, 3, 16, 16], storage: values)
    }

    @Test func nightlyRecipeLearnsDemoPosters() throws {
        let configuration = Self.tinyNightly
        #expect(configuration.problems.isEmpty)
        #expect(configuration.loss == .hinge && configuration.spectralNormalization && configuration.augmentation != nil)
        let images = try Self.posters()
        let real = PosterModel.statistics(of: images)
        var gan = DCGAN(configuration: configuration, seed: 4)
        let before = PosterModel.score(gan, against: real)
        var discriminatorLosses: [Float] = []
        _ = gan.train(images: images, budget: TrainingBudget(steps: 300), seed: 5) { discriminatorLosses.append($0.losses["discriminator"]!) }
        let after = PosterModel.score(gan, against: real)
        print("poster GAN (16×16 nightly recipe): pixel-statistics distance \(before) → \(after), augmentation p \(gan.augmentationProbability)")
        // The averaged generator's posters move most of the way toward the real posters' colour layout and spread.
        #expect(after < 0.5 * before)
        // Neither network wins outright: the discriminator's hinge loss neither collapses to 0 (memorised) nor
        // stays at its untrained value of about 2.
        let late = discriminatorLosses.suffix(50).reduce(0, +) / 50
        #expect(late > 0.2 && late < 1.9)
    }
}
