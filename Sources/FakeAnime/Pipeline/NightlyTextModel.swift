public import Foundation
public import Learning

/// A title or synopsis model as the registry holds it: the LSTM language model the nightly run trains since issue 10,
/// or a word BiLSTM (`TextModel`) checkpoint written before it, which still loads so an accepted old version keeps
/// generating and can be scored against a new candidate.
public enum NightlyTextModel: Sendable {
    /// The language model over characters (and frequent words), checkpoint kind "language-model".
    case language(LanguageModel)
    /// The inherited word BiLSTM, checkpoint kind "text".
    case wordBiLSTM(TextModel)

    /// Reads a checkpoint of either kind.
    /// - Throws: `CheckpointError` naming `url`'s file: unreadable, invalid, or of another kind (e.g. a poster GAN's),
    ///   in which case the message names both accepted kinds.
    public static func load(from url: URL) throws(CheckpointError) -> NightlyTextModel {
        let checkpoint = try Checkpoint.read(from: url)
        switch checkpoint.kind {
        case LanguageModel.checkpointKind: return .language(try LanguageModel(checkpoint: checkpoint))
        case TextModel.checkpointKind: return .wordBiLSTM(try TextModel(checkpoint: checkpoint))
        default:
            throw CheckpointError(path: url.path, .wrongKind(
                expected: "\(LanguageModel.checkpointKind)\" or \"\(TextModel.checkpointKind)", found: checkpoint.kind))
        }
    }

    /// "LSTM language model (256 units, 83 units of text)" or "word BiLSTM (…)", for logs and version metadata.
    public var summary: String {
        switch self {
        case .language(let model):
            let units = model.tokenizer.wordCount > 0
                ? "\(model.tokenizer.characterCount) characters + \(model.tokenizer.wordCount) words"
                : "\(model.tokenizer.characterCount) characters"
            return "LSTM language model, \(model.configuration.hiddenUnits) units over \(units), window \(model.configuration.window)"
        case .wordBiLSTM(let model):
            return "word BiLSTM K=\(model.configuration.vocabularySize) L=\(model.configuration.inputLength)"
        }
    }

    /// The held-out score of `lines` in bits per character (what the quality gate compares), or nil when there is
    /// nothing to score.
    ///
    /// The word BiLSTM's score is a lower bound: it is charged only for the words it predicts (the first word of each
    /// line, punctuation, case and words outside its vocabulary cost it nothing), divided by the same characters.
    public func heldOutScore(_ lines: [String]) throws -> HeldOutScore? {
        let kept = lines.filter { !$0.isEmpty }
        guard !kept.isEmpty else { return nil }
        switch self {
        case .language(let model):
            return model.score(kept)
        case .wordBiLSTM(let model):
            let sequences = TextModel.sequences(from: kept, tokenizer: model.tokenizer, inputLength: model.configuration.inputLength)
            guard sequences.count > 0 else { return nil }
            let nats = Double(try model.meanLoss(on: sequences)) * Double(sequences.count)
            return HeldOutScore(bits: nats / log(2), characters: HeldOutScore.characters(in: kept), units: sequences.count)
        }
    }
}
