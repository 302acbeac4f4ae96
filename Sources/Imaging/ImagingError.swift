/// A failure to decode or encode image bytes, naming the file (or source) and the codec's reason.
///
/// `description` is the sentence a user reads: "cannot decode poster 42.jpg: Premature end of JPEG file".
public struct ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether bytes were being read or written.
    public enum Operation: String, Sendable, Equatable {
        /// Bytes were being read into an image.
        case decode
        /// An image was being written as bytes.
        case encode
    }

    /// The file or source the bytes came from (for encoding: what was being encoded, e.g. "64×64 image as PNG").
    public let name: String
    /// libpng's message, `tjGetErrorStr2`'s text, "not a PNG or JPEG file", "truncated", or a size-limit sentence.
    public let reason: String
    /// Decoding (the default) or encoding.
    public let operation: Operation

    /// Creates an error; `operation` defaults to `.decode`.
    public init(name: String, reason: String, operation: Operation = .decode) {
        self.name = name
        self.reason = reason
        self.operation = operation
    }

    /// "cannot decode poster 42.jpg: Premature end of JPEG file".
    public var description: String { "cannot \(operation.rawValue) \(name): \(reason)" }
}
