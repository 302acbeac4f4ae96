/// A language model's cross-entropy on some text, in bits, with what it is divided by to compare tokenisations:
/// the text's characters, each line counting one more for its end (as a newline would).
public struct HeldOutScore: Sendable, Equatable, Codable {
    /// Total cross-entropy in bits.
    public var bits: Double
    /// Characters scored: each line's characters plus one for its end.
    public var characters: Int
    /// Units predicted (the model's own positions).
    public var units: Int

    public init(bits: Double, characters: Int, units: Int) {
        self.bits = bits
        self.characters = characters
        self.units = units
    }

    /// Bits per character (`nan` for no text).
    public var bitsPerCharacter: Double { characters > 0 ? bits / Double(characters) : .nan }

    /// The characters a score divides by for `lines`: each line's characters plus one for its end.
    public static func characters(in lines: [String]) -> Int { lines.reduce(0) { $0 + $1.count + 1 } }
}
