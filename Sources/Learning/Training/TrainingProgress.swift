/// One progress report from a training loop, passed to the caller's callback so a task can log it and record
/// metrics (the dashboard plots them).
public struct TrainingProgress: Sendable, Equatable {
    /// Optimizer steps (batches) taken so far in this call, from 1.
    public var step: Int
    /// The epoch the step belongs to, from 1 (a GAN counts passes over its images).
    public var epoch: Int
    /// The main loss of the step (text: cross-entropy; GAN: the generator's loss).
    public var loss: Float
    /// Every loss of the step by name (text: `["loss": …]`; GAN: `["discriminator": …, "generator": …]`).
    public var losses: [String: Float]
    /// Training examples (sequences, images) processed per second so far.
    public var examplesPerSecond: Double
    /// Time since training began.
    public var elapsed: Duration

    public init(step: Int, epoch: Int, loss: Float, losses: [String: Float], examplesPerSecond: Double, elapsed: Duration) {
        self.step = step
        self.epoch = epoch
        self.loss = loss
        self.losses = losses
        self.examplesPerSecond = examplesPerSecond
        self.elapsed = elapsed
    }
}

/// How much a training call may do: it stops at the first limit reached. At least one limit must be set.
public struct TrainingBudget: Sendable, Equatable, Codable {
    /// Full passes over the data.
    public var epochs: Int?
    /// Optimizer steps (batches).
    public var steps: Int?
    /// Wall time; checked between steps, so a call may overrun by one step.
    public var timeLimit: Duration?

    public init(epochs: Int? = nil, steps: Int? = nil, timeLimit: Duration? = nil) {
        precondition(epochs != nil || steps != nil || timeLimit != nil, "a training budget needs epochs, steps or a time limit")
        precondition((epochs ?? 1) >= 0 && (steps ?? 1) >= 0, "a training budget cannot be negative")
        self.epochs = epochs
        self.steps = steps
        self.timeLimit = timeLimit
    }
}
