/// The sizes and training settings of a `LanguageModel`: Embedding(units, embeddingDimension) → LSTM(units) →
/// Dense(units) at every position, trained on fixed windows of `window` units with `batchSize` parallel streams.
public struct LanguageModelConfiguration: Codable, Sendable, Equatable {
    /// Word units the tokenizer may add beside the characters (0: a character-level model).
    public var maximumWords: Int
    /// The embedding width.
    public var embeddingDimension: Int
    /// LSTM units.
    public var hiddenUnits: Int
    /// Units per training window (the truncation length of backpropagation through time).
    public var window: Int
    /// Parallel streams per optimizer step.
    public var batchSize: Int
    /// Adam's step size.
    public var learningRate: Float
    /// Gradients are scaled down to this global norm when larger.
    public var gradientClip: Float
    /// Steps between held-out evaluations (early stopping looks at these).
    public var evaluationInterval: Int
    /// Training stops after this many evaluations without a new best held-out loss.
    public var patience: Int

    /// Creates a configuration.
    public init(
        maximumWords: Int = 0, embeddingDimension: Int = 32, hiddenUnits: Int = 256, window: Int = 64, batchSize: Int = 32,
        learningRate: Float = 3e-3, gradientClip: Float = 5, evaluationInterval: Int = 50, patience: Int = 4
    ) {
        precondition(maximumWords >= 0 && embeddingDimension >= 1 && hiddenUnits >= 1 && window >= 1 && batchSize >= 1
                         && gradientClip > 0 && evaluationInterval >= 1 && patience >= 1,
                     "invalid language model configuration")
        self.maximumWords = maximumWords
        self.embeddingDimension = embeddingDimension
        self.hiddenUnits = hiddenUnits
        self.window = window
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.gradientClip = gradientClip
        self.evaluationInterval = evaluationInterval
        self.patience = patience
    }

    /// Whether the values are usable (a checkpoint's configuration is checked with this).
    public var isValid: Bool {
        maximumWords >= 0 && embeddingDimension >= 1 && hiddenUnits >= 1 && window >= 1 && batchSize >= 1 && gradientClip > 0
            && evaluationInterval >= 1 && patience >= 1
    }

    /// The nightly title model: words seen 3 times or more as units (up to 500), other words spelled out; 128 units,
    /// windows of 32 over 16 streams (the titles are a few thousand characters in all). Chosen by held-out bits per
    /// character per CPU second on the demo catalogue (see `TextModelComparison`).
    public static let nightlyTitles = LanguageModelConfiguration(
        maximumWords: 500, hiddenUnits: 128, window: 32, batchSize: 16, evaluationInterval: 25)
    /// The nightly synopsis model: words seen 3 times or more as units (up to 2,500), other words spelled out; 256
    /// units, windows of 64 over 32 streams. Chosen as the title model was.
    public static let nightlySynopses = LanguageModelConfiguration(maximumWords: 2500, hiddenUnits: 256, window: 64, batchSize: 32)
}
