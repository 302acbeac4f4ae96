/// The three models the nightly pipeline trains.
public enum ModelKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The word-level BiLSTM over show titles.
    case titles
    /// The word-level BiLSTM over synopses.
    case synopses
    /// The DCGAN over posters.
    case posters

    public var description: String { rawValue }
}
