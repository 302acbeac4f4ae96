/// What one `TextModel.train` call did.
public struct TextTrainingSummary: Sendable, Equatable {
    /// Optimizer steps taken.
    public var steps: Int
    /// Passes over the data, counting a partial last pass as a fraction (e.g. 2.5).
    public var epochs: Double
    /// The loss of the last step (`nan` when no step ran).
    public var finalLoss: Float
    /// The example-weighted mean loss over every step of the call (`nan` when no step ran).
    public var meanLoss: Float
    /// Training examples processed per second.
    public var examplesPerSecond: Double
    /// Wall time of the call.
    public var elapsed: Duration

    /// Creates a summary.
    public init(steps: Int, epochs: Double, finalLoss: Float, meanLoss: Float, examplesPerSecond: Double, elapsed: Duration) {
        self.steps = steps
        self.epochs = epochs
        self.finalLoss = finalLoss
        self.meanLoss = meanLoss
        self.examplesPerSecond = examplesPerSecond
        self.elapsed = elapsed
    }
}
