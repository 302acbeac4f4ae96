import ArgumentParser
import FakeAnime
import Foundation
import Imaging
import Learning
import NightshiftCLI
import Store

/// `nightshift bench posters`: trains the poster GAN from scratch with each chosen recipe on one snapshot, with the
/// same budget and seed, and measures what it makes with the quality figures the gate uses — the before-and-after of
/// issue 10 (`baseline` is the nightly recipe as it was before it, `nightly` the current one).
struct PosterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posters",
        abstract: "Train the poster GAN from scratch with each recipe (same snapshot, budget and seed) and measure KID, precision, coverage, collapse and copying.",
        discussion: """
            Recipes: baseline (the nightly DCGAN before issue 10: BatchNorm and dropout in D, binary cross-entropy, no \
            augmentation, no averaging) and nightly (hinge loss, spectral norm, DiffAugment with an adaptive probability, \
            generator EMA). The first run trains about 520 iterations (330 s on 2 quiet cores); a night adds up to 1,500. \
            Features, KID and the neighbour balls are those of `bench quality`; the held-out real posters of the same \
            snapshot, measured the same way, are the baseline a model that generalises would reach.
            """)

    enum Recipe: String, ExpressibleByArgument, CaseIterable, Sendable, Codable {
        case baseline, nightly

        var configuration: DCGANConfiguration { self == .baseline ? .nightlyBaseline : .nightly }
    }

    @OptionGroup var home: HomeOptions
    @Option(help: "The snapshot id to train on (default: the newest snapshot in the home).") var snapshot: String?
    @Option(help: "baseline or nightly; repeat for several (default: both).") var recipe: [Recipe] = []
    @Option(help: "Training iterations per recipe.") var steps: Int?
    @Option(help: "Seconds per recipe (with --steps: whichever ends first).") var seconds: Double?
    @Option(help: "The seed of the weights, the latents and the batches.") var seed: UInt64 = 1
    @Option(help: "A directory to write each recipe's sample sheet to (RECIPE.png), and real.png of held-out real posters.") var sheets: String?
    @Option(help: "OpenBLAS threads (default: every core).") var threads: Int?
    @Flag(help: "Print JSON for scripts.") var json = false

    struct Result: Codable, Sendable {
        var recipe: Recipe
        var iterations: Int
        var seconds: Double
        var imagesPerSecond: Double
        var report: PosterQualityReport
        var sheet: String?

        enum CodingKeys: String, CodingKey {
            case recipe, iterations, seconds, report, sheet
            case imagesPerSecond = "images_per_second"
        }
    }

    struct Output: Codable, Sendable {
        var snapshotID: String
        var trainingPosters: Int
        var results: [Result]
        var heldOutReal: PosterQualityReport?
        /// The held-out real posters' sheet, with `--sheets`.
        var realSheet: String?

        enum CodingKeys: String, CodingKey {
            case results
            case snapshotID = "snapshot_id", trainingPosters = "training_posters", heldOutReal = "held_out_real", realSheet = "real_sheet"
        }
    }

    func run() async throws {
        let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard (1...256).contains(threads) else { throw CLIError.usage("invalid --threads '\(threads)': use 1 to 256") }
        if let steps, !(1...1_000_000).contains(steps) { throw CLIError.usage("invalid --steps '\(steps)': use 1 to 1000000") }
        if let seconds, !(seconds > 0 && seconds <= 86_400) { throw CLIError.usage("invalid --seconds '\(seconds)': use more than 0, at most 86400") }
        guard steps != nil || seconds != nil else { throw CLIError.usage("give a budget: --steps N, --seconds S, or both") }
        let budget = TrainingBudget(steps: steps, timeLimit: seconds.map { .milliseconds(Int64($0 * 1000)) })
        let root = home.resolved.root
        let snapshotID = try snapshot ?? Self.newestSnapshot(root)
        let directory = root.appendingPathComponent("snapshots").appendingPathComponent(snapshotID)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.json").path) else {
            let known = Self.snapshots(root).joined(separator: ", ")
            throw CLIError.usage("no snapshot '\(snapshotID)' in \(root.path)/snapshots" + (known.isEmpty ? "" : "; known: \(known)"))
        }
        let recipes = recipe.isEmpty ? Recipe.allCases : recipe
        let sheets = sheets.map { URL(fileURLWithPath: $0) }
        if let sheets {
            do { try FileManager.default.createDirectory(at: sheets, withIntermediateDirectories: true) } catch {
                throw CLIError.usage("cannot create --sheets directory \(sheets.path): \(error.localizedDescription)")
            }
        }
        let seed = self.seed
        let output = try await BenchSupport.onDedicatedThread { () throws(CLIError) in
            do {
                try BLAS.load()
                setThreads(threads)
                let corpus = try TrainingCorpus(snapshotDirectory: directory)
                let size = DCGANConfiguration.nightly.imageSize
                let reference = try QualityEvaluation.PosterReference(corpus: corpus, size: size)
                let images = try PosterModel.images(corpus.trainingPosters, size: size)
                var realSheet: String?
                if let sheets {
                    // The held-out real posters on the same kind of sheet: what a model's sheet is to be compared with.
                    let real = try PosterModel.images(corpus.heldOutPosters.isEmpty ? corpus.trainingPosters : corpus.heldOutPosters, size: size)
                    let url = sheets.appendingPathComponent("real.png")
                    try Data(PNG.encode(PosterModel.sheet(of: real))).write(to: url)
                    realSheet = url.path
                }
                var results: [Result] = []
                for recipe in recipes {
                    BenchSupport.progress("\(recipe.rawValue): training on \(images.shape[0]) posters, budget \(Self.describe(budget))")
                    var gan = DCGAN(configuration: recipe.configuration, seed: seed)
                    let summary = gan.train(images: images, budget: budget, seed: seed) { p in
                        if p.step % 100 == 0 { BenchSupport.progress("  step \(p.step)  \(String(format: "%.1f", p.examplesPerSecond)) images/s") }
                    }
                    var sheetPath: String?
                    if let sheets {
                        let url = sheets.appendingPathComponent("\(recipe.rawValue).png")
                        try PosterModel.writeSampleSheet(gan, to: url)
                        sheetPath = url.path
                    }
                    results.append(Result(
                        recipe: recipe, iterations: summary.steps, seconds: Double(summary.elapsed.components.seconds)
                            + Double(summary.elapsed.components.attoseconds) / 1e18,
                        imagesPerSecond: summary.imagesPerSecond, report: QualityEvaluation.posters(gan, reference: reference), sheet: sheetPath))
                }
                return Output(
                    snapshotID: snapshotID, trainingPosters: images.shape[0], results: results,
                    heldOutReal: QualityEvaluation.posterBaseline(reference), realSheet: realSheet)
            } catch {
                throw CLIError.failure("poster benchmark on snapshot \(snapshotID): \(error)")
            }
        }
        if json {
            try BenchSupport.printJSON(output)
        } else {
            print(Self.describe(output))
        }
    }

    static func describe(_ budget: TrainingBudget) -> String {
        [budget.steps.map { "\($0) iterations" }, budget.timeLimit.map { "\($0.components.seconds) s" }].compactMap { $0 }
            .joined(separator: " or ")
    }

    static func describe(_ output: Output) -> String {
        func row(_ name: String, _ iterations: String, _ seconds: String, _ r: PosterQualityReport) -> [String] {
            [name, iterations, seconds, String(format: "%.5f", r.kid), String(format: "%.2f", r.precision), String(format: "%.2f", r.coverage),
             String(format: "%.3f", r.similarity), String(format: "%.3f", r.nearestTraining), String(r.copies)]
        }
        var rows = output.results.map { row($0.recipe.rawValue, String($0.iterations), String(format: "%.0f", $0.seconds), $0.report) }
        if let real = output.heldOutReal { rows.append(row("held-out real", "-", "-", real)) }
        var lines = [
            "Poster GAN from scratch on snapshot \(output.snapshotID.prefix(12)) (\(output.trainingPosters) training posters)",
            Table.render(["RECIPE", "ITERATIONS", "SECONDS", "KID", "PRECISION", "COVERAGE", "SIMILARITY", "NEAREST", "COPIES"], rows),
            "KID, precision and coverage (k = \(PosterQuality.defaultNeighbours)) against the training posters; similarity is the mean pairwise cosine "
                + "(collapse: real posters score \(String(format: "%.3f", output.results.first?.report.realSimilarity ?? .nan))).",
        ]
        for result in output.results { if let sheet = result.sheet { lines.append("\(result.recipe.rawValue) sample sheet: \(sheet)") } }
        if let real = output.realSheet { lines.append("held-out real posters: \(real)") }
        return lines.joined(separator: "\n")
    }

    /// Snapshot ids in the home, oldest first by modification time.
    static func snapshots(_ root: URL) -> [String] {
        let directory = root.appendingPathComponent("snapshots")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }
        func modified(_ name: String) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return names.sorted { modified($0) < modified($1) }
    }

    static func newestSnapshot(_ root: URL) throws(CLIError) -> String {
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw CLIError.usage("no Nightshift home at \(root.path): pass --home or set NIGHTSHIFT_HOME")
        }
        guard let newest = snapshots(root).last else {
            throw CLIError.usage("no snapshot in \(root.path)/snapshots: run anime_scrape first (nightshift dags trigger anime_scrape --wait)")
        }
        return newest
    }
}
