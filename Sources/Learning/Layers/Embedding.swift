/// A lookup table mapping token ids `0..<vocabularySize` (id 0 included, e.g. padding) to `dimension`-wide rows.
public struct Embedding: Sendable, Equatable {
    /// `[vocabularySize, dimension]`.
    public var table: Tensor

    /// The number of ids.
    public var vocabularySize: Int { table.shape[0] }
    /// The width of each embedding.
    public var dimension: Int { table.shape[1] }

    /// Creates a table drawn uniformly from ±0.05 (Keras's default `uniform` initializer).
    public init(vocabularySize: Int, dimension: Int, using generator: inout some RandomNumberGenerator) {
        table = .uniform([vocabularySize, dimension], in: -0.05...0.05, using: &generator)
    }

    /// Creates an embedding from an explicit `[vocabularySize, dimension]` table.
    public init(table: Tensor) {
        precondition(table.rank == 2, "embedding table must be a matrix, got \(table.shape)")
        self.table = table
    }

    /// Looks up `ids`; the output has shape `shape + [dimension]` (`shape` defaults to `[ids.count]`).
    /// - Throws: `LearningError.Kind.idOutOfRange` for an id outside `0..<vocabularySize`.
    public func forward(_ ids: [Int], shape: [Int]? = nil) throws(LearningError) -> Tensor {
        let idShape = shape ?? [ids.count]
        guard idShape.reduce(1, *) == ids.count else {
            throw LearningError(.storageCount(shape: idShape, expected: idShape.reduce(1, *), actual: ids.count))
        }
        var output = Tensor.zeros(idShape + [dimension])
        for (position, id) in ids.enumerated() {
            guard id >= 0 && id < vocabularySize else { throw LearningError(.idOutOfRange(id: id, vocabularySize: vocabularySize)) }
            for j in 0..<dimension { output.storage[position * dimension + j] = table.storage[id * dimension + j] }
        }
        return output
    }

    /// The table gradient: each output row's gradient scatter-added into the row of its id
    /// (repeated ids accumulate). `ids` must be those passed to `forward`.
    public func backward(_ gradOutput: Tensor, ids: [Int]) -> Tensor {
        precondition(gradOutput.count == ids.count * dimension, "gradient \(gradOutput.shape) for \(ids.count) ids")
        var grad = Tensor.zeros(table.shape)
        for (position, id) in ids.enumerated() {
            for j in 0..<dimension { grad.storage[id * dimension + j] += gradOutput.storage[position * dimension + j] }
        }
        return grad
    }

    /// Updates the table, named `"<name>.table"` for the optimizer's state.
    public mutating func update(with gradient: Tensor, using optimizer: inout some Optimizer, name: String) {
        optimizer.update(&table, gradient: gradient, name: name + ".table")
    }
}
