/// The copy and collapse screens: pure functions of the quality reports, run before the loss comparison.
extension QualityGate {
    /// Why text samples of a `kind` model copy their training text or have collapsed; empty when they do neither.
    /// - Parameters:
    ///   - text: the candidate's samples against the training text.
    ///   - baseline: held-out real text against the same training text, when there is any: the diversity a varied
    ///     set of real texts has (collapse is judged against it), and the copying real texts do without copying (the
    ///     limits are ``QualityLimits/relaxed(toBaseline:)``).
    public static func screen(
        text: TextQualityReport, kind: ModelKind, baseline: TextQualityReport? = nil, limits: QualityLimits = .standard
    ) -> [String] {
        let limits = limits.relaxed(toBaseline: baseline)
        var problems: [String] = []
        if let novel8 = text.novel8, novel8 < limits.minimumNovel8 {
            problems.append("copies its training text: only \(percent(novel8)) of its word 8-grams are new (at least \(percent(limits.minimumNovel8)) needed)")
        }
        if text.longestSharedRun >= limits.sharedRunLimit {
            problems.append("copies its training text: a run of \(text.longestSharedRun) words is in a training \(singular(kind)) (\"\(clip(text.sharedRun))\"; \(limits.sharedRunLimit) or more is a copy)")
        }
        if kind == .titles, text.exactCopies > limits.maximumTitleCopies {
            problems.append("copies training titles: \(text.exactCopies) of its \(text.samples) titles are training titles (\"\(text.exampleCopy ?? "")\")")
        }
        if text.samples >= 2, let baseline, baseline.distinct2 > 0, text.distinct2 < limits.collapseRatio * baseline.distinct2 {
            problems.append("has collapsed: distinct-2 \(format(text.distinct2)) is under \(percent(limits.collapseRatio)) of real text's \(format(baseline.distinct2))")
        }
        return problems
    }

    /// Why a poster model's samples copy training posters or have collapsed; empty when they do neither.
    public static func screen(posters: PosterQualityReport, limits: QualityLimits = .standard) -> [String] {
        var problems: [String] = []
        if posters.copies > 0 {
            problems.append("copies training posters: \(posters.copies) of its \(posters.samples) posters are closer to a training poster (nearest \(format(posters.nearestTraining))) than \(percent(PosterQuality.copyRatio)) of the distance the closest unseen real poster keeps (\(format(posters.realNearestTraining)))")
        }
        let diversity = 1 - posters.similarity, realDiversity = 1 - posters.realSimilarity
        if diversity < limits.collapseRatio * realDiversity {
            problems.append("has collapsed: its posters' mean pairwise similarity is \(format(posters.similarity)) against \(format(posters.realSimilarity)) among real posters (diversity under \(percent(limits.collapseRatio)) of real posters')")
        }
        return problems
    }

    /// ``decide(metric:candidate:accepted:)`` after the screens: a candidate with `problems` is rejected whatever its
    /// score, with the problems as the reason; otherwise it is compared with the accepted model as before.
    public func decide(metric: String, candidate: Double, accepted: Double?, problems: [String]) -> Decision {
        guard problems.isEmpty else {
            let outcome = accepted == nil ? "no model of this kind is accepted yet" : "keeping the accepted model"
            return Decision(accepted: false, reason: "rejected whatever its \(metric) (\(Self.format(candidate))): it \(problems.joined(separator: "; it ")); \(outcome)")
        }
        return decide(metric: metric, candidate: candidate, accepted: accepted)
    }

    static func percent(_ fraction: Double) -> String { "\(format(fraction * 100))%" }

    static func singular(_ kind: ModelKind) -> String { kind == .titles ? "title" : kind == .synopses ? "synopsis" : "poster" }

    static func clip(_ text: String) -> String { text.count <= 80 ? text : String(text.prefix(79)) + "…" }
}
