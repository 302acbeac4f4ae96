/// Scratch memory that convolutions reuse across calls: the unfolded column matrices of a chunk of images and
/// the gathered operands of its `sgemm`. Keep one per training step or generation call and pass it to every layer;
/// it grows to the largest request and is never shrunk.
///
/// Convolutions unfold several images into one column matrix (one large `sgemm` instead of many small ones)
/// while the matrix stays within `columnBudget` values; an image that alone exceeds it is processed by itself.
public struct ConvolutionWorkspace: Sendable {
    /// The default budget: 2²⁵ values (128 MiB).
    public static let defaultColumnBudget = 1 << 25

    /// The largest column matrix, in values, that batching several images may build.
    public var columnBudget: Int
    private var storage: [Float] = []

    /// Creates an empty workspace.
    /// - Parameter columnBudget: the largest column matrix, in values, that batching several images may build.
    public init(columnBudget: Int = ConvolutionWorkspace.defaultColumnBudget) {
        precondition(columnBudget > 0, "column budget must be positive, got \(columnBudget)")
        self.columnBudget = columnBudget
    }

    /// The values currently reserved.
    public var capacity: Int { storage.count }

    /// How many of `batch` images to process together when each needs `valuesPerImage` scratch values.
    func imagesPerChunk(batch: Int, valuesPerImage: Int) -> Int {
        max(1, min(batch, columnBudget / max(valuesPerImage, 1)))
    }

    /// Runs `body` with at least `count` scratch values (contents unspecified).
    mutating func withScratch<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        if storage.count < count { storage = [Float](repeating: 0, count: count) }
        return storage.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
