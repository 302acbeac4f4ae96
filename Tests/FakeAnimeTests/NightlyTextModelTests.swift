import FakeAnime
import Foundation
import Learning
import Testing

/// The nightly text models on the demo catalogue's real text, split as the pipeline splits it (every 10th show by id
/// held out).
@Suite struct NightlyTextModelTests {
    static let corpus = TrainingCorpus.demo()

    /// The nightly synopsis model, trained for a fixed number of steps (a fraction of a nightly run) so the suite stays
    /// quick and deterministic.
    static let synopses: (model: LanguageModel, before: Double, summary: LanguageTrainingSummary) = {
        try! BLAS.load()
        let configuration = LanguageModelConfiguration.nightlySynopses
        let lines = corpus.trainingSynopses
        let tokenizer = SubwordTokenizer(fittingOn: lines, maximumWords: configuration.maximumWords)
        var model = LanguageModel(configuration: configuration, tokenizer: tokenizer, seed: 1)
        let before = model.score(corpus.heldOutSynopses).bitsPerCharacter
        let summary = model.train(on: lines, heldOut: corpus.heldOutSynopses, budget: TrainingBudget(steps: 300), shuffleSeed: 2)
        return (model, before, summary)
    }()

    static let titles: LanguageModel = {
        try! BLAS.load()
        let lines = corpus.trainingTitles
        var model = LanguageModel(
            configuration: .nightlyTitles, tokenizer: SubwordTokenizer(fittingOn: lines, maximumWords: 500), seed: 1)
        _ = model.train(on: lines, heldOut: corpus.heldOutTitles, budget: TrainingBudget(steps: 300), shuffleSeed: 2)
        return model
    }()

    @Test func heldOutLossFallsOnDemoSynopses() {
        let (model, before, summary) = Self.synopses
        let after = model.score(Self.corpus.heldOutSynopses).bitsPerCharacter
        print("demo synopses: held-out \(before) → \(after) bits/char in \(summary.steps) steps (kept step \(summary.bestStep))")
        #expect(before > 4)  // near uniform over the units at initialisation
        #expect(after < 0.5 * before && after < 2.3)
        #expect(summary.evaluations.count >= 2 && summary.evaluations.last!.bitsPerCharacter < summary.evaluations.first!.bitsPerCharacter)
    }

    @Test func generatedSynopsesEndWithASentenceAndNeverRepeatATrigram() {
        let model = Self.synopses.model
        var generator = SeededGenerator(seed: 10)
        let synopses = (0..<24).map { _ in model.generate(rules: .synopses, using: &generator) }
        for synopsis in synopses.prefix(3) { print("synopsis: \(synopsis)") }
        let ended = synopses.filter { DecodingRules.endsSentence($0[...]) && SubwordTokenizer.words(in: $0).count >= 20 }
        #expect(ended.count * 10 >= synopses.count * 9, "\(synopses)")
        for synopsis in synopses {
            #expect(!LanguageModel.hasRepeatedTrigram(SubwordTokenizer.words(in: synopsis)), "\(synopsis)")
            #expect(SubwordTokenizer.words(in: synopsis).count <= DecodingRules.synopses.maximumWords)
        }
    }

    /// Batches never print a real show's title: a draw that is one is drawn again (a model that can only copy keeps
    /// copying after ``BatchGenerator/titleRedraws`` draws, and the quality gate rejects it for that).
    @Test func batchTitlesRedrawRealTitles() {
        let model = NightlyTextModel.language(Self.titles)
        let real = Set((Self.corpus.trainingTitles + Self.corpus.heldOutTitles).map { $0.lowercased() })
        var copies = 0
        for seed in UInt64(1)...200 {
            var plain = SeededGenerator(seed: seed), guarded = SeededGenerator(seed: seed), forced = SeededGenerator(seed: seed)
            let drawn = BatchGenerator.title(model, openers: [], using: &plain)
            let kept = BatchGenerator.title(model, openers: [], avoiding: real, using: &guarded)
            if real.contains(drawn.lowercased()) { copies += 1 } else { #expect(kept == drawn, "a novel title is kept as drawn") }
            #expect(!real.contains(kept.lowercased()), "\(kept) is a real show's title")
            #expect(!kept.contains("  ") && kept == kept.trimmingCharacters(in: .whitespaces), "'\(kept)' is single-spaced")
            // Whatever is avoided is drawn again: forbid this very draw and a different title comes out.
            let redrawn = BatchGenerator.title(model, openers: [], avoiding: real.union([drawn.lowercased()]), using: &forced)
            #expect(redrawn != drawn)
        }
        print("titles copied from real shows in 200 plain draws: \(copies); none with redraws")
    }

    @Test func generatedTitlesNeverEndOnAFunctionWord() {
        var generator = SeededGenerator(seed: 11)
        let titles = (0..<40).map { _ in Self.titles.generate(rules: .titles, using: &generator) }
        print("titles: \(titles.prefix(8))")
        for title in titles {
            let last = SubwordTokenizer.words(in: title).last
            #expect(last != nil && !DecodingRules.functionWords.contains(last!), "\(title)")
        }
        #expect(Set(titles).count >= 30)
    }

    /// An old word BiLSTM checkpoint still loads (and scores, in bits per character); a checkpoint of another kind is
    /// refused with a message naming the file.
    @Test func oldCheckpointsLoadAndOtherKindsAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = Self.corpus.trainingTitles
        let old = TextModel(
            configuration: .nightlyTitles, tokenizer: Tokenizer(fittingOn: lines, maximumWords: 500), seed: 1)
        let oldURL = directory.appendingPathComponent("old.nsckpt")
        try old.save(to: oldURL)
        guard case .wordBiLSTM = try NightlyTextModel.load(from: oldURL) else { Issue.record("not loaded as a word BiLSTM"); return }
        let score = try #require(try NightlyTextModel.load(from: oldURL).heldOutScore(Self.corpus.heldOutTitles))
        #expect(score.bitsPerCharacter > 0 && score.characters == HeldOutScore.characters(in: Self.corpus.heldOutTitles))
        let otherURL = directory.appendingPathComponent("other.nsckpt")
        try Checkpoint(kind: "dcgan").write(to: otherURL)
        #expect { _ = try NightlyTextModel.load(from: otherURL) } throws: { error in
            "\(error)".contains(otherURL.path) && "\(error)".contains("language-model")
        }
    }

    /// The nightly job trains, writes a checkpoint that round-trips, warm-starts from an accepted language model, and
    /// starts afresh (saying why) from an accepted word BiLSTM.
    @Test func trainCandidateWarmStartsFromALanguageModelOnly() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = ModelRegistry(root: root)
        let lineage = Lineage(snapshotID: Self.corpus.snapshotID, dagID: "anime_nightly", runID: "r1")
        try BLAS.load()
        let first = try TextModelJob.trainCandidate(
            .titles, corpus: Self.corpus, registry: registry, parent: nil, budget: TrainingBudget(steps: 10), seed: 1, lineage: lineage
        ) { _ in }
        #expect(first.start == "fresh start" && first.version.metrics["heldout_bits_per_char"] != nil)
        guard case .language(let saved) = try TextModelJob.load(registry: registry, kind: .titles, version: first.version.version) else {
            Issue.record("not a language model")
            return
        }
        #expect(saved.stepsTaken == 10)
        let second = try TextModelJob.trainCandidate(
            .titles, corpus: Self.corpus, registry: registry, parent: first.version, budget: TrainingBudget(steps: 5), seed: 2,
            lineage: lineage
        ) { _ in }
        #expect(second.start.hasPrefix("warm start from \(first.version.version)") && second.version.parent == first.version.version)
        guard case .language(let warm) = try TextModelJob.load(registry: registry, kind: .titles, version: second.version.version) else {
            Issue.record("not a language model")
            return
        }
        #expect(warm.stepsTaken == 15)

        // An accepted word BiLSTM (written before issue 10) cannot seed the language model.
        let old = TextModel(configuration: .nightlyTitles, tokenizer: Tokenizer(fittingOn: Self.corpus.trainingTitles, maximumWords: 500), seed: 1)
        let oldVersion = try registry.addVersion(first.version) { directory in
            try old.save(to: directory.appendingPathComponent(ModelRegistry.checkpointFile))
        }
        let third = try TextModelJob.trainCandidate(
            .titles, corpus: Self.corpus, registry: registry, parent: oldVersion, budget: TrainingBudget(steps: 2), seed: 3,
            lineage: lineage
        ) { _ in }
        #expect(third.start.hasPrefix("fresh start: \(oldVersion.version) is a word BiLSTM") && third.version.parent == nil)
    }
}
