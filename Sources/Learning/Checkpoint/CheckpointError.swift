/// A checkpoint that could not be written, read or used; `description` names the file and the problem.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// No file at the path.
        case notFound
        /// The file exists but could not be read (permissions, a directory, an I/O error).
        case unreadable(reason: String)
        /// The file or its temporary sibling could not be written or renamed into place.
        case writeFailed(reason: String)
        /// The file does not start with the checkpoint magic bytes (not a checkpoint).
        case badMagic
        /// A format version this build cannot read.
        case unsupportedVersion(found: UInt32, supported: UInt32)
        /// The file is shorter than its preamble says (cut off while copying or writing).
        case truncated(expectedBytes: Int, actualBytes: Int)
        /// The file is longer than its preamble says.
        case trailingBytes(expectedBytes: Int, actualBytes: Int)
        /// The CRC-32 stored at the end differs from the one computed over the rest of the file.
        case checksumMismatch(stored: UInt32, computed: UInt32)
        /// The header passed the checksum but does not describe a valid checkpoint.
        case headerUnreadable(reason: String)
        /// A tensor the reader needs is not in the checkpoint.
        case missingTensor(name: String, available: [String])
        /// A tensor has a different shape than the reader expects.
        case shapeMismatch(name: String, expected: [Int], found: [Int])
        /// The checkpoint holds another kind of model (e.g. `"dcgan"` where `"text"` was expected).
        case wrongKind(expected: String, found: String)
        /// A metadata entry the reader needs is absent.
        case missingMetadata(key: String)
        /// A metadata entry has a value the reader cannot use.
        case invalidMetadata(key: String, value: String)
        /// The stored vocabulary cannot be the model's (e.g. a repeated word, or more words than the model has ids).
        case invalidVocabulary(reason: String)
    }

    /// The checkpoint's file path, or `"<in memory>"` for a checkpoint that was never read from a file.
    public let path: String
    /// What went wrong.
    public let kind: Kind

    /// Creates an error about the checkpoint at `path`.
    public init(path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The sentence a user reads.
    public var description: String {
        let problem: String
        switch kind {
        case .notFound:
            problem = "no such file"
        case let .unreadable(reason):
            problem = "cannot be read (\(reason))"
        case let .writeFailed(reason):
            problem = "cannot be written (\(reason))"
        case .badMagic:
            problem = "not a Nightshift checkpoint (bad magic bytes)"
        case let .unsupportedVersion(found, supported):
            problem = "format version \(found) is not supported (this build reads version \(supported))"
        case let .truncated(expected, actual):
            problem = "truncated: the header promises \(expected) bytes, the file has \(actual)"
        case let .trailingBytes(expected, actual):
            problem = "\(actual - expected) unexpected trailing bytes (the header promises \(expected), the file has \(actual))"
        case let .checksumMismatch(stored, computed):
            problem = "corrupt: stored CRC-32 \(hex(stored)), computed \(hex(computed))"
        case let .headerUnreadable(reason):
            problem = "header unreadable: \(reason)"
        case let .missingTensor(name, available):
            problem = "no tensor '\(name)' (it has: \(available.joined(separator: ", ")))"
        case let .shapeMismatch(name, expected, found):
            problem = "tensor '\(name)' has shape \(found), expected \(expected)"
        case let .wrongKind(expected, found):
            problem = "holds a '\(found)' model, expected '\(expected)'"
        case let .missingMetadata(key):
            problem = "metadata '\(key)' is missing"
        case let .invalidMetadata(key, value):
            problem = "metadata '\(key)' has an invalid value '\(value)'"
        case let .invalidVocabulary(reason):
            problem = "invalid vocabulary: \(reason)"
        }
        return "checkpoint \(path): \(problem)"
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
