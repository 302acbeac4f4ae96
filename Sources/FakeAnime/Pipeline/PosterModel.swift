public import Foundation
public import Imaging
public import Learning

/// Training, scoring and sampling of the poster DCGAN: plain functions the `anime_nightly` tasks call.
public enum PosterModel {
    /// Seeds whose posters score a model and fill its sample sheet: fixed, so every version is judged on the same latents.
    public static let scoringSeeds: [UInt64] = Array(1...64)
    /// How many posters a sample sheet shows.
    public static let sheetCount = 16

    /// The posters in `files` as a `[n, 3, size, size]` tensor in [-1, 1] (unreadable files skipped, see `skipped`).
    public static func images(_ files: [URL], size: Int, skipped: (URL, any Error) -> Void = { _, _ in }) throws -> Tensor {
        let (pixels, count) = TrainingCorpus.posterPixels(files, size: size, skipped: skipped)
        return try Tensor(shape: [count, 3, size, size], storage: pixels)
    }

    /// Trains a candidate on `images` — warm-started from `parent`'s checkpoint when given and trained with the same
    /// `configuration`, else from `seed` (a parent of another architecture or recipe, e.g. the nightly preset before
    /// issue 10, cannot continue as the new one) — and writes it to the registry as a new version with status
    /// `candidate`; its `parent` is the version it was warm-started from.
    /// - Throws: `PipelineError.Kind.notEnoughData` below 2 images; checkpoint and file errors.
    public static func trainCandidate(
        images: Tensor, registry: ModelRegistry, parent: ModelVersion?, configuration: DCGANConfiguration, budget: TrainingBudget,
        seed: UInt64, lineage: Lineage, progress: (TrainingProgress) -> Void
    ) throws -> (version: ModelVersion, summary: GANTrainingSummary) {
        guard images.shape[0] >= 2 else { throw PipelineError(.notEnoughData(kind: .posters, needed: 2, found: images.shape[0])) }
        let parentModel = try parent.map { try load(registry: registry, version: $0.version) }
        let warmStart = parentModel?.configuration == configuration
        var gan = warmStart ? parentModel! : DCGAN(configuration: configuration, seed: seed)
        let summary = gan.train(images: images, budget: budget, seed: seed, progress: progress)
        let meta = ModelVersion(
            kind: .posters, version: "", snapshotID: lineage.snapshotID, dagID: lineage.dagID, runID: lineage.runID,
            parent: warmStart ? parent?.version : nil, status: .candidate,
            metrics: [
                "discriminator_loss": Double(summary.losses["discriminator"] ?? .nan),
                "generator_loss": Double(summary.losses["generator"] ?? .nan),
                "images_per_second": summary.imagesPerSecond,
            ],
            configuration: "dcgan \(gan.configuration.imageSize)x\(gan.configuration.imageSize), \(gan.iterations) iterations in all"
                + (parentModel != nil && !warmStart ? " (fresh start: the parent was trained with another configuration)" : ""),
            steps: summary.steps, createdAt: Date())
        let checkpoint = gan.checkpoint()
        let written = try registry.addVersion(meta) { directory in
            try checkpoint.write(to: directory.appendingPathComponent(ModelRegistry.checkpointFile))
        }
        return (written, summary)
    }

    /// Loads a version's DCGAN.
    public static func load(registry: ModelRegistry, version: String) throws -> DCGAN {
        try DCGAN(checkpoint: Checkpoint.read(from: registry.checkpointURL(.posters, version)))
    }

    /// The pixel-statistics distance between the model's posters for ``scoringSeeds`` and `real` (lower is better).
    public static func score(_ gan: DCGAN, against real: PixelStatistics) -> Double {
        let fakes = gan.generate(seeds: scoringSeeds)
        let size = gan.configuration.imageSize
        return PixelStatistics(pixels: fakes.storage, count: scoringSeeds.count, size: size).distance(to: real)
    }

    /// Pixel statistics of real posters (`[n, 3, size, size]`).
    public static func statistics(of images: Tensor) -> PixelStatistics {
        PixelStatistics(pixels: images.storage, count: images.shape[0], size: images.shape[2])
    }

    /// The model's posters for the first ``sheetCount`` scoring seeds (from the generator average when the model keeps
    /// one), each enlarged ×2 with Catmull–Rom, on a 4-column contact sheet.
    public static func sampleSheet(_ gan: DCGAN) -> RGBImage {
        sheet(of: gan.generate(seeds: Array(scoringSeeds.prefix(sheetCount))))
    }

    /// The first ``sheetCount`` posters of `posters` (`[n, 3, size, size]` in [-1, 1]), each enlarged ×2 with
    /// Catmull–Rom, on a 4-column contact sheet: model samples and real posters shown alike.
    public static func sheet(of posters: Tensor) -> RGBImage {
        let size = posters.shape[2]
        let plane = 3 * size * size
        let images = (0..<min(sheetCount, posters.shape[0])).map { index in
            RGBImage(tensor: Array(posters.storage[(index * plane)..<((index + 1) * plane)]), width: size, height: size)
                .resized(width: size * 2, height: size * 2, filter: .catmullRom)
        }
        return ContactSheet.make(images, columns: 4)
    }

    /// Writes ``sampleSheet(_:)`` as a PNG to `url`.
    public static func writeSampleSheet(_ gan: DCGAN, to url: URL) throws {
        try Data(PNG.encode(sampleSheet(gan))).write(to: url)
    }

    /// One poster as an image.
    public static func poster(_ gan: DCGAN, seed: UInt64) -> RGBImage {
        let size = gan.configuration.imageSize
        return RGBImage(tensor: gan.generate(seed: seed).storage, width: size, height: size)
    }
}

/// Where a model version or batch came from.
public struct Lineage: Sendable, Equatable {
    public var snapshotID: String
    public var dagID: String
    public var runID: String

    public init(snapshotID: String, dagID: String, runID: String) {
        self.snapshotID = snapshotID
        self.dagID = dagID
        self.runID = runID
    }
}
