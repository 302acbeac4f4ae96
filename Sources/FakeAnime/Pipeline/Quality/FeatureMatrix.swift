/// Feature vectors of a set of samples, one row per sample, stored row after row in `values` (Double, so the kernel
/// sums of KID keep their precision).
public struct FeatureMatrix: Sendable, Equatable {
    /// How many samples (rows).
    public let count: Int
    /// The length of each feature vector.
    public let dimension: Int
    /// `count × dimension` values, row-major.
    public let values: [Double]

    /// Rows of equal length.
    public init(rows: [[Double]]) {
        let dimension = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == dimension }, "feature rows of different lengths")
        self.init(count: rows.count, dimension: dimension, values: rows.flatMap { $0 })
    }

    /// `count` rows of `dimension` values stored one after another.
    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(values.count == count * dimension, "\(values.count) values for \(count) rows of \(dimension)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Row `index`.
    public func row(_ index: Int) -> ArraySlice<Double> { values[(index * dimension)..<((index + 1) * dimension)] }

    /// The mean row (all zeros for an empty matrix).
    public var mean: [Double] {
        var sum = [Double](repeating: 0, count: dimension)
        for index in 0..<count {
            for (offset, value) in row(index).enumerated() { sum[offset] += value }
        }
        return count == 0 ? sum : sum.map { $0 / Double(count) }
    }

    /// The dot product of row `i` of `self` and row `j` of `other`.
    func dot(_ i: Int, _ other: FeatureMatrix, _ j: Int) -> Double {
        var total = 0.0
        let a = i * dimension, b = j * dimension
        for offset in 0..<dimension { total += values[a + offset] * other.values[b + offset] }
        return total
    }

    /// The Euclidean distance between row `i` of `self` and row `j` of `other`.
    func distance(_ i: Int, _ other: FeatureMatrix, _ j: Int) -> Double {
        var total = 0.0
        let a = i * dimension, b = j * dimension
        for offset in 0..<dimension {
            let difference = values[a + offset] - other.values[b + offset]
            total += difference * difference
        }
        return total.squareRoot()
    }
}
