import Foundation
import Learning
import Testing

@Suite struct CheckpointTests {
    /// A checkpoint with every header feature: metadata, a vocabulary with non-ASCII words, tensors of several ranks
    /// including an empty one, and awkward float values.
    static func sample() throws -> Checkpoint {
        let special = try Tensor(shape: [2, 3], storage: [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, 1.5e-38])
        return Checkpoint(
            kind: "text",
            metadata: ["steps": "1200", "vocabularySize": "7", "note": "ünïcode ✓"],
            tensors: [
                .init(name: "embedding.table", tensor: GradientCheck.random([7, 4], seed: 1)),
                .init(name: "special", tensor: special),
                .init(name: "empty", tensor: .zeros([0, 5])),
                .init(name: "scalarish", tensor: .zeros([1])),
            ],
            vocabulary: ["", "the", "dragon", "café", "東京"])
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func bits(_ tensor: Tensor) -> [UInt32] { tensor.storage.map(\.bitPattern) }

    /// Recomputes the trailing CRC-32 so a deliberately edited header reaches the header parser.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        bytes.removeLast(4)
        let crc = crc32(bytes)
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: crc >> (8 * i))) }
        return bytes
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    static func kind(of body: () throws -> Checkpoint) -> CheckpointError.Kind? {
        do {
            _ = try body()
            return nil
        } catch let error as CheckpointError {
            return error.kind
        } catch {
            return nil
        }
    }

    @Test func fileRoundTripIsBitIdentical() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.nsckpt")
        let original = try Self.sample()
        try original.write(to: url)
        let loaded = try Checkpoint.read(from: url)
        #expect(loaded == original)
        #expect(loaded.path == url.path)
        #expect(loaded.tensors.map(\.name) == ["embedding.table", "special", "empty", "scalarish"])
        for (a, b) in zip(original.tensors, loaded.tensors) {
            #expect(a.tensor.shape == b.tensor.shape)
            #expect(Self.bits(a.tensor) == Self.bits(b.tensor))
        }
        #expect(loaded.vocabulary == original.vocabulary)
        // Deterministic bytes: metadata is sorted, so equal checkpoints encode identically.
        #expect(loaded.encoded() == original.encoded())
        #expect(Data(original.encoded()) == (try Data(contentsOf: url)))
    }

    @Test func nanPayloadsSurviveBitForBit() throws {
        let nan = Float(bitPattern: 0x7FC0_1234)
        let checkpoint = Checkpoint(kind: "x", tensors: [.init(name: "n", tensor: try Tensor(shape: [1], storage: [nan]))])
        let decoded = try Checkpoint.decode(checkpoint.encoded(), path: "mem")
        #expect(try decoded.tensor(named: "n").storage[0].bitPattern == 0x7FC0_1234)
    }

    @Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.nsckpt")
        try Checkpoint(kind: "old").write(to: url)
        try Self.sample().write(to: url)
        #expect(try Checkpoint.read(from: url).kind == "text")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.nsckpt"])
    }

    @Test func writeIntoAMissingDirectoryNamesThePath() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.nsckpt")
        let error = #expect(throws: CheckpointError.self) { try Checkpoint(kind: "text").write(to: url) }
        #expect(error?.path == url.path)
        guard case .writeFailed = error?.kind else { Issue.record("expected writeFailed, got \(String(describing: error))"); return }
        #expect(error?.description.contains(url.path) == true)
    }

    @Test func missingFileAndDirectoryAreReportedWithTheirPath() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("absent.nsckpt")
        #expect(throws: CheckpointError(path: missing.path, .notFound)) { try Checkpoint.read(from: missing) }
        #expect(throws: CheckpointError(path: directory.path, .unreadable(reason: "it is a directory"))) {
            try Checkpoint.read(from: directory)
        }
        let description = CheckpointError(path: missing.path, .notFound).description
        #expect(description == "checkpoint \(missing.path): no such file")
    }

    @Test func badMagicAndUnsupportedVersion() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("image.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: url)
        #expect(throws: CheckpointError(path: url.path, .badMagic)) { try Checkpoint.read(from: url) }

        var bytes = try Self.sample().encoded()
        bytes[8] = 2  // version 2
        #expect(throws: CheckpointError(path: "v2", .unsupportedVersion(found: 2, supported: 1))) {
            try Checkpoint.decode(bytes, path: "v2")
        }
        #expect(throws: CheckpointError(path: "short", .badMagic)) { try Checkpoint.decode(Array("hello".utf8), path: "short") }
    }

    @Test func truncationReportsExpectedAndActualBytes() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("cut.nsckpt")
        let bytes = try Self.sample().encoded()
        try Data(bytes.prefix(bytes.count - 10)).write(to: url)
        #expect(throws: CheckpointError(path: url.path, .truncated(expectedBytes: bytes.count, actualBytes: bytes.count - 10))) {
            try Checkpoint.read(from: url)
        }
        #expect(throws: CheckpointError(path: "p", .truncated(expectedBytes: 32, actualBytes: 0))) { try Checkpoint.decode([], path: "p") }
        #expect(throws: CheckpointError(path: "p", .truncated(expectedBytes: 32, actualBytes: 3))) {
            try Checkpoint.decode(Array(bytes.prefix(3)), path: "p")
        }
        #expect(throws: CheckpointError(path: "p", .trailingBytes(expectedBytes: bytes.count, actualBytes: bytes.count + 1))) {
            try Checkpoint.decode(bytes + [0], path: "p")
        }
    }

    @Test func flippedDataBitIsAChecksumMismatch() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("flipped.nsckpt")
        var bytes = try Self.sample().encoded()
        bytes[bytes.count - 20] ^= 0x10
        try Data(bytes).write(to: url)
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        guard case .checksumMismatch(let stored, let computed) = error?.kind else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(stored != computed)
        #expect(error?.path == url.path)
        #expect(error?.description.hasPrefix("checkpoint \(url.path): corrupt: stored CRC-32 0x") == true)
    }

    @Test func resealedGarbageHeaderIsUnreadable() throws {
        var bytes = try Self.sample().encoded()
        // The kind's byte count (first header field) claims 2^31 bytes.
        bytes[28 + 3] = 0x80
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.decode(Self.resealed(bytes), path: "p") }
        #expect(error == CheckpointError(path: "p", .headerUnreadable(reason: "the kind is cut off or not UTF-8")))
    }

    @Test func crcMatchesTheStandardCheckValue() throws {
        // The trailing four bytes are the IEEE CRC-32 of everything before them.
        let bytes = Checkpoint(kind: "123456789").encoded()
        let stored = bytes.suffix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        #expect(stored == Self.crc32(Array(bytes.dropLast(4))))
        #expect(Self.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func missingTensorShapeMismatchWrongKindAndMetadataNameTheFile() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.nsckpt")
        try Self.sample().write(to: url)
        let loaded = try Checkpoint.read(from: url)
        let names = ["embedding.table", "special", "empty", "scalarish"]
        #expect(throws: CheckpointError(path: url.path, .missingTensor(name: "dense.bias", available: names))) {
            try loaded.tensor(named: "dense.bias")
        }
        #expect(throws: CheckpointError(path: url.path, .shapeMismatch(name: "embedding.table", expected: [8, 4], found: [7, 4]))) {
            try loaded.tensor(named: "embedding.table", shape: [8, 4])
        }
        #expect(try loaded.tensor(named: "embedding.table", shape: [7, 4]).shape == [7, 4])
        #expect(throws: CheckpointError(path: url.path, .wrongKind(expected: "dcgan", found: "text"))) { try loaded.requireKind("dcgan") }
        #expect(throws: CheckpointError(path: url.path, .missingMetadata(key: "epochs"))) { try loaded.integerMetadata("epochs") }
        #expect(throws: CheckpointError(path: url.path, .invalidMetadata(key: "note", value: "ünïcode ✓"))) {
            try loaded.integerMetadata("note")
        }
        #expect(try loaded.integerMetadata("steps") == 1200)
        let description = CheckpointError(path: url.path, .shapeMismatch(name: "w", expected: [2], found: [3])).description
        #expect(description == "checkpoint \(url.path): tensor 'w' has shape [3], expected [2]")
        #expect(throws: CheckpointError(path: "<in memory>", .missingTensor(name: "x", available: []))) {
            try Checkpoint(kind: "text").tensor(named: "x")
        }
    }

    /// Random truncations, byte mutations (raw and with the checksum recomputed so the header parser sees them)
    /// and random byte strings: decoding must throw a `CheckpointError` or return a checkpoint, never trap.
    @Test func fuzzedBytesNeverCrash() throws {
        let valid = try Self.sample().encoded()
        var generator = SeededGenerator(seed: 2026)
        var outcomes: [String: Int] = [:]
        func record(_ bytes: [UInt8]) {
            do {
                _ = try Checkpoint.decode(bytes, path: "fuzz")
                outcomes["decoded", default: 0] += 1
            } catch {
                outcomes[String("\(error.kind)".prefix(while: { $0 != "(" })), default: 0] += 1
            }
        }
        for _ in 0..<200 { record(Array(valid.prefix(Int.random(in: 0..<valid.count, using: &generator)))) }
        for round in 0..<400 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            record(round.isMultiple(of: 2) ? bytes : Self.resealed(bytes))
        }
        for _ in 0..<100 {
            let length = Int.random(in: 0..<200, using: &generator)
            record(Checkpoint.magic + [1, 0, 0, 0] + (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        #expect(outcomes["truncated", default: 0] >= 190)
        #expect(outcomes["checksumMismatch", default: 0] > 100)
        #expect(outcomes["headerUnreadable", default: 0] > 0)
        #expect(outcomes.values.reduce(0, +) == 700)
    }
}
