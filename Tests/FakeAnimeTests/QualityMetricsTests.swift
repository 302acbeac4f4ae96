import FakeAnime
import Learning
import Testing

/// The quality metrics against figures worked by hand on tiny inputs.
@Suite struct QualityMetricsTests {
    func matrix(_ rows: [[Double]]) -> FeatureMatrix { FeatureMatrix(rows: rows) }

    @Test func kidUsesTheUnbiasedEstimatorWithTheCubicKernel() {
        // d = 1, k(a, b) = (ab + 1)³: k(0,0) = 1, k(0,1) = 1, k(1,1) = 8.
        let x = matrix([[0], [1]])
        // Identical sets: the within-set sums skip i = j, the cross sum does not:
        // 2·(k(0,1)) / 2 · 2 sets − 2/4 · (1 + 1 + 1 + 8) = 1 + 1 − 5.5 = −3.5.
        #expect(abs(PosterQuality.kid(x, x) - -3.5) < 1e-12)
        // Two far-apart sets: within x = k(0,0) = 1, within y = k(1,1) = 8, across = 4·k(0,1)/4 = 1 → 1 + 8 − 2 = 7.
        let zeros = matrix([[0], [0]]), ones = matrix([[1], [1]])
        #expect(abs(PosterQuality.kid(zeros, ones) - 7) < 1e-12)
        #expect(abs(PosterQuality.kid(ones, zeros) - 7) < 1e-12)
        // d = 2 divides the dot product: k([1,1],[1,1]) = (2/2 + 1)³ = 8 within y; across k([0,0],·) = 1.
        #expect(abs(PosterQuality.kid(matrix([[0, 0], [0, 0]]), matrix([[1, 1], [1, 1]])) - 7) < 1e-12)
    }

    @Test func kidOfTwoSamplesOfOneDistributionIsNearZeroAndFarSetsAreNot() {
        var generator = SeededGenerator(seed: 7)
        func sample(_ n: Int, shift: Double) -> FeatureMatrix {
            matrix((0..<n).map { _ in (0..<4).map { _ in Double.random(in: -1...1, using: &generator) + shift } })
        }
        let a = sample(200, shift: 0), b = sample(200, shift: 0), far = sample(200, shift: 1)
        #expect(abs(PosterQuality.kid(a, b)) < 0.02)
        #expect(PosterQuality.kid(a, far) > 0.5)
    }

    @Test func precisionAndCoverageOnThreePointsWorkedByHand() {
        // Real 0, 1, 3 with k = 1: radii 1 (to 1), 1 (to 0), 2 (to 1).
        // Generated 0.5 lies in the balls of 0 and 1; 10 and 20 lie in none → precision 1/3.
        // Real 0 and 1 hold 0.5; real 3's nearest generated sample is 2.5 away > 2 → coverage 2/3.
        let real = matrix([[0], [1], [3]])
        let result = PosterQuality.precisionCoverage(real: real, generated: matrix([[0.5], [10], [20]]), neighbours: 1)
        #expect(abs(result.precision - 1.0 / 3) < 1e-12)
        #expect(abs(result.coverage - 2.0 / 3) < 1e-12)
        // With k = 2 the radii grow to 3, 2, 3: 10 and 20 stay out, every real ball now holds 0.5.
        let wider = PosterQuality.precisionCoverage(real: real, generated: matrix([[0.5], [10], [20]]), neighbours: 2)
        #expect(abs(wider.precision - 1.0 / 3) < 1e-12 && wider.coverage == 1)
        // A point on a ball's edge counts as inside (distance ≤ radius).
        #expect(PosterQuality.precisionCoverage(real: real, generated: matrix([[5]]), neighbours: 1).precision == 1)
    }

    @Test func pairwiseCosineIsRelativeToTheCentre() {
        // (1,0), (0,1), (1,1): cosines 0, 1/√2, 1/√2 → mean √2/3.
        let three = matrix([[1, 0], [0, 1], [1, 1]])
        #expect(abs(PosterQuality.meanPairwiseCosine(three, center: [0, 0]) - 2.0.squareRoot() / 3) < 1e-12)
        // One vector repeated is 1; a set opposite around the centre is −1; the centre itself repeated counts as identical.
        #expect(abs(PosterQuality.meanPairwiseCosine(matrix([[2, 3], [2, 3], [2, 3]]), center: [0, 0]) - 1) < 1e-12)
        #expect(abs(PosterQuality.meanPairwiseCosine(matrix([[2, 1], [0, 1]]), center: [1, 1]) - -1) < 1e-12)
        #expect(PosterQuality.meanPairwiseCosine(matrix([[1, 1], [1, 1]]), center: [1, 1]) == 1)
    }

    @Test func nearestDistancesCanLeaveEachSampleOut() {
        let points = matrix([[0, 0], [3, 4], [3, 5]])
        #expect(PosterQuality.nearestDistances(points, to: points) == [0, 0, 0])
        #expect(PosterQuality.nearestDistances(points, to: points, excludingSelf: true) == [5, 1, 1])
    }

    @Test func rep4CountsRepeatedFourGramsWithinOneText() {
        // "a b c d a b c d": 4-grams abcd, bcda, cdab, dabc, abcd → 5, of which 4 distinct → 1 − 4/5.
        #expect(abs(TextQuality.rep4("a b c d a b c d") - 0.2) < 1e-12)
        #expect(TextQuality.rep4("Nothing repeats in this short line") == 0)
        #expect(TextQuality.rep4("too short") == 0)
        // "x x x x x x": three 4-grams, all "x x x x" → 1 − 1/3.
        #expect(abs(TextQuality.rep4("x x x x x x") - 2.0 / 3) < 1e-12)
        #expect(abs(TextQuality.meanRep4(["a b c d a b c d", "one two three four", "short"]) - 0.1) < 1e-12)
    }

    @Test func distinct2CountsBigramsOverTheBatch() {
        // ab, bc, ab, bd → 3 distinct of 4; bigrams never span two samples ("c a" is not one).
        #expect(TextQuality.distinct2(["a b c", "A, b d!"]) == 0.75)
        #expect(TextQuality.distinct2(["same words here", "same words here"]) == 0.5)
        #expect(TextQuality.distinct2(["one", ""]) == 0)
    }

    @Test func novel8AndTheLongestSharedRunAgainstTheTrainingText() {
        let training = ["The quick brown fox jumps over the lazy dog today.", "An unrelated line about the sea."]
        // 10 words → three 8-grams; only the first ("the quick … the lazy") is in the training text.
        let report = TextQuality.report(samples: ["the quick brown fox jumps over the lazy cat now"], training: training)
        #expect(abs((report.novel8 ?? -1) - 2.0 / 3) < 1e-12)
        #expect(report.longestSharedRun == 8)
        #expect(report.sharedRun == "the quick brown fox jumps over the lazy")
        // Runs do not join two training texts: "today an unrelated" is in neither.
        let across = TextQuality.report(samples: ["lazy dog today an unrelated line"], training: training)
        #expect(across.longestSharedRun == 3)
        #expect(across.novel8 == nil, "no sample has 8 words")
        // A word the training text never uses matches nothing, even repeated.
        #expect(TextQuality.report(samples: ["zebra zebra"], training: ["zebra"]).longestSharedRun == 1)
        #expect(TextQuality.report(samples: ["okapi okapi"], training: training).longestSharedRun == 0)
    }

    @Test func exactTitleCopiesIgnoreCaseAndPunctuation() {
        let report = TextQuality.report(samples: ["crimson academy", "Crimson Sky", "Blue Sky!"], training: ["Crimson Academy", "Blue Sky"])
        #expect(report.exactCopies == 2)
        #expect(report.exampleCopy == "crimson academy")
        #expect(report.metrics(prefix: "titles")["titles_exact_copies"] == 2)
    }

    @Test func posterFeaturesAreFixedAndSeeded() throws {
        let images = PosterFixtures.images(count: 3, seed: 1)
        let first = PosterFeatures().features(of: images), second = PosterFeatures().features(of: images)
        #expect(first == second)
        #expect(first.count == 3 && first.dimension == PosterFeatures.dimension)
        #expect(first.row(0) != first.row(1))
        #expect(first.values.allSatisfy { $0.isFinite })
    }
}

/// Small synthetic posters: random colour blocks, different per image.
enum PosterFixtures {
    static let size = 16

    static func images(count: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var pixels: [Float] = []
        for _ in 0..<count {
            let colours = (0..<12).map { _ in Float.random(in: -1...1, using: &generator) }
            for channel in 0..<3 {
                for y in 0..<size {
                    for x in 0..<size {
                        let block = (y < size / 2 ? 0 : 2) + (x < size / 2 ? 0 : 1)
                        pixels.append(colours[block * 3 + channel] + Float.random(in: -0.1...0.1, using: &generator))
                    }
                }
            }
        }
        return try! Tensor(shape: [count, 3, size, size], storage: pixels)
    }

    static func subset(_ images: Tensor, _ indices: [Int]) -> Tensor {
        let plane = 3 * size * size
        return try! Tensor(shape: [indices.count, 3, size, size], storage: indices.flatMap { images.storage[($0 * plane)..<(($0 + 1) * plane)] })
    }
}
