import FakeAnime
import Learning
import Testing

/// The gate's copy and collapse screens: candidates that copy or collapse are rejected whatever their loss.
@Suite struct QualityGateScreeningTests {
    static let trainingSynopses = [
        "A quiet girl joins the rowing club of her seaside school and learns that every race begins long before the start.",
        "When the last train stops at a station that is not on any map, three friends step off and cannot find the way back.",
        "The crimson knight guards a city that forgot him, until a thief steals the lantern that keeps the night away.",
    ]
    static let heldOutSynopses = [
        "An old baker teaches a runaway robot to knead bread while the town prepares for a storm nobody believes in.",
        "Twin sisters inherit a failing observatory and a telescope that shows stars as they will be tomorrow.",
    ]
    let gate = QualityGate(tolerance: 0.05)

    @Test func aMemorisingTextModelIsRejectedForCopyingWhateverItsLoss() {
        let baseline = TextQuality.report(samples: Self.heldOutSynopses, training: Self.trainingSynopses)
        let memorised = TextQuality.report(samples: Self.trainingSynopses, training: Self.trainingSynopses)
        #expect(memorised.novel8 == 0)
        #expect(memorised.longestSharedRun == 24)
        let problems = QualityGate.screen(text: memorised, kind: .synopses, baseline: baseline)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first == "copies its training text: only 0% of its word 8-grams are new (at least 98% needed)")
        #expect(problems.last?.hasPrefix("copies its training text: a run of 24 words is in a training synopsis (\"when the last train") == true)
        // A far lower loss than the accepted model does not save it.
        let decision = gate.decide(metric: "heldout_loss", candidate: 1.0, accepted: 4.0, problems: problems)
        #expect(!decision.accepted)
        #expect(decision.reason.hasPrefix("rejected whatever its heldout_loss (1): it copies its training text: only 0%"))
        #expect(decision.reason.hasSuffix("; keeping the accepted model"))
        let first = gate.decide(metric: "heldout_loss", candidate: 1.0, accepted: nil, problems: problems)
        #expect(!first.accepted && first.reason.hasSuffix("no model of this kind is accepted yet"))
    }

    @Test func novelTextPassesTheScreensAndIsComparedOnItsLoss() {
        let baseline = TextQuality.report(samples: Self.heldOutSynopses, training: Self.trainingSynopses)
        #expect(QualityGate.screen(text: baseline, kind: .synopses, baseline: baseline).isEmpty)
        let novel = TextQuality.report(
            samples: ["A shy knight joins the baking club and learns that every storm begins with a lantern nobody lit."],
            training: Self.trainingSynopses)
        #expect(novel.longestSharedRun < 8)
        #expect(QualityGate.screen(text: novel, kind: .synopses, baseline: baseline).isEmpty)
        let decision = gate.decide(metric: "heldout_loss", candidate: 4.5, accepted: 4.0, problems: [])
        #expect(!decision.accepted && decision.reason.hasPrefix("heldout_loss 4.5 is 12.5% worse"))
        #expect(gate.decide(metric: "heldout_loss", candidate: 3.9, accepted: 4.0, problems: []).accepted)
    }

    @Test func aReproducedTrainingTitleIsCopying() {
        let report = TextQuality.report(samples: ["Crimson Knight", "Moonlit Harbour"], training: ["The Crimson Knight", "crimson knight", "Blue Lantern"])
        let problems = QualityGate.screen(text: report, kind: .titles)
        #expect(problems == ["copies training titles: 1 of its 2 titles are training titles (\"Crimson Knight\")"])
        // The same exact copy in synopses is judged by its 8-grams and runs instead.
        #expect(QualityGate.screen(text: report, kind: .synopses).isEmpty)
    }

    @Test func aTextModelThatSaysOneThingIsCollapsed() {
        let baseline = TextQuality.report(samples: Self.heldOutSynopses, training: Self.trainingSynopses)
        let constant = TextQuality.report(samples: Array(repeating: "a robot bakes bread for the storm", count: 8), training: Self.trainingSynopses)
        let problems = QualityGate.screen(text: constant, kind: .synopses, baseline: baseline)
        #expect(problems.count == 1 && problems[0].hasPrefix("has collapsed: distinct-2 0.125 is under 50% of real text's 1"), "\(problems)")
    }

    /// Training posters 0..<20, unseen real posters 20..<30, all distinct random colour blocks.
    static let posters = PosterFixtures.images(count: 40, seed: 11)
    static let features = PosterFeatures().features(of: posters)
    static func rows(_ range: Range<Int>) -> FeatureMatrix {
        FeatureMatrix(count: range.count, dimension: features.dimension, values: Array(features.values[(range.lowerBound * features.dimension)..<(range.upperBound * features.dimension)]))
    }

    @Test func aPosterModelThatReturnsTrainingImagesIsRejectedForCopying() {
        let copied = PosterFeatures().features(of: PosterFixtures.subset(Self.posters, [3, 7, 11, 15]))
        let report = PosterQuality.report(samples: copied, training: Self.rows(0..<20), heldOut: Self.rows(20..<30))
        // Features of the same pixels computed in another batch may differ in the last bits, no more.
        #expect(report.copies == 4 && report.nearestTraining < 1e-5)
        #expect(report.realNearestTraining > 0)
        let problems = QualityGate.screen(posters: report)
        #expect(problems.count == 1 && problems[0].hasPrefix("copies training posters: 4 of its 4 posters are closer to a training poster"), "\(problems)")
        #expect(!gate.decide(metric: "posters_kid", candidate: -1, accepted: 0.5, problems: problems).accepted)
    }

    @Test func aConstantPosterGeneratorIsRejectedForCollapse() {
        let constant = PosterFeatures().features(of: PosterFixtures.subset(Self.posters, Array(repeating: 35, count: 8)))
        let report = PosterQuality.report(samples: constant, training: Self.rows(0..<20), heldOut: Self.rows(20..<30))
        #expect(abs(report.similarity - 1) < 1e-9)
        #expect(report.realSimilarity < 0.5)
        let problems = QualityGate.screen(posters: report)
        #expect(problems.count == 1 && problems[0].hasPrefix("has collapsed: its posters' mean pairwise similarity is 1 against"), "\(problems)")
    }

    @Test func unseenRealPostersPassThePosterScreens() {
        let report = PosterQuality.report(samples: Self.rows(30..<40), training: Self.rows(0..<20), heldOut: Self.rows(20..<30))
        // One of these fresh real posters is nearer a training poster than every held-out one (0.36 < 0.385), as a
        // good model's would be by chance: the copy threshold is half that distance, so it is no copy.
        #expect(report.nearestTraining < report.realNearestTraining)
        #expect(report.copies == 0)
        #expect(QualityGate.screen(posters: report).isEmpty, "\(report)")
        #expect(report.neighbours == 5)
        #expect(report.precision > 0 && report.coverage > 0)
        // Without unseen real posters the training set stands in, leave-one-out.
        #expect(PosterQuality.report(samples: Self.rows(30..<40), training: Self.rows(0..<20), heldOut: nil).realNearestTraining > 0)
    }
}

/// Limits against a held-out baseline that itself repeats phrases (a templated corpus).
@Suite struct QualityLimitsTests {
    @Test func limitsLoosenToWhatUnseenRealTextDoesButNoFurther() {
        let templated = TextQualityReport(
            samples: 30, distinct2: 0.6, rep4: 0, novel8: 0.7, longestSharedRun: 14, sharedRun: "", exactCopies: 0, exampleCopy: nil,
            heldOutBitsPerCharacter: nil)
        let relaxed = QualityLimits.standard.relaxed(toBaseline: templated)
        #expect(relaxed.minimumNovel8 == 0.7 && relaxed.sharedRunLimit == 15 && relaxed.maximumTitleCopies == 0)
        #expect(QualityLimits.standard.relaxed(toBaseline: nil) == .standard)
        // A baseline that copies less than the limits allow never tightens them.
        let original = TextQualityReport(
            samples: 30, distinct2: 0.9, rep4: 0, novel8: 1, longestSharedRun: 3, sharedRun: "", exactCopies: 0, exampleCopy: nil,
            heldOutBitsPerCharacter: nil)
        #expect(QualityLimits.standard.relaxed(toBaseline: original) == .standard)
        // Against the templated baseline: 0.75 novel and a 14-word run pass; verbatim synopses still fail on both.
        let model = TextQualityReport(
            samples: 24, distinct2: 0.5, rep4: 0, novel8: 0.75, longestSharedRun: 14, sharedRun: "", exactCopies: 0, exampleCopy: nil,
            heldOutBitsPerCharacter: nil)
        #expect(QualityGate.screen(text: model, kind: .synopses, baseline: templated).isEmpty)
        #expect(QualityGate.screen(text: model, kind: .synopses).count == 2)
        var verbatim = model
        verbatim.novel8 = 0
        verbatim.longestSharedRun = 40
        #expect(QualityGate.screen(text: verbatim, kind: .synopses, baseline: templated).count == 2)
    }
}
