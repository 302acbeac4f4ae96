import Imaging
import Testing

/// Decodes thousands of mutants of valid files: each must give a complete image or an ImagingError, never a crash.
@Suite struct FuzzTests {
    enum Mutation: CaseIterable { case flip, truncate, insert, overwriteRun }

    static func seeds() throws -> [(String, [UInt8])] {
        var generator = SplitMix64(seed: 1)
        var poster = Fixtures.gradient(width: 32, height: 24)
        for _ in 0..<40 { poster[Int.random(in: 0..<32, using: &generator), Int.random(in: 0..<24, using: &generator)] = (255, 0, 0) }
        return [
            ("encoded.png", try PNG.encode(poster)),
            ("interlaced.png", try Fixtures.bytes("interlaced.png")),
            ("palette.png", try Fixtures.bytes("palette.png")),
            ("rgba.png", try Fixtures.bytes("rgba.png")),
            ("baseline.jpg", try JPEG.encode(poster, quality: 80)),
            ("gradient.jpg", try Fixtures.bytes("gradient.jpg")),
        ]
    }

    static func mutate(_ bytes: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        let count = Int.random(in: 1...3, using: &generator)
        for _ in 0..<count {
            switch Mutation.allCases.randomElement(using: &generator)! {
            case .flip:
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                if Bool.random(using: &generator) {
                    bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                } else {
                    bytes[index] = UInt8.random(in: 0...255, using: &generator)
                }
            case .truncate:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator))
            case .insert:
                let garbage = (0..<Int.random(in: 1...16, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                bytes.insert(contentsOf: garbage, at: Int.random(in: 0...bytes.count, using: &generator))
            case .overwriteRun:
                let start = Int.random(in: 0..<bytes.count, using: &generator)
                let end = min(bytes.count, start + Int.random(in: 1...32, using: &generator))
                let value = UInt8.random(in: 0...255, using: &generator)
                for index in start..<end { bytes[index] = value }
            }
            if bytes.isEmpty { break }
        }
        return bytes
    }

    @Test func mutantsDecodeOrThrow() throws {
        var generator = SplitMix64(seed: 20_260_501)
        var decoded = 0, rejected = 0
        var reasons: [String: Int] = [:]
        for (name, original) in try Self.seeds() {
            #expect(throws: Never.self, "\(name) must decode before mutation") { try ImageDecoder.decode(original, name: name) }
            for round in 0..<1000 {
                let mutant = Self.mutate(original, using: &generator)
                let label = "\(name) mutant \(round)"
                do {
                    let image = try ImageDecoder.decode(mutant, name: label)
                    #expect(image.width > 0 && image.height > 0 && image.pixels.count == image.width * image.height * 3, "\(label)")
                    decoded += 1
                } catch {
                    #expect(error.name == label)
                    #expect(!error.reason.isEmpty, "\(label)")
                    reasons[error.reason, default: 0] += 1
                    rejected += 1
                }
            }
        }
        #expect(decoded + rejected == 6000)
        #expect(rejected > 5000)  // most mutants are broken; the rest (e.g. flips in ignored bytes) decode
    }
}
