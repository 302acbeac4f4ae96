/// Pure poster-quality measures on feature vectors (``PosterFeatures``): KID, precision and coverage, a collapse check
/// and a copy check (QUALITY.md, "Metrics without downloaded weights"). No I/O, no model: tests feed tiny matrices.
public enum PosterQuality {
    /// The neighbour whose distance is a real sample's ball radius in precision and coverage.
    public static let defaultNeighbours = 5
    /// A sample is a copy when its nearest training poster is closer than this fraction of the smallest distance
    /// from an unseen real poster to a training poster. Not 1: a model as good as the real data puts a fair share of
    /// its samples below the real minimum by chance alone (10 fresh real posters against 10 held-out ones: about half
    /// the time), while a copy sits at about 0.
    public static let copyRatio = 0.5

    /// The polynomial kernel of KID, `k(a, b) = (aᵀb / d + 1)³`.
    static func kernel(_ x: FeatureMatrix, _ i: Int, _ y: FeatureMatrix, _ j: Int) -> Double {
        let value = x.dot(i, y, j) / Double(x.dimension) + 1
        return value * value * value
    }

    /// The unbiased estimate of the squared kernel MMD between `x` and `y` (Bińkowski et al., arXiv 1801.01401):
    /// `1/(m(m−1)) Σ_{i≠j} k(x_i, x_j) + 1/(n(n−1)) Σ_{i≠j} k(y_i, y_j) − 2/(mn) Σ_{i,j} k(x_i, y_j)`.
    /// Near 0 (it may be slightly negative) when both sets come from one distribution; larger is further apart.
    /// - Precondition: at least 2 rows in each, of the same dimension.
    public static func kid(_ x: FeatureMatrix, _ y: FeatureMatrix) -> Double {
        precondition(x.count >= 2 && y.count >= 2, "KID needs 2 samples per set, got \(x.count) and \(y.count)")
        precondition(x.dimension == y.dimension, "feature dimensions differ: \(x.dimension) and \(y.dimension)")
        func within(_ set: FeatureMatrix) -> Double {
            var total = 0.0
            for i in 0..<set.count {
                for j in (i + 1)..<set.count { total += 2 * kernel(set, i, set, j) }
            }
            return total / Double(set.count * (set.count - 1))
        }
        var across = 0.0
        for i in 0..<x.count {
            for j in 0..<y.count { across += kernel(x, i, y, j) }
        }
        return within(x) + within(y) - 2 * across / Double(x.count * y.count)
    }

    /// Precision and coverage with k-nearest-neighbour balls (Kynkäänniemi et al., arXiv 1904.06991; Naeem et al.,
    /// arXiv 2002.09797). Each real sample's ball has the radius of its `k`-th nearest other real sample.
    /// - Returns: precision, the share of generated samples inside at least one real ball (distance ≤ radius), and
    ///   coverage, the share of real samples whose ball holds at least one generated sample.
    /// - Precondition: more real samples than `k`, at least one generated sample.
    public static func precisionCoverage(
        real: FeatureMatrix, generated: FeatureMatrix, neighbours k: Int = defaultNeighbours
    ) -> (precision: Double, coverage: Double) {
        precondition(k >= 1 && real.count > k, "precision needs more than k = \(k) real samples, got \(real.count)")
        precondition(generated.count >= 1, "precision needs generated samples")
        let radii = (0..<real.count).map { i in
            (0..<real.count).filter { $0 != i }.map { real.distance(i, real, $0) }.sorted()[k - 1]
        }
        var inside = [Bool](repeating: false, count: generated.count)
        var covered = [Bool](repeating: false, count: real.count)
        for i in 0..<real.count {
            for j in 0..<generated.count where real.distance(i, generated, j) <= radii[i] {
                inside[j] = true
                covered[i] = true
            }
        }
        return (Double(inside.filter { $0 }.count) / Double(generated.count), Double(covered.filter { $0 }.count) / Double(real.count))
    }

    /// The mean cosine similarity over every pair of rows of `x`, each taken relative to `center` (the real posters'
    /// mean feature, so the offset every poster shares does not count as likeness): about 0 for a varied set, 1 for a
    /// set of one image repeated. Two zero vectors count as identical (1), a zero and a non-zero one as unrelated (0).
    /// - Precondition: at least 2 rows.
    public static func meanPairwiseCosine(_ x: FeatureMatrix, center: [Double]) -> Double {
        precondition(x.count >= 2, "pairwise similarity needs 2 samples, got \(x.count)")
        precondition(center.count == x.dimension, "center has \(center.count) values for dimension \(x.dimension)")
        let rows = (0..<x.count).map { i in zip(x.row(i), center).map { $0 - $1 } }
        let norms = rows.map { row in row.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var total = 0.0
        for i in 0..<rows.count {
            for j in (i + 1)..<rows.count {
                if norms[i] == 0 || norms[j] == 0 {
                    total += norms[i] == norms[j] ? 1 : 0
                } else {
                    total += zip(rows[i], rows[j]).reduce(0) { $0 + $1.0 * $1.1 } / (norms[i] * norms[j])
                }
            }
        }
        return total / Double(rows.count * (rows.count - 1) / 2)
    }

    /// For each row of `x`, the distance to its nearest row of `reference`; with `excludingSelf` (when `x` is
    /// `reference`), row i's own row is skipped (leave-one-out).
    public static func nearestDistances(_ x: FeatureMatrix, to reference: FeatureMatrix, excludingSelf: Bool = false) -> [Double] {
        precondition(reference.count > (excludingSelf ? 1 : 0), "nearest neighbours need reference samples")
        return (0..<x.count).map { i in
            var best = Double.infinity
            for j in 0..<reference.count where !(excludingSelf && i == j) { best = min(best, x.distance(i, reference, j)) }
            return best
        }
    }

    /// Every poster figure of one set of samples against the training posters.
    /// - Parameters:
    ///   - samples: φ of the posters judged (a model's posters, or held-out real posters for the baseline).
    ///   - training: φ of the training posters, the reference every figure is measured against.
    ///   - heldOut: φ of real posters the model never saw: their smallest distance to a training poster sets the copy
    ///     threshold (times ``copyRatio``) and their pairwise similarity is the collapse reference. Nil or fewer than 2 rows: the training
    ///     posters stand in, leave-one-out.
    public static func report(
        samples: FeatureMatrix, training: FeatureMatrix, heldOut: FeatureMatrix?, neighbours: Int = defaultNeighbours
    ) -> PosterQualityReport {
        let center = training.mean
        let reference = heldOut.flatMap { $0.count >= 2 ? $0 : nil }
        let realNearest = reference.map { nearestDistances($0, to: training) } ?? nearestDistances(training, to: training, excludingSelf: true)
        let nearest = nearestDistances(samples, to: training)
        let k = min(neighbours, training.count - 1)
        let (precision, coverage) = precisionCoverage(real: training, generated: samples, neighbours: k)
        return PosterQualityReport(
            samples: samples.count, kid: kid(samples, training), precision: precision, coverage: coverage, neighbours: k,
            similarity: meanPairwiseCosine(samples, center: center),
            realSimilarity: meanPairwiseCosine(reference ?? training, center: center),
            nearestTraining: nearest.min() ?? .infinity, realNearestTraining: realNearest.min() ?? .infinity,
            copies: nearest.filter { $0 < copyRatio * (realNearest.min() ?? 0) }.count)
    }
}
