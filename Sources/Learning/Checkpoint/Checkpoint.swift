public import Foundation

/// A model saved to disk: its kind, free-form metadata (hyperparameters, training counters), named tensors in a
/// fixed order, and an optional vocabulary (the text model's tokenizer words).
///
/// The file format (version 1), all integers little-endian:
///
/// | bytes | content |
/// | --- | --- |
/// | 8 | magic `NSCKPT\r\n` (the CR LF pair catches text-mode mangling, as PNG's signature does) |
/// | 4 | format version (`UInt32`, currently 1) |
/// | 8 | header length in bytes (`UInt64`) |
/// | 8 | data length in bytes (`UInt64`) |
/// | header | kind, metadata sorted by key, vocabulary, then each tensor's name and shape |
///
/// In the header, strings are a `UInt32` byte count plus UTF-8, counts are `UInt32` and dimensions `UInt64`.
/// | data | every tensor's values as Float32, in header order |
/// | 4 | CRC-32 (IEEE) of every byte before it |
///
/// ```swift
/// let checkpoint = Checkpoint(kind: "text", metadata: ["steps": "1200"], tensors: [.init(name: "dense.bias", tensor: bias)])
/// try checkpoint.write(to: url)
/// let loaded = try Checkpoint.read(from: url)
/// let restored = try loaded.tensor(named: "dense.bias", shape: [2500])
/// ```
public struct Checkpoint: Sendable, Equatable {
    /// One tensor and the name a model uses for it (e.g. `"lstm.forward.kernel"`).
    public struct NamedTensor: Sendable, Equatable {
        /// The parameter's name, unique within a checkpoint.
        public var name: String
        /// The values.
        public var tensor: Tensor

        /// Pairs `tensor` with `name`.
        public init(name: String, tensor: Tensor) {
            self.name = name
            self.tensor = tensor
        }
    }

    /// The format version this build writes and reads.
    public static let formatVersion: UInt32 = 1
    /// The first eight bytes of every checkpoint file.
    public static let magic: [UInt8] = Array("NSCKPT\r\n".utf8)

    /// The model family, e.g. `"text"` or `"dcgan"`; readers check it with `requireKind(_:)`.
    public var kind: String
    /// Free-form string metadata (hyperparameters, step counts, dates).
    public var metadata: [String: String]
    /// The tensors, in the order they were added (and are stored).
    public var tensors: [NamedTensor]
    /// A vocabulary (e.g. the tokenizer's words by id); empty when the model has none.
    public var vocabulary: [String]
    /// The file this checkpoint was read from, used in errors; `nil` for one built in memory.
    /// Not part of equality.
    public internal(set) var path: String?

    /// Creates a checkpoint in memory.
    public init(kind: String, metadata: [String: String] = [:], tensors: [NamedTensor] = [], vocabulary: [String] = []) {
        self.kind = kind
        self.metadata = metadata
        self.tensors = tensors
        self.vocabulary = vocabulary
        self.path = nil
    }

    /// Equal when kind, metadata, tensors (names, shapes, bit-identical values aside from NaN) and vocabulary agree.
    public static func == (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
        lhs.kind == rhs.kind && lhs.metadata == rhs.metadata && lhs.tensors == rhs.tensors && lhs.vocabulary == rhs.vocabulary
    }

    /// The path errors name.
    var displayPath: String { path ?? "<in memory>" }

    /// Returns the tensor called `name`.
    /// - Throws: `CheckpointError.Kind.missingTensor` listing the names present.
    public func tensor(named name: String) throws(CheckpointError) -> Tensor {
        guard let entry = tensors.first(where: { $0.name == name }) else {
            throw CheckpointError(path: displayPath, .missingTensor(name: name, available: tensors.map(\.name)))
        }
        return entry.tensor
    }

    /// Returns the tensor called `name`, which must have exactly `shape`.
    /// - Throws: `CheckpointError.Kind.missingTensor` or `.shapeMismatch` (expected vs found).
    public func tensor(named name: String, shape: [Int]) throws(CheckpointError) -> Tensor {
        let found = try tensor(named: name)
        guard found.shape == shape else {
            throw CheckpointError(path: displayPath, .shapeMismatch(name: name, expected: shape, found: found.shape))
        }
        return found
    }

    /// Checks that the checkpoint holds a `kind` model.
    /// - Throws: `CheckpointError.Kind.wrongKind`.
    public func requireKind(_ kind: String) throws(CheckpointError) {
        guard self.kind == kind else { throw CheckpointError(path: displayPath, .wrongKind(expected: kind, found: self.kind)) }
    }

    /// Returns the metadata value for `key`.
    /// - Throws: `CheckpointError.Kind.missingMetadata`.
    public func metadata(_ key: String) throws(CheckpointError) -> String {
        guard let value = metadata[key] else { throw CheckpointError(path: displayPath, .missingMetadata(key: key)) }
        return value
    }

    /// Returns the metadata value for `key` parsed as an integer.
    /// - Throws: `CheckpointError.Kind.missingMetadata` or `.invalidMetadata`.
    public func integerMetadata(_ key: String) throws(CheckpointError) -> Int {
        let value = try metadata(key)
        guard let integer = Int(value) else { throw CheckpointError(path: displayPath, .invalidMetadata(key: key, value: value)) }
        return integer
    }

    /// Writes the checkpoint atomically: to a temporary file in the same directory, flushed, then renamed over `url`,
    /// so readers see either the old file or the complete new one.
    /// - Throws: `CheckpointError.Kind.writeFailed` naming `url`'s path.
    public func write(to url: URL) throws(CheckpointError) {
        let bytes = encoded()
        let directory = url.deletingLastPathComponent()
        let unique = "\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max))"
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(unique).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw CheckpointError(path: url.path, .writeFailed(reason: "\(temporary.path): \(error.localizedDescription)"))
        }
        // Flush the data before the rename makes it visible, so a crash cannot leave a renamed but empty file.
        let descriptor = open(temporary.path, O_RDONLY)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            _ = close(descriptor)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CheckpointError(path: url.path, .writeFailed(reason: "rename from \(temporary.lastPathComponent): \(reason)"))
        }
    }

    /// Reads and verifies the checkpoint at `url`.
    /// - Throws: `CheckpointError` naming `url`'s path: `.notFound`, `.unreadable`, `.badMagic`, `.unsupportedVersion`,
    ///   `.truncated`, `.trailingBytes`, `.checksumMismatch` or `.headerUnreadable`. Never traps, whatever the bytes.
    public static func read(from url: URL) throws(CheckpointError) -> Checkpoint {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError(path: path, .notFound)
        }
        guard !isDirectory.boolValue else { throw CheckpointError(path: path, .unreadable(reason: "it is a directory")) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError(path: path, .unreadable(reason: error.localizedDescription))
        }
        var checkpoint = try decode([UInt8](data), path: path)
        checkpoint.path = path
        return checkpoint
    }
}
