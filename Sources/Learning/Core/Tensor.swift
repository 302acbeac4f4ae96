/// A dense Float32 tensor: a shape and its values in contiguous row-major order.
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The values in row-major order. Mutate elements in place; changing the array's length breaks the
    /// tensor's invariant (`storage.count == shape.reduce(1, *)`), and operations trap on the mismatch.
    /// (No `didSet` check here: observing `oldValue` would copy the whole array on every element write.)
    public var storage: [Float]

    /// Creates a tensor of `shape` with every value set to `value`.
    public init(shape: [Int], repeating value: Float) {
        precondition(shape.allSatisfy { $0 >= 0 }, "shape \(shape) has a negative dimension")
        self.shape = shape
        self.storage = Array(repeating: value, count: shape.reduce(1, *))
    }

    /// Creates a tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// Creates a tensor from row-major `storage`.
    /// - Throws: `LearningError` `.storageCount` when `storage.count` differs from the product of `shape`,
    ///   `.negativeDimension` when a dimension is negative.
    public init(shape: [Int], storage: [Float]) throws(LearningError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw LearningError(.negativeDimension(shape: shape)) }
        let expected = shape.reduce(1, *)
        guard storage.count == expected else {
            throw LearningError(.storageCount(shape: shape, expected: expected, actual: storage.count))
        }
        self.shape = shape
        self.storage = storage
    }

    /// Creates a tensor whose shape and storage were already checked by the caller.
    init(unchecked shape: [Int], _ storage: [Float]) {
        assert(shape.reduce(1, *) == storage.count)
        self.shape = shape
        self.storage = storage
    }

    /// The number of elements (the product of `shape`).
    public var count: Int { storage.count }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// Returns the same values viewed with `newShape`.
    /// - Throws: `LearningError.Kind.reshape` when the element counts differ.
    public func reshaped(_ newShape: [Int]) throws(LearningError) -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }), newShape.reduce(1, *) == count else {
            throw LearningError(.reshape(from: shape, to: newShape))
        }
        return Tensor(unchecked: newShape, storage)
    }

    /// The row-major offset of `indices`; traps when an index is out of range.
    public func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "\(indices.count) indices for shape \(shape)")
        var offset = 0
        for (index, dimension) in zip(indices, shape) {
            precondition(index >= 0 && index < dimension, "index \(indices) out of range for shape \(shape)")
            offset = offset * dimension + index
        }
        return offset
    }

    /// The element at `indices` (one index per dimension).
    public subscript(_ indices: Int...) -> Float {
        get { storage[offset(indices)] }
        set { storage[offset(indices)] = newValue }
    }

    /// Rows and columns of a rank-2 tensor; traps for other ranks.
    var matrixShape: (rows: Int, columns: Int) {
        precondition(shape.count == 2, "expected a matrix, got shape \(shape)")
        precondition(storage.count == shape[0] * shape[1], "storage holds \(storage.count) values for shape \(shape)")
        return (shape[0], shape[1])
    }
}
