/// The poster figures of one set of samples (``PosterQuality/report(samples:training:heldOut:neighbours:)``).
public struct PosterQualityReport: Sendable, Equatable, Codable {
    /// How many posters were judged.
    public var samples: Int
    /// KID against the training posters (lower is closer).
    public var kid: Double
    /// Share of the samples inside some training poster's k-NN ball.
    public var precision: Double
    /// Share of training posters whose k-NN ball holds a sample (grows with the number of samples).
    public var coverage: Double
    /// The k of the balls (5 unless there were too few training posters).
    public var neighbours: Int
    /// Mean pairwise cosine similarity of the samples' features, relative to the training mean.
    public var similarity: Double
    /// The same among real posters the model never saw: what a varied set scores.
    public var realSimilarity: Double
    /// The smallest distance from a sample to a training poster.
    public var nearestTraining: Double
    /// The smallest distance from an unseen real poster to a training poster.
    public var realNearestTraining: Double
    /// Samples closer to a training poster than ``PosterQuality/copyRatio`` × ``realNearestTraining``: copies.
    public var copies: Int

    public init(
        samples: Int, kid: Double, precision: Double, coverage: Double, neighbours: Int, similarity: Double, realSimilarity: Double,
        nearestTraining: Double, realNearestTraining: Double, copies: Int
    ) {
        self.samples = samples
        self.kid = kid
        self.precision = precision
        self.coverage = coverage
        self.neighbours = neighbours
        self.similarity = similarity
        self.realSimilarity = realSimilarity
        self.nearestTraining = nearestTraining
        self.realNearestTraining = realNearestTraining
        self.copies = copies
    }

    /// The figures by name, as recorded on the run and in `meta.json` (`posters_kid`, …).
    public var metrics: [String: Double] {
        [
            "posters_kid": kid, "posters_precision": precision, "posters_coverage": coverage, "posters_similarity": similarity,
            "posters_real_similarity": realSimilarity, "posters_nearest_training": nearestTraining,
            "posters_real_nearest_training": realNearestTraining, "posters_copies": Double(copies),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case samples, kid, precision, coverage, neighbours, similarity, copies
        case realSimilarity = "real_similarity", nearestTraining = "nearest_training", realNearestTraining = "real_nearest_training"
    }
}
