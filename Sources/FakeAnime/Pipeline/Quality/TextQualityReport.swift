/// The text figures of one set of samples (``TextQuality/report(samples:training:heldOutBitsPerCharacter:)``).
public struct TextQualityReport: Sendable, Equatable, Codable {
    /// How many texts were judged.
    public var samples: Int
    /// Distinct bigrams / bigrams over the batch (higher is more varied).
    public var distinct2: Double
    /// Mean share of repeated 4-grams within a text (0 is no repetition).
    public var rep4: Double
    /// Share of the samples' word 8-grams absent from the training text; nil when no sample has 8 words (titles).
    public var novel8: Double?
    /// The most consecutive words a sample shares with one training text.
    public var longestSharedRun: Int
    /// Those words.
    public var sharedRun: String
    /// Samples equal (word for word) to a training text: titles reproduced.
    public var exactCopies: Int
    /// The first of them.
    public var exampleCopy: String?
    /// The model's held-out bits per character, when known.
    public var heldOutBitsPerCharacter: Double?

    public init(
        samples: Int, distinct2: Double, rep4: Double, novel8: Double?, longestSharedRun: Int, sharedRun: String, exactCopies: Int,
        exampleCopy: String?, heldOutBitsPerCharacter: Double?
    ) {
        self.samples = samples
        self.distinct2 = distinct2
        self.rep4 = rep4
        self.novel8 = novel8
        self.longestSharedRun = longestSharedRun
        self.sharedRun = sharedRun
        self.exactCopies = exactCopies
        self.exampleCopy = exampleCopy
        self.heldOutBitsPerCharacter = heldOutBitsPerCharacter
    }

    /// The figures by name with `prefix` (`titles`, `synopses`), as recorded on the run and in `meta.json`.
    public func metrics(prefix: String) -> [String: Double] {
        var metrics = [
            "\(prefix)_distinct2": distinct2, "\(prefix)_rep4": rep4, "\(prefix)_longest_shared_run": Double(longestSharedRun),
            "\(prefix)_exact_copies": Double(exactCopies),
        ]
        if let novel8 { metrics["\(prefix)_novel8"] = novel8 }
        if let heldOutBitsPerCharacter { metrics["\(prefix)_heldout_bits_per_char"] = heldOutBitsPerCharacter }
        return metrics
    }

    enum CodingKeys: String, CodingKey {
        case samples, distinct2, rep4, novel8
        case longestSharedRun = "longest_shared_run", sharedRun = "shared_run", exactCopies = "exact_copies", exampleCopy = "example_copy"
        case heldOutBitsPerCharacter = "heldout_bits_per_char"
    }
}
