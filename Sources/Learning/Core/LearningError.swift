/// An error raised by module Learning; `description` names the offending shape, value or id.
public struct LearningError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// A storage array whose length does not match the element count of `shape`.
        case storageCount(shape: [Int], expected: Int, actual: Int)
        /// A reshape to a shape with a different element count.
        case reshape(from: [Int], to: [Int])
        /// A negative dimension in a shape.
        case negativeDimension(shape: [Int])
        /// A token id outside `0..<vocabularySize`.
        case idOutOfRange(id: Int, vocabularySize: Int)
        /// A class label outside `0..<classes`.
        case labelOutOfRange(label: Int, classes: Int)
        /// The BLAS library could not be loaded.
        case blasUnavailable(reason: String)
        /// Training or evaluation sequences whose input length differs from the model's.
        case sequenceLength(expected: Int, actual: Int)
    }

    /// What went wrong.
    public let kind: Kind

    /// Creates an error of `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    /// The sentence a user reads.
    public var description: String {
        switch kind {
        case let .storageCount(shape, expected, actual):
            "tensor of shape \(shape) needs \(expected) values, got \(actual)"
        case let .reshape(from, to):
            "cannot reshape \(from) (\(from.reduce(1, *)) values) to \(to) (\(to.reduce(1, *)) values)"
        case let .negativeDimension(shape):
            "shape \(shape) has a negative dimension"
        case let .idOutOfRange(id, vocabularySize):
            "token id \(id) is outside 0..<\(vocabularySize)"
        case let .labelOutOfRange(label, classes):
            "label \(label) is outside 0..<\(classes)"
        case let .blasUnavailable(reason):
            "OpenBLAS could not be loaded (\(reason)); install libopenblas-dev"
        case let .sequenceLength(expected, actual):
            "sequences have input length \(actual), the model reads \(expected)"
        }
    }
}
