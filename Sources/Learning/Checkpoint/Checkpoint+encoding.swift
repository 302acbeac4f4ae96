extension Checkpoint {
    /// Bytes before the header: magic, version, header length, data length.
    static let preambleSize = 8 + 4 + 8 + 8

    /// The checkpoint in the file format described on `Checkpoint`.
    public func encoded() -> [UInt8] {
        var header: [UInt8] = []
        header.appendString(kind)
        header.appendUInt32(UInt32(metadata.count))
        for key in metadata.keys.sorted() {
            header.appendString(key)
            header.appendString(metadata[key]!)
        }
        header.appendUInt32(UInt32(vocabulary.count))
        for word in vocabulary { header.appendString(word) }
        header.appendUInt32(UInt32(tensors.count))
        var dataLength = 0
        for entry in tensors {
            header.appendString(entry.name)
            header.appendUInt32(UInt32(entry.tensor.rank))
            for dimension in entry.tensor.shape { header.appendUInt64(UInt64(dimension)) }
            dataLength += entry.tensor.count * 4
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.preambleSize + header.count + dataLength + 4)
        bytes.append(contentsOf: Self.magic)
        bytes.appendUInt32(Self.formatVersion)
        bytes.appendUInt64(UInt64(header.count))
        bytes.appendUInt64(UInt64(dataLength))
        bytes.append(contentsOf: header)
        for entry in tensors {
            for value in entry.tensor.storage { bytes.appendUInt32(value.bitPattern) }
        }
        bytes.appendUInt32(CRC32.checksum(bytes))
        return bytes
    }

    /// Decodes and verifies checkpoint `bytes`; errors name `path`. Never traps, whatever the bytes.
    /// - Throws: `CheckpointError` (`.badMagic`, `.unsupportedVersion`, `.truncated`, `.trailingBytes`,
    ///   `.checksumMismatch`, `.headerUnreadable`).
    public static func decode(_ bytes: [UInt8], path: String) throws(CheckpointError) -> Checkpoint {
        func fail(_ kind: CheckpointError.Kind) -> CheckpointError { CheckpointError(path: path, kind) }
        let magicLength = Self.magic.count
        guard bytes.count >= magicLength else {
            // A prefix of the magic is a cut-off checkpoint; anything else is another kind of file.
            if Array(Self.magic.prefix(bytes.count)) == bytes && !bytes.isEmpty {
                throw fail(.truncated(expectedBytes: Self.preambleSize + 4, actualBytes: bytes.count))
            }
            throw fail(bytes.isEmpty ? .truncated(expectedBytes: Self.preambleSize + 4, actualBytes: 0) : .badMagic)
        }
        guard Array(bytes[0..<magicLength]) == Self.magic else { throw fail(.badMagic) }
        var preamble = ByteReader(bytes: bytes, offset: magicLength, end: bytes.count)
        guard let version = preamble.uint32() else {
            throw fail(.truncated(expectedBytes: Self.preambleSize + 4, actualBytes: bytes.count))
        }
        guard version == Self.formatVersion else { throw fail(.unsupportedVersion(found: version, supported: Self.formatVersion)) }
        guard let headerLength = preamble.uint64(), let dataLength = preamble.uint64() else {
            throw fail(.truncated(expectedBytes: Self.preambleSize + 4, actualBytes: bytes.count))
        }
        // Lengths beyond what any array can hold are a corrupt preamble; report them as an impossible size.
        let limit = UInt64(Int.max / 4)
        guard headerLength < limit, dataLength < limit else {
            throw fail(.truncated(expectedBytes: Int.max, actualBytes: bytes.count))
        }
        let expected = Self.preambleSize + Int(headerLength) + Int(dataLength) + 4
        guard bytes.count >= expected else { throw fail(.truncated(expectedBytes: expected, actualBytes: bytes.count)) }
        guard bytes.count == expected else { throw fail(.trailingBytes(expectedBytes: expected, actualBytes: bytes.count)) }

        var trailer = ByteReader(bytes: bytes, offset: expected - 4, end: expected)
        let stored = trailer.uint32()!
        let computed = bytes.withUnsafeBufferPointer { CRC32.checksum(UnsafeBufferPointer(rebasing: $0[0..<(expected - 4)])) }
        guard stored == computed else { throw fail(.checksumMismatch(stored: stored, computed: computed)) }

        let headerEnd = Self.preambleSize + Int(headerLength)
        var header = ByteReader(bytes: bytes, offset: Self.preambleSize, end: headerEnd)
        func unreadable(_ reason: String) -> CheckpointError { fail(.headerUnreadable(reason: reason)) }
        guard let kind = header.string() else { throw unreadable("the kind is cut off or not UTF-8") }
        guard let metadataCount = header.count() else { throw unreadable("the metadata count is cut off") }
        var metadata: [String: String] = [:]
        for index in 0..<metadataCount {
            guard let key = header.string(), let value = header.string() else {
                throw unreadable("metadata entry \(index) of \(metadataCount) is cut off or not UTF-8")
            }
            metadata[key] = value
        }
        guard let vocabularyCount = header.count() else { throw unreadable("the vocabulary count is cut off") }
        var vocabulary: [String] = []
        for index in 0..<vocabularyCount {
            guard let word = header.string() else { throw unreadable("vocabulary word \(index) of \(vocabularyCount) is cut off or not UTF-8") }
            vocabulary.append(word)
        }
        guard let tensorCount = header.count() else { throw unreadable("the tensor count is cut off") }
        var layout: [(name: String, shape: [Int])] = []
        var totalValues = 0
        for index in 0..<tensorCount {
            guard let name = header.string() else { throw unreadable("the name of tensor \(index) is cut off or not UTF-8") }
            guard let rank = header.count(), rank <= 16 else { throw unreadable("tensor '\(name)' has a cut-off or implausible rank") }
            var shape: [Int] = []
            var values = 1
            for _ in 0..<rank {
                guard let dimension = header.uint64(), dimension < limit else {
                    throw unreadable("tensor '\(name)' has a cut-off or implausible shape")
                }
                shape.append(Int(dimension))
                let (product, overflow) = values.multipliedReportingOverflow(by: Int(dimension))
                guard !overflow, product < Int(limit) else { throw unreadable("tensor '\(name)' with shape \(shape)… is too large") }
                values = product
            }
            layout.append((name, shape))
            totalValues += values
            guard totalValues <= Int(dataLength) / 4 else {
                throw unreadable("tensor '\(name)' \(shape) runs past the \(dataLength) data bytes")
            }
        }
        guard header.offset == headerEnd else { throw unreadable("\(headerEnd - header.offset) unused header bytes") }
        guard totalValues * 4 == Int(dataLength) else {
            throw unreadable("the tensors need \(totalValues * 4) data bytes, the preamble says \(dataLength)")
        }

        var data = ByteReader(bytes: bytes, offset: headerEnd, end: expected - 4)
        var tensors: [NamedTensor] = []
        tensors.reserveCapacity(layout.count)
        for (name, shape) in layout {
            let count = shape.reduce(1, *)
            let storage = data.floats(count)!
            tensors.append(NamedTensor(name: name, tensor: Tensor(unchecked: shape, storage)))
        }
        return Checkpoint(kind: kind, metadata: metadata, tensors: tensors, vocabulary: vocabulary)
    }
}

/// A bounds-checked little-endian reader over a byte array: every read returns `nil` instead of reading past `end`.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    mutating func uint32() -> UInt32? {
        guard end - offset >= 4 else { return nil }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[offset + i]) << (8 * i) }
        offset += 4
        return value
    }

    mutating func uint64() -> UInt64? {
        guard end - offset >= 8 else { return nil }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[offset + i]) << (8 * i) }
        offset += 8
        return value
    }

    /// A `UInt32` count that cannot exceed the bytes left (each counted item takes at least 4 bytes).
    mutating func count() -> Int? {
        guard let value = uint32(), Int(value) <= (end - offset) / 4 else { return nil }
        return Int(value)
    }

    mutating func string() -> String? {
        guard let length = uint32(), Int(length) <= end - offset else { return nil }
        let slice = bytes[offset..<(offset + Int(length))]
        offset += Int(length)
        return String(validating: slice, as: UTF8.self)
    }

    mutating func floats(_ count: Int) -> [Float]? {
        guard count >= 0, (end - offset) / 4 >= count else { return nil }
        let start = offset
        offset += count * 4
        return bytes.withUnsafeBufferPointer { buffer in
            [Float](unsafeUninitializedCapacity: count) { values, initialized in
                for i in 0..<count {
                    let p = start + 4 * i
                    let bits = UInt32(buffer[p]) | UInt32(buffer[p + 1]) << 8 | UInt32(buffer[p + 2]) << 16 | UInt32(buffer[p + 3]) << 24
                    values[i] = Float(bitPattern: bits)
                }
                initialized = count
            }
        }
    }
}

extension [UInt8] {
    fileprivate mutating func appendUInt32(_ value: UInt32) {
        for i in 0..<4 { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    fileprivate mutating func appendUInt64(_ value: UInt64) {
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    fileprivate mutating func appendString(_ string: String) {
        let utf8 = Array(string.utf8)
        appendUInt32(UInt32(utf8.count))
        append(contentsOf: utf8)
    }
}
