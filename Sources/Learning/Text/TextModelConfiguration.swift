/// The sizes and training settings of a `TextModel`: Embedding(vocabularySize, embeddingDimension) →
/// bidirectional LSTM (unitsPerDirection each way, last states concatenated) → Dense(vocabularySize) with softmax
/// cross-entropy, trained with Adam.
public struct TextModelConfiguration: Codable, Sendable, Equatable {
    /// Output classes and embedding rows: the tokenizer's `maximumWords` (Keras `num_words`).
    public var vocabularySize: Int
    /// Token ids per example; generation pads or truncates the text so far to it.
    public var inputLength: Int
    /// The embedding width.
    public var embeddingDimension: Int
    /// LSTM units per direction.
    public var unitsPerDirection: Int
    /// Examples per optimizer step.
    public var batchSize: Int
    /// Adam's step size.
    public var learningRate: Float
    /// `train` reports progress every this many steps (and after the last step).
    public var progressInterval: Int

    /// Creates a configuration; the defaults are the original app's layer sizes and training settings.
    public init(
        vocabularySize: Int, inputLength: Int, embeddingDimension: Int = 64, unitsPerDirection: Int = 20,
        batchSize: Int = 32, learningRate: Float = 1e-3, progressInterval: Int = 100
    ) {
        precondition(vocabularySize >= 2 && inputLength >= 1 && embeddingDimension >= 1 && unitsPerDirection >= 1
                         && batchSize >= 1 && progressInterval >= 1,
                     "invalid text model configuration")
        self.vocabularySize = vocabularySize
        self.inputLength = inputLength
        self.embeddingDimension = embeddingDimension
        self.unitsPerDirection = unitsPerDirection
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.progressInterval = progressInterval
    }

    /// The original title model: 500 words, every title joined into one line, so inputs of 593 ids.
    public static let originalTitles = TextModelConfiguration(vocabularySize: 500, inputLength: 593)
    /// The original synopsis model: 2,500 words, inputs of 176 ids (the longest paragraph minus its label).
    public static let originalSynopses = TextModelConfiguration(vocabularySize: 2500, inputLength: 176)
    /// Titles sized for a nightly CPU run: the original layers, but only the last 12 ids of context
    /// (a title is 2–4 words, so longer contexts only carry other titles).
    public static let nightlyTitles = TextModelConfiguration(vocabularySize: 500, inputLength: 12)
    /// Synopses sized for a nightly CPU run: the original layers with the last 40 ids of context
    /// (about 4x cheaper per step than 176).
    public static let nightlySynopses = TextModelConfiguration(vocabularySize: 2500, inputLength: 40)
}
