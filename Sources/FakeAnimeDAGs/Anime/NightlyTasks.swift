import FakeAnime
import Hashing
import Foundation
import Learning
import Store
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// The bodies of `anime_nightly`'s tasks. Each opens the home from its context; values pass through XCom.
enum NightlyTasks {
    /// The environment variable that makes `publish` kill its own process after moving the batch into place and
    /// before committing (crash-safety tests only).
    static let crashInPublishKey = "NIGHTSHIFT_TEST_CRASH_IN_PUBLISH"
    /// Points of a loss curve recorded per training task at most (longer curves are thinned evenly).
    static let maximumMetricPoints = 400

    /// What `resolve_snapshot` pushes.
    struct Resolved: Codable, Sendable {
        var snapshotID: String
        var scrapeRunID: String
        enum CodingKeys: String, CodingKey {
            case snapshotID = "snapshot_id", scrapeRunID = "scrape_run_id"
        }
    }

    /// What a training task pushes.
    struct Candidate: Codable, Sendable {
        var kind: ModelKind
        var version: String
        var parent: String?
        var steps: Int
        var trainLoss: Double
        enum CodingKeys: String, CodingKey {
            case kind, version, parent, steps
            case trainLoss = "train_loss"
        }
    }

    /// The quality gate's verdict on one kind, pushed by `evaluate` under key `gate`.
    struct Verdict: Codable, Sendable {
        var candidate: String
        var previous: String?
        var accepted: Bool
        var reason: String
        var metric: String
        var candidateScore: Double
        var previousScore: Double?
        /// Why the copy and collapse screens rejected it (empty when they passed it).
        var problems: [String]
        enum CodingKeys: String, CodingKey {
            case candidate, previous, accepted, reason, metric, problems
            case candidateScore = "candidate_score", previousScore = "previous_score"
        }
    }

    // MARK: resolve_snapshot

    static func resolveSnapshot(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        guard let latest = try await anime.latestSnapshot() else {
            throw PipelineError(.noSnapshot("no snapshot recorded yet: trigger anime_scrape first (nightshift dags trigger anime_scrape --wait)"))
        }
        let directory = anime.snapshots.appendingPathComponent(latest.snapshotID)
        _ = try TrainingCorpus(snapshotDirectory: directory)
        ctx.log.info("training on snapshot \(latest.snapshotID) (\(latest.entries) shows, scraped by run \(latest.runID))")
        for event in try await ctx.triggeringAssetEvents() {
            ctx.log.info("this run was triggered by \(event.asset) from \(event.dagID) run \(event.runID): \(event.extra?.jsonText ?? "{}")")
        }
        try await ctx.push(Resolved(snapshotID: latest.snapshotID, scrapeRunID: latest.runID))
    }

    static func resolved(_ ctx: TaskContext) async throws -> Resolved {
        guard let resolved = try await ctx.pull(Resolved.self, from: "resolve_snapshot") else {
            throw PipelineError(.noSnapshot("resolve_snapshot of run \(ctx.runID) pushed no snapshot"))
        }
        return resolved
    }

    // MARK: training

    /// BLAS threads for a training try: the cores divided among the training pool's slots, unless `threads` is set.
    static func trainingThreads(_ ctx: TaskContext) throws -> Int {
        let requested = try ctx.params.integer("threads", in: 0...256, default: 0)
        if requested > 0 { return requested }
        let slots = AnimePipeline.pools["training"] ?? 1
        return max(1, ProcessInfo.processInfo.activeProcessorCount / slots)
    }

    static func train(_ kind: ModelKind, _ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        let snapshot = try await resolved(ctx).snapshotID
        let force = try ctx.params.flag("force")
        let warmStart = try ctx.params.flag("warm_start", default: true)
        let accepted = try anime.models.accepted(kind)
        // Unchanged since the last successful training: the same snapshot, and the accepted model is still what it
        // was after that training (the version it started from, or the candidate it produced if the gate took it).
        if !force, let last = try await anime.trainingInputs(kind), last.snapshotID == snapshot,
            [last.acceptedVersion, last.candidate].contains(accepted?.version ?? "")
        {
            throw TaskSkipped(
                "snapshot \(snapshot.prefix(12)) and the accepted \(kind) model (\(accepted?.version ?? "none")) are unchanged since run \(last.runID) trained \(last.candidate); conf {\"force\": true} retrains")
        }
        try BLAS.load()
        let threads = try trainingThreads(ctx)
        setThreads(threads)
        ctx.log.info("BLAS threads: \(BLAS.threads) (training pool: \(AnimePipeline.pools["training"] ?? 1) slot over \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        try await ctx.push(BLAS.threads, key: "threads")
        let corpus = try TrainingCorpus(snapshotDirectory: anime.snapshots.appendingPathComponent(snapshot))
        let lineage = Lineage(snapshotID: snapshot, dagID: ctx.dagID, runID: ctx.runID)
        let seed = try runSeed(ctx) &+ UInt64(ModelKind.allCases.firstIndex(of: kind)!)
        let parent = warmStart ? accepted : nil
        var curve: [(step: Int, losses: [String: Float], throughput: Double)] = []
        let log = ctx.log
        let version: ModelVersion
        if kind == .posters {
            let budget = try budget(ctx, steps: "gan_steps", time: "gan_time_limit_s", epochs: nil)
            let configuration = DCGANConfiguration.nightly
            let images = try PosterModel.images(corpus.trainingPosters, size: configuration.imageSize) { file, error in
                log.warning("skipping poster \(file.lastPathComponent): \(error)")
            }
            log.info("training posters on \(images.shape[0]) images, \(parent.map { "warm start from \($0.version)" } ?? "fresh start"), budget \(describe(budget))")
            let trained = try PosterModel.trainCandidate(
                images: images, registry: anime.models, parent: parent, configuration: configuration, budget: budget, seed: seed,
                lineage: lineage
            ) { p in
                let losses = ["generator_loss": p.losses["generator"] ?? p.loss, "discriminator_loss": p.losses["discriminator"] ?? .nan]
                curve.append((p.step, losses, p.examplesPerSecond))
                if p.step == 1 || p.step % 25 == 0 {
                    log.info(String(
                        format: "step %d  loss D %.4f  G %.4f  %.1f images/s", p.step, p.losses["discriminator"] ?? .nan,
                        p.losses["generator"] ?? .nan, p.examplesPerSecond))
                }
            }
            version = trained.version
            let gan = try PosterModel.load(registry: anime.models, version: version.version)
            let sheet = anime.models.directory(.posters, version.version).appendingPathComponent(ModelRegistry.sampleSheetFile)
            try PosterModel.writeSampleSheet(gan, to: sheet)
            try await ctx.attach("sample sheet of \(version.version)", file: sheet)
            log.info("posters \(version.version): \(trained.summary.steps) iterations, D \(trained.summary.losses["discriminator"] ?? .nan), G \(trained.summary.losses["generator"] ?? .nan); sample sheet \(sheet.path)")
        } else {
            let budget = try budget(ctx, steps: "text_steps", time: "text_time_limit_s", epochs: "\(kind.rawValue)_epochs")
            let trained = try TextModelJob.trainCandidate(
                kind, corpus: corpus, registry: anime.models, parent: parent, budget: budget, seed: seed, lineage: lineage
            ) { p in
                curve.append((p.step, p.losses, p.examplesPerSecond))
                log.info(String(
                    format: "epoch %d step %d  loss %.4f nats/unit  held-out %.4f bits/char  %.0f units/s", p.epoch, p.step, p.loss,
                    p.losses["heldout_bpc"] ?? .nan, p.examplesPerSecond))
            }
            version = trained.version
            let summary = trained.summary
            log.info("\(kind) \(version.version): \(trained.start), budget \(describe(budget)); \(summary.steps) steps, \(String(format: "%.2f", summary.epochs)) epochs, final loss \(summary.finalLoss) nats/unit; kept step \(summary.bestStep) (held-out \(String(format: "%.4f", summary.bestHeldOut?.bitsPerCharacter ?? .nan)) bits/char)\(summary.stoppedEarly ? ", stopped early" : "")")
        }
        for point in thinned(curve) {
            // Held-out figures exist only at evaluation steps; the others carry NaN for "not measured here".
            for (name, value) in point.losses.sorted(by: { $0.key < $1.key }) where value.isFinite {
                try await ctx.record(name, step: point.step, value: Double(value))
            }
            try await ctx.record("throughput", step: point.step, value: point.throughput)
        }
        try await anime.setTrainingInputs(
            TrainingInputs(snapshotID: snapshot, acceptedVersion: accepted?.version ?? "", runID: ctx.runID, candidate: version.version),
            for: kind)
        try await ctx.push(Candidate(
            kind: kind, version: version.version, parent: version.parent, steps: version.steps,
            trainLoss: version.metrics["train_loss"] ?? version.metrics["generator_loss"] ?? .nan))
    }

    static func budget(_ ctx: TaskContext, steps: String, time: String, epochs: String?) throws -> TrainingBudget {
        let stepLimit = try ctx.params.integer(steps, in: 0...10_000_000, default: 0)
        let seconds = try ctx.params.number(time, in: 0...86_400, default: 600)
        let epochLimit = try epochs.map { try ctx.params.integer($0, in: 0...10_000, default: 0) } ?? 0
        guard stepLimit > 0 || seconds > 0 || epochLimit > 0 else {
            throw PipelineError(.invalidParameter(name: steps, value: "0", expected: "a step, epoch or time limit above 0"))
        }
        return TrainingBudget(
            epochs: epochLimit > 0 ? epochLimit : nil, steps: stepLimit > 0 ? stepLimit : nil,
            timeLimit: seconds > 0 ? .milliseconds(Int64(seconds * 1000)) : nil)
    }

    static func describe(_ budget: TrainingBudget) -> String {
        var parts: [String] = []
        if let epochs = budget.epochs { parts.append("\(epochs) epochs") }
        if let steps = budget.steps { parts.append("\(steps) steps") }
        if let limit = budget.timeLimit { parts.append("\(limit.components.seconds) s") }
        return parts.joined(separator: " or ")
    }

    /// Every point when there are few, else an even selection that keeps the first and the last.
    static func thinned<T>(_ points: [T]) -> [T] {
        guard points.count > maximumMetricPoints else { return points }
        let stride = Double(points.count - 1) / Double(maximumMetricPoints - 1)
        return (0..<maximumMetricPoints).map { points[Int((Double($0) * stride).rounded())] }
    }

    /// The run's seed: the `seed` param when set, else derived from the run id (so a re-run reproduces its run).
    static func runSeed(_ ctx: TaskContext) throws -> UInt64 {
        let param = try ctx.params.integer("seed", in: 0...Int(Int32.max), default: 0)
        if param > 0 { return UInt64(param) }
        var hash = SHA256()
        hash.update(ctx.runID)
        return hash.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    // MARK: evaluate

    static func evaluate(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        let snapshot = try await resolved(ctx).snapshotID
        let gate = QualityGate(tolerance: try ctx.params.number("tolerance", in: 0...10, default: 0.05))
        let screens = try ctx.params.flag("quality_screens", default: true)
        let corpus = try TrainingCorpus(snapshotDirectory: anime.snapshots.appendingPathComponent(snapshot))
        try BLAS.load()
        setThreads(try trainingThreads(ctx))
        var verdicts: [String: Verdict] = [:]
        var posterReference: QualityEvaluation.PosterReference?
        for kind in ModelKind.allCases {
            guard let candidate = try await ctx.pull(Candidate.self, from: "train_\(kind.rawValue)") else {
                ctx.log.info("\(kind): no candidate in this run (training skipped)")
                continue
            }
            let previous = try anime.models.accepted(kind)
            let metric: String
            let candidateScore: Double
            var previousScore: Double?
            if kind == .posters {
                metric = "pixel_distance"
                let real = try PosterModel.images(corpus.heldOutPosters.isEmpty ? corpus.trainingPosters : corpus.heldOutPosters,
                    size: DCGANConfiguration.nightly.imageSize)
                let statistics = PosterModel.statistics(of: real)
                let gan = try PosterModel.load(registry: anime.models, version: candidate.version)
                candidateScore = PosterModel.score(gan, against: statistics)
                let losses = gan.evaluate(realImages: real)
                try await ctx.record("posters_heldout_discriminator_loss", step: 0, value: Double(losses.discriminatorLoss))
                try await ctx.record("posters_heldout_generator_loss", step: 0, value: Double(losses.generatorLoss))
                if let previous {
                    previousScore = PosterModel.score(try PosterModel.load(registry: anime.models, version: previous.version), against: statistics)
                }
            } else {
                metric = "heldout_bits_per_char"
                let lines = corpus.heldOutLines(kind).isEmpty ? corpus.trainingLines(kind) : corpus.heldOutLines(kind)
                let model = try TextModelJob.load(registry: anime.models, kind: kind, version: candidate.version)
                candidateScore = try TextModelJob.heldOutBitsPerCharacter(model, lines: lines) ?? .nan
                if let previous {
                    let accepted = try TextModelJob.load(registry: anime.models, kind: kind, version: previous.version)
                    previousScore = try TextModelJob.heldOutBitsPerCharacter(accepted, lines: lines)
                    if case .wordBiLSTM = accepted {
                        ctx.log.info("\(kind): the accepted \(previous.version) is a word BiLSTM; its bits/char count only the words it predicts (a lower bound)")
                    }
                }
            }
            try await ctx.record("\(kind.rawValue)_\(metric)", step: 0, value: candidateScore)
            // Copying or collapse rejects a candidate whatever its score (NightlyTasks+quality.swift).
            let screening = try screen(
                kind, version: candidate.version, anime: anime, corpus: corpus, posterReference: &posterReference, log: ctx.log)
            for (name, value) in screening.metrics.sorted(by: { $0.key < $1.key }) { try await ctx.record(name, step: 0, value: value) }
            if !screens, !screening.problems.isEmpty {
                ctx.log.warning("\(kind) \(candidate.version): quality_screens is false, so these do not reject it: \(screening.problems.joined(separator: "; "))")
            }
            let decision = gate.decide(
                metric: metric, candidate: candidateScore, accepted: previousScore, problems: screens ? screening.problems : [])
            var meta = try anime.models.meta(kind, candidate.version)
            meta.status = decision.accepted ? .accepted : .rejected
            meta.reason = decision.reason
            meta.metrics[metric] = candidateScore
            meta.metrics.merge(screening.metrics) { $1 }
            try anime.models.updateMeta(meta)
            if decision.accepted {
                try anime.models.setAccepted(kind, candidate.version, actor: "\(ctx.dagID) run \(ctx.runID)", reason: decision.reason)
            }
            let line = "\(kind) \(candidate.version): \(decision.accepted ? "ACCEPTED" : "REJECTED") — \(decision.reason)"
            if decision.accepted { ctx.log.info(line) } else { ctx.log.warning(line) }
            verdicts[kind.rawValue] = Verdict(
                candidate: candidate.version, previous: previous?.version, accepted: decision.accepted, reason: decision.reason,
                metric: metric, candidateScore: candidateScore, previousScore: previousScore, problems: screening.problems)
        }
        guard !verdicts.isEmpty else {
            throw TaskSkipped("no new candidates: every training task skipped itself; the accepted models stay")
        }
        try await ctx.push(verdicts, key: "gate")
    }

    // MARK: generate_batch

    static func generateBatch(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        let count = try ctx.params.integer("batch_entries", in: 1...1000, default: 24)
        var versions: [String: String] = [:]
        var snapshots: [String] = []
        for kind in ModelKind.allCases {
            guard let accepted = try anime.models.accepted(kind) else { throw PipelineError(.noAcceptedModel(kind)) }
            versions[kind.rawValue] = accepted.version
            snapshots.append(accepted.snapshotID)
        }
        try BLAS.load()
        setThreads(try trainingThreads(ctx))
        // The run's snapshot (the accepted posters' one when the run resolved none, as under `tasks test`); its real
        // first words start the generated text the way shows do.
        let snapshot = (try? await resolved(ctx).snapshotID) ?? snapshots.last!
        let corpus = try? TrainingCorpus(snapshotDirectory: anime.snapshots.appendingPathComponent(snapshot))
        let models = BatchGenerator.Models(
            titles: try TextModelJob.load(registry: anime.models, kind: .titles, version: versions["titles"]!),
            synopses: try TextModelJob.load(registry: anime.models, kind: .synopses, version: versions["synopses"]!),
            posters: try PosterModel.load(registry: anime.models, version: versions["posters"]!),
            versions: versions, titleOpeners: BatchGenerator.Models.openers(of: corpus?.trainingTitles ?? []),
            synopsisOpeners: BatchGenerator.Models.openers(of: corpus?.trainingSynopses ?? []))
        let now = Date()
        let batch = ArchiveLayout.batchID(runID: ctx.runID, at: now)
        let staged = anime.archive.staged(batch)
        try? FileManager.default.removeItem(at: staged)  // a previous try of this run may have left a partial one
        let manifest = BatchManifest(
            batch: batch, dagID: ctx.dagID, runID: ctx.runID, snapshotID: snapshot, modelVersions: versions, createdAt: now, entries: [])
        var generator = BatchGenerator(models: models)
        // No real show's title is printed as a fake one: such a draw is drawn again.
        generator.avoidedTitles = Set(((corpus?.trainingLines(.titles) ?? []) + (corpus?.heldOutLines(.titles) ?? [])).map { $0.lowercased() })
        let written = try generator.write(count: count, batchSeed: try runSeed(ctx), into: staged, manifest: manifest)
        for entry in written.entries.prefix(5) { ctx.log.info("#\(entry.entry) \(entry.title) — \(entry.synopsis.prefix(120))…") }
        ctx.log.info("generated \(written.entries.count) fake anime into \(staged.path) with models \(versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        try await ctx.push(batch)
    }

    // MARK: publish and prune

    static func publish(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        guard let batch = try await ctx.pull(String.self, from: "generate_batch") else {
            throw PipelineError(.badBatch(batch: "?", reason: "generate_batch of run \(ctx.runID) pushed no batch id"))
        }
        let layout = anime.archive
        if let existing = try await anime.store.archiveBatch(batch) {
            ctx.log.info("batch \(batch) is already published (by run \(existing.runID)); nothing to do")
            return
        }
        // A try of this run that died between moving the batch into place and committing left it in archive/ with no
        // row: take it back to staging and publish it properly.
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: layout.staged(batch).path), fileManager.fileExists(atPath: layout.published(batch).path) {
            try fileManager.createDirectory(at: layout.stagingRoot, withIntermediateDirectories: true)
            try fileManager.moveItem(at: layout.published(batch), to: layout.staged(batch))
            ctx.log.warning("batch \(batch) was moved into archive/ by a try that did not commit; publishing it again")
        }
        try await removeOrphans(anime, ctx: ctx)
        let manifest = try BatchManifest.load(from: layout.staged(batch))
        let prefix = "archive/\(batch)/"
        let entries = manifest.entries.map { entry in
            ArchiveEntryRecord(
                batch: batch, entry: entry.entry, title: entry.title, synopsis: entry.synopsis, poster: prefix + entry.poster,
                posterDisplay: prefix + entry.posterDisplay, seed: entry.seed, modelVersions: manifest.modelVersions,
                snapshotID: manifest.snapshotID, dagID: manifest.dagID, runID: manifest.runID, createdAt: manifest.createdAt)
        }
        let record = ArchiveBatchRecord(
            batch: batch, dagID: manifest.dagID, runID: manifest.runID, snapshotID: manifest.snapshotID,
            modelVersions: manifest.modelVersions, entries: entries.count, createdAt: manifest.createdAt)
        let crash = ProcessInfo.processInfo.environment[crashInPublishKey] == "1"
        try await anime.store.publishBatch(record, entries: entries) {
            try layout.moveIntoPlace(batch)
            if crash {
                // Test hook: die with the files in place and the transaction open, as a power cut would.
                kill(getpid(), SIGKILL)
            }
        }
        ctx.log.info("published batch \(batch): \(entries.count) fake anime in \(layout.published(batch).path)")
        try await ctx.push(batch)
    }

    static func prune(_ ctx: TaskContext) async throws {
        let anime = try AnimeHome(ctx)
        let keep = try ctx.params.integer("keep_batches", in: 1...100_000, default: 14)
        let removed = try await anime.store.pruneArchive(keepingLatest: keep)
        for batch in removed {
            try? FileManager.default.removeItem(at: anime.archive.published(batch))
            ctx.log.info("pruned batch \(batch)")
        }
        try await removeOrphans(anime, ctx: ctx)
        // anime_nightly runs one at a time, so by now every staged batch belongs to a run whose publish gave up.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: anime.archive.stagingRoot.path)) ?? [] {
            try? FileManager.default.removeItem(at: anime.archive.stagingRoot.appendingPathComponent(name))
            ctx.log.warning("removed staged batch \(name), which was never published")
        }
        let (batches, entries) = try await anime.store.archiveCounts()
        ctx.log.info("archive keeps \(batches) batches (\(entries) fake anime); removed \(removed.count)")
        try await ctx.push(removed, key: "pruned")
    }

    /// Removes directories in `archive/` that no published batch owns (a publish that died before committing, a prune
    /// that died after).
    static func removeOrphans(_ anime: AnimeHome, ctx: TaskContext) async throws {
        let layout = anime.archive
        let orphans = try await anime.store.orphanArchiveDirectories(in: layout.root)
        for name in orphans {
            try? FileManager.default.removeItem(at: layout.root.appendingPathComponent(name))
            ctx.log.warning("removed \(name) from the archive: no published batch owns it (a publish that did not commit)")
        }
    }
}
