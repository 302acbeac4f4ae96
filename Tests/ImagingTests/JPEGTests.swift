import Foundation
import Imaging
import Testing

@Suite struct JPEGTests {
    @Test(arguments: [(95, 3.0), (75, 6.0)])
    func gradientSurvivesEncodeDecode(quality: Int, tolerance: Double) throws {
        let image = Fixtures.gradient(width: 61, height: 37)
        let bytes = try JPEG.encode(image, quality: quality)
        #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF])
        let decoded = try JPEG.decode(bytes, name: "gradient")
        #expect(decoded.width == 61 && decoded.height == 37)
        #expect(Fixtures.meanAbsoluteDifference(decoded, image) < tolerance)
    }

    @Test func progressiveEncodingDecodes() throws {
        let image = Fixtures.gradient()
        let decoded = try JPEG.decode(JPEG.encode(image, quality: 90, progressive: true), name: "progressive")
        #expect(Fixtures.meanAbsoluteDifference(decoded, image) < 3)
    }

    /// Fixtures/gradient.jpg: Fixtures.gradient() as a progressive 4:2:0 JPEG at quality 85, written once by
    /// `writeJPEGFixture` below (IMAGING_WRITE_FIXTURES=1).
    @Test func decodesCommittedFixture() throws {
        let decoded = try JPEG.decode(Fixtures.bytes("gradient.jpg"), name: "gradient.jpg")
        let expected = Fixtures.gradient()
        #expect(decoded.width == 48 && decoded.height == 40)
        #expect(Fixtures.meanAbsoluteDifference(decoded, expected) < 3)
        for (x, y) in [(0, 0), (47, 0), (0, 39), (47, 39), (24, 20)] {
            let (a, b) = (decoded[x, y], expected[x, y])
            #expect(abs(Int(a.0) - Int(b.0)) <= 12 && abs(Int(a.1) - Int(b.1)) <= 12 && abs(Int(a.2) - Int(b.2)) <= 12,
                    "pixel (\(x), \(y)): \(a) vs \(b)")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["IMAGING_WRITE_FIXTURES"] == "1"))
    func writeJPEGFixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gradient.jpg")
        try Data(JPEG.encode(Fixtures.gradient(), quality: 85, progressive: true)).write(to: url)
    }

    @Test func truncationIsAnError() throws {
        let bytes = try JPEG.encode(Fixtures.gradient(width: 160, height: 120), quality: 90)
        let error = #expect(throws: ImagingError.self) { try JPEG.decode(Array(bytes.prefix(bytes.count * 3 / 4)), name: "poster 42.jpg") }
        #expect(error?.description == "cannot decode poster 42.jpg: Premature end of JPEG file")
    }

    @Test func junkBeforeTheEndMarkerIsTolerated() throws {
        let bytes = try JPEG.encode(Fixtures.gradient(), quality: 90)
        var padded = bytes
        padded.insert(contentsOf: [1, 2, 3, 4, 5], at: padded.count - 2)
        #expect(try JPEG.decode(padded, name: "padded.jpg") == JPEG.decode(bytes, name: "plain.jpg"))
    }

    @Test func junkInsideTheStreamIsAnError() throws {
        var bytes = try JPEG.encode(Fixtures.gradient(), quality: 90)
        let sos = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        bytes.insert(contentsOf: [1, 2, 3], at: sos)
        let error = #expect(throws: ImagingError.self) { try JPEG.decode(bytes, name: "junk.jpg") }
        #expect(error?.reason == "Corrupt JPEG data: 3 extraneous bytes before marker 0xda")
    }

    @Test func garbageIsAnError() {
        let error = #expect(throws: ImagingError.self) { try JPEG.decode([0xFF, 0xD8, 0xFF, 0x00, 0x13, 0x37], name: "x.jpg") }
        #expect(error?.name == "x.jpg")
        #expect(error?.reason.isEmpty == false)
    }

    @Test func qualityIsClamped() throws {
        let image = Fixtures.gradient()
        #expect(try JPEG.decode(JPEG.encode(image, quality: 500), name: "q") == JPEG.decode(JPEG.encode(image, quality: 100), name: "q"))
        #expect(try JPEG.decode(JPEG.encode(image, quality: -3), name: "q").width == 48)
    }

    @Test func encodingAnEmptyImageThrows() {
        let error = #expect(throws: ImagingError.self) { try JPEG.encode(RGBImage(width: 5, height: 0)) }
        #expect(error?.operation == .encode)
    }
}
