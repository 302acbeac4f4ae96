public import Foundation
import Imaging

/// The training data the nightly models read from a dataset snapshot, split deterministically into training and
/// held-out parts (a show is held out when its MyAnimeList id is divisible by `heldOutModulus`), so every run on
/// the same snapshot evaluates on the same shows.
public struct TrainingCorpus: Sendable {
    /// Every `heldOutModulus`-th show (by id) is held out: 10 gives a 10% evaluation set.
    public static let heldOutModulus = 10

    public let snapshotID: String
    /// One title per line.
    public var trainingTitles: [String]
    public var heldOutTitles: [String]
    /// Synopsis paragraphs, one per line.
    public var trainingSynopses: [String]
    public var heldOutSynopses: [String]
    /// Poster files (absolute), split the same way.
    public var trainingPosters: [URL]
    public var heldOutPosters: [URL]

    /// Reads `snapshotDirectory/manifest.json`.
    /// - Throws: `PipelineError.Kind.noSnapshot` naming the directory when the manifest is missing or unreadable.
    public init(snapshotDirectory: URL) throws {
        let manifest: SnapshotManifest
        do {
            manifest = try SnapshotManifest.load(from: snapshotDirectory)
        } catch {
            throw PipelineError(.noSnapshot("cannot read \(snapshotDirectory.appendingPathComponent("manifest.json").path): \(error)"))
        }
        snapshotID = manifest.id
        trainingTitles = []
        heldOutTitles = []
        trainingSynopses = []
        heldOutSynopses = []
        trainingPosters = []
        heldOutPosters = []
        for entry in manifest.entries {
            let heldOut = entry.malID % Self.heldOutModulus == 0
            let title = entry.title.trimmingCharacters(in: .whitespacesAndNewlines)
            let paragraphs = entry.synopsis.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let poster = snapshotDirectory.appendingPathComponent(entry.poster)
            if heldOut {
                if !title.isEmpty { heldOutTitles.append(title) }
                heldOutSynopses += paragraphs
                heldOutPosters.append(poster)
            } else {
                if !title.isEmpty { trainingTitles.append(title) }
                trainingSynopses += paragraphs
                trainingPosters.append(poster)
            }
        }
    }

    /// A text-only corpus (no posters) from shows' raw titles and synopses, cleaned as the scraper cleans them
    /// (`TextCleaner`) and split by the same rule: e.g. the demo catalogue's shows, for tests and the model comparison.
    public init(snapshotID: String, texts: [(malID: Int, title: String, synopsis: String)]) {
        self.snapshotID = snapshotID
        (trainingTitles, heldOutTitles, trainingSynopses, heldOutSynopses, trainingPosters, heldOutPosters) = ([], [], [], [], [], [])
        for text in texts {
            let title = TextCleaner.clean(text.title), synopsis = TextCleaner.clean(text.synopsis)
            if text.malID % Self.heldOutModulus == 0 {
                if !title.isEmpty { heldOutTitles.append(title) }
                if !synopsis.isEmpty { heldOutSynopses.append(synopsis) }
            } else {
                if !title.isEmpty { trainingTitles.append(title) }
                if !synopsis.isEmpty { trainingSynopses.append(synopsis) }
            }
        }
    }

    /// The demo catalogue's text as a corpus (see `init(snapshotID:texts:)`).
    public static func demo(shows: Int = 300, seed: UInt64 = 1) -> TrainingCorpus {
        TrainingCorpus(
            snapshotID: "demo-\(shows)-\(seed)",
            texts: DemoCatalogue(shows: shows, seed: seed).shows.map { ($0.malID, $0.title, $0.synopsis) })
    }

    /// Training lines of a text model.
    public func trainingLines(_ kind: ModelKind) -> [String] { kind == .titles ? trainingTitles : trainingSynopses }

    /// Held-out lines of a text model.
    public func heldOutLines(_ kind: ModelKind) -> [String] { kind == .titles ? heldOutTitles : heldOutSynopses }

    /// Decodes `files` and resizes each to `size`×`size`, as one NCHW array of values in [-1, 1]
    /// (`RGBImage.tensor()` per image). Unreadable files are skipped and reported through `skipped`.
    public static func posterPixels(_ files: [URL], size: Int, skipped: (URL, any Error) -> Void = { _, _ in }) -> (pixels: [Float], count: Int) {
        var pixels: [Float] = []
        pixels.reserveCapacity(files.count * 3 * size * size)
        var count = 0
        for file in files {
            do {
                let data = try [UInt8](Data(contentsOf: file))
                var image = try ImageDecoder.decode(data, name: file.lastPathComponent)
                if image.width != image.height { image = image.centerCroppedSquare() }
                if image.width != size { image = image.resized(width: size, height: size) }
                pixels += image.tensor()
                count += 1
            } catch {
                skipped(file, error)
            }
        }
        return (pixels, count)
    }
}
