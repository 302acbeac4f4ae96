/// Where a candidate stops being judged on its loss: past these limits it copies its training data or has collapsed,
/// and the gate rejects it whatever its loss (``QualityGate/screen(text:kind:baseline:limits:)``,
/// ``QualityGate/screen(posters:limits:)``).
public struct QualityLimits: Sendable, Equatable {
    /// Below this share of novel word 8-grams, a synopsis model copies.
    public var minimumNovel8: Double
    /// A run of this many words shared with one training text is a copy.
    public var sharedRunLimit: Int
    /// More generated titles equal to a training title than this is copying.
    public var maximumTitleCopies: Int
    /// Collapse: the samples' diversity (1 − mean pairwise similarity) below this fraction of real data's.
    public var collapseRatio: Double

    /// The defaults: novel-8 at least 0.98, no run of 8 shared words, no title reproduced, diversity at least half
    /// of real data's.
    public static let standard = QualityLimits(minimumNovel8: 0.98, sharedRunLimit: 8, maximumTitleCopies: 0, collapseRatio: 0.5)

    /// These limits loosened just enough that held-out real text passes them: a corpus written from templates (the
    /// demo catalogue's grammar) shares 8-grams and long runs between shows nobody copied, and a model is not asked to
    /// be more original than the real shows it learns from. A model that reproduces training text verbatim still
    /// fails (novel-8 near 0, a run as long as a whole synopsis).
    public func relaxed(toBaseline baseline: TextQualityReport?) -> QualityLimits {
        guard let baseline else { return self }
        var limits = self
        if let novel8 = baseline.novel8 { limits.minimumNovel8 = min(minimumNovel8, novel8) }
        limits.sharedRunLimit = max(sharedRunLimit, baseline.longestSharedRun + 1)
        limits.maximumTitleCopies = max(maximumTitleCopies, baseline.exactCopies)
        return limits
    }

    public init(minimumNovel8: Double, sharedRunLimit: Int, maximumTitleCopies: Int, collapseRatio: Double) {
        self.minimumNovel8 = minimumNovel8
        self.sharedRunLimit = sharedRunLimit
        self.maximumTitleCopies = maximumTitleCopies
        self.collapseRatio = collapseRatio
    }
}
