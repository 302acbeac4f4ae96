/// What one `LanguageModel.train` call did.
public struct LanguageTrainingSummary: Sendable, Equatable {
    /// Optimizer steps taken.
    public var steps: Int
    /// Passes over the training stream, counting a partial last pass as a fraction.
    public var epochs: Double
    /// The mean loss (nats per unit) of the last step (`nan` when no step ran).
    public var finalLoss: Float
    /// The unit-weighted mean training loss over every step of the call (`nan` when no step ran).
    public var meanLoss: Float
    /// Training units processed per second.
    public var unitsPerSecond: Double
    /// Wall time of the call.
    public var elapsed: Duration
    /// The held-out score of the weights kept (the best one evaluated), nil without held-out lines.
    public var bestHeldOut: HeldOutScore?
    /// The step whose weights were kept.
    public var bestStep: Int
    /// Whether training stopped because the held-out loss stopped improving (`patience` evaluations).
    public var stoppedEarly: Bool
    /// Held-out bits per character at each evaluation, by step.
    public var evaluations: [Evaluation]

    /// One held-out evaluation during training.
    public struct Evaluation: Sendable, Equatable {
        public var step: Int
        public var bitsPerCharacter: Double
    }
}
