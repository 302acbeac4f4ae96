/// What one `DCGAN.train(images:budget:seed:progress:)` call did.
public struct GANTrainingSummary: Sendable, Equatable {
    /// Training iterations taken.
    public var steps: Int
    /// Epochs begun (passes over the images, the last possibly cut short by the budget).
    public var epochs: Int
    /// Both losses of the last step: `["discriminator": …, "generator": …]` (NaN when no step ran).
    public var losses: [String: Float]
    /// Both losses averaged over every step of the call (empty when no step ran).
    public var meanLosses: [String: Float]
    /// Real images trained on per second.
    public var imagesPerSecond: Double
    /// Wall time of the call.
    public var elapsed: Duration

    /// Creates a summary.
    public init(steps: Int, epochs: Int, losses: [String: Float], meanLosses: [String: Float], imagesPerSecond: Double, elapsed: Duration) {
        self.steps = steps
        self.epochs = epochs
        self.losses = losses
        self.meanLosses = meanLosses
        self.imagesPerSecond = imagesPerSecond
        self.elapsed = elapsed
    }
}
