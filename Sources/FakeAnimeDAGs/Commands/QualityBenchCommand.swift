import ArgumentParser
import FakeAnime
import Foundation
import Learning
import NightshiftCLI
import Store

/// `nightshift bench quality`: the quality figures of a home's accepted models (issue 10), next to the same figures
/// for held-out real data (the real-vs-real split) as the baseline a model that generalises would reach.
struct QualityBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Measure the accepted poster, title and synopsis models of a home against held-out real data: KID, precision, coverage, collapse, copying, distinct-2, rep-4, novel-8.",
        discussion: """
            Each model is measured against the training split of the snapshot it was trained on; the held-out split of the \
            same snapshot, measured the same way, is the baseline. Posters: features from a fixed, seeded random conv net \
            (PosterFeatures: three 3x3 stride-2 convolutions 3-16-32-64, LeakyReLU 0.2, quadrant means, 256 values), KID \
            with the cubic kernel, precision and coverage with k = 5 nearest-neighbour balls, mean pairwise cosine \
            similarity (collapse) and the nearest training poster (copying). Text: distinct-2 over the samples, rep-4 within \
            a sample, novel-8 and the longest run shared with a training text, exact copies of training lines. The last \
            column says what the nightly gate's copy and collapse screens make of the model.
            """)

    @OptionGroup var home: HomeOptions
    @Option(help: "OpenBLAS threads (default: every core).") var threads: Int?
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard (1...256).contains(threads) else { throw CLIError.usage("invalid --threads '\(threads)': use 1 to 256") }
        let root = home.resolved.root
        let output = try await BenchSupport.onDedicatedThread { () throws(CLIError) in try Self.measure(home: root, threads: threads) }
        if json {
            try BenchSupport.printJSON(output)
        } else {
            print(Self.describe(output))
        }
    }

    /// What `--json` prints.
    struct Output: Codable, Sendable {
        var home: String
        var posters: Section<PosterQualityReport>
        var titles: Section<TextQualityReport>
        var synopses: Section<TextQualityReport>
    }

    /// One accepted model's figures and the baseline's.
    struct Section<Report: Codable & Sendable>: Codable, Sendable {
        var version: String
        var snapshotID: String
        var model: Report
        /// Held-out real data measured the same way; nil when the snapshot holds nothing out.
        var baseline: Report?
        /// What the gate's copy and collapse screens find (empty: it passes them).
        var problems: [String]

        enum CodingKeys: String, CodingKey {
            case version, model, baseline, problems
            case snapshotID = "snapshot_id"
        }
    }

    /// Loads the accepted models and their snapshots and measures them.
    /// - Throws: exit 2 naming the home and what is missing (no home, no accepted model, no snapshot); exit 1 when a
    ///   model or poster cannot be read.
    static func measure(home root: URL, threads: Int) throws(CLIError) -> Output {
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw CLIError.usage("no Nightshift home at \(root.path): pass --home or set NIGHTSHIFT_HOME to one where anime_nightly has run")
        }
        let registry = ModelRegistry(root: root.appendingPathComponent("models"))
        var accepted: [ModelKind: ModelVersion] = [:]
        var missing: [String] = []
        var rejected: [String] = []
        for kind in [ModelKind.posters, .titles, .synopses] {
            do {
                if let version = try registry.accepted(kind) {
                    accepted[kind] = version
                } else {
                    missing.append(kind == .posters ? "poster" : kind == .titles ? "title" : "synopsis")
                    if let last = try registry.versions(kind).last, last.status == .rejected {
                        rejected.append("\(kind) \(last.version) was rejected: \(last.reason ?? "no reason recorded")")
                    }
                }
            } catch {
                throw CLIError.failure("home \(root.path): \(error)")
            }
        }
        guard missing.isEmpty else {
            throw CLIError.usage(
                "home \(root.path) has no accepted \(missing.joined(separator: ", ")) model yet: run anime_nightly first (nightshift dags trigger anime_nightly --home \(root.path))"
                    + rejected.map { "\n  \($0)" }.joined())
        }
        do { try BLAS.load() } catch { throw CLIError.failure("quality benchmark: \(error)") }
        setThreads(threads)
        do {
            let posters = accepted[.posters]!
            let posterCorpus = try corpus(root, posters)
            BenchSupport.progress("posters \(posters.version): features of the snapshot's posters and of 64 generated ones")
            let reference = try QualityEvaluation.PosterReference(corpus: posterCorpus, size: DCGANConfiguration.nightly.imageSize) { file, error in
                BenchSupport.progress("  skipping poster \(file.lastPathComponent): \(error)")
            }
            let gan = try PosterModel.load(registry: registry, version: posters.version)
            let posterReport = QualityEvaluation.posters(gan, reference: reference)
            let posterSection = Section(
                version: posters.version, snapshotID: posters.snapshotID, model: posterReport,
                baseline: QualityEvaluation.posterBaseline(reference), problems: QualityGate.screen(posters: posterReport))
            func text(_ kind: ModelKind) throws -> Section<TextQualityReport> {
                let version = accepted[kind]!
                let corpus = try corpus(root, version)
                BenchSupport.progress("\(kind) \(version.version): sampling")
                let model = try TextModelJob.load(registry: registry, kind: kind, version: version.version)
                let heldOut = corpus.heldOutLines(kind)
                let bitsPerCharacter = heldOut.isEmpty ? nil : try TextModelJob.heldOutBitsPerCharacter(model, lines: heldOut)
                let report = QualityEvaluation.text(model, kind: kind, corpus: corpus, heldOutBitsPerCharacter: bitsPerCharacter)
                let baseline = QualityEvaluation.textBaseline(kind: kind, corpus: corpus)
                return Section(
                    version: version.version, snapshotID: version.snapshotID, model: report, baseline: baseline,
                    problems: QualityGate.screen(text: report, kind: kind, baseline: baseline))
            }
            return Output(home: root.path, posters: posterSection, titles: try text(.titles), synopses: try text(.synopses))
        } catch let error as CLIError {
            throw error
        } catch let error as PipelineError {
            if case .noSnapshot = error.kind { throw CLIError.usage("home \(root.path): \(error)") }
            throw CLIError.failure("home \(root.path): \(error)")
        } catch {
            throw CLIError.failure("home \(root.path): \(error)")
        }
    }

    /// The training corpus of the snapshot `version` was trained on.
    static func corpus(_ root: URL, _ version: ModelVersion) throws -> TrainingCorpus {
        try TrainingCorpus(snapshotDirectory: root.appendingPathComponent("snapshots").appendingPathComponent(version.snapshotID))
    }

    /// The tables people read.
    static func describe(_ output: Output) -> String {
        func number(_ value: Double?, _ digits: Int = 3) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "-" }
        func verdict(_ problems: [String]) -> String {
            problems.isEmpty ? "passes the copy and collapse screens" : "FAILS the screens: it " + problems.joined(separator: "; it ")
        }
        let p = output.posters, m = p.model, b = p.baseline
        let posterRows: [[String]] = [
            ["KID (vs training posters)", number(m.kid, 4), number(b?.kid, 4)],
            ["precision (k = \(m.neighbours))", number(m.precision, 2), number(b?.precision, 2)],
            ["coverage (k = \(m.neighbours))", number(m.coverage, 2), number(b?.coverage, 2)],
            ["mean pairwise similarity", number(m.similarity), number(b?.similarity)],
            ["nearest training poster", number(m.nearestTraining), number(b?.nearestTraining)],
            ["copies (nearer than \(number(PosterQuality.copyRatio * m.realNearestTraining)))", String(m.copies), b.map { String($0.copies) } ?? "-"],
            ["posters measured", String(m.samples), b.map { String($0.samples) } ?? "-"],
        ]
        var lines = [
            "Quality of the accepted models in \(output.home)", "",
            "posters \(p.version) (snapshot \(p.snapshotID.prefix(12)))",
            Table.render(["METRIC", "MODEL", "HELD-OUT REAL"], posterRows),
            verdict(p.problems), "",
        ]
        for (kind, section) in [("titles", output.titles), ("synopses", output.synopses)] {
            let m = section.model, b = section.baseline
            let rows: [[String]] = [
                ["distinct-2", number(m.distinct2), number(b?.distinct2)],
                ["rep-4", number(m.rep4), number(b?.rep4)],
                ["novel-8", number(m.novel8), number(b?.novel8)],
                ["longest shared run (words)", String(m.longestSharedRun), b.map { String($0.longestSharedRun) } ?? "-"],
                ["exact copies", String(m.exactCopies), b.map { String($0.exactCopies) } ?? "-"],
                ["held-out bits per character", number(m.heldOutBitsPerCharacter), "-"],
                ["texts measured", String(m.samples), b.map { String($0.samples) } ?? "-"],
            ]
            lines += [
                "\(kind) \(section.version) (snapshot \(section.snapshotID.prefix(12)))",
                Table.render(["METRIC", "MODEL", "HELD-OUT REAL"], rows), verdict(section.problems), "",
            ]
        }
        lines.append("Held-out bits per character: the model's code length for the snapshot's held-out shows (every tenth by id); a word BiLSTM from before issue 10 counts only the words it predicts.")
        return lines.joined(separator: "\n")
    }

}
