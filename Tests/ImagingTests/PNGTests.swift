import Imaging
import Testing

@Suite struct PNGTests {
    @Test(arguments: [(1, 1), (3, 7), (64, 64), (13, 1), (1, 9)])
    func roundTripIsLossless(size: (Int, Int)) throws {
        var generator = SplitMix64(seed: UInt64(size.0 * 1000 + size.1))
        let image = Fixtures.noise(width: size.0, height: size.1, using: &generator)
        let bytes = try PNG.encode(image)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try PNG.decode(bytes, name: "round trip") == image)
    }

    @Test func decodesRGB() throws {
        #expect(try PNG.decode(Fixtures.bytes("rgb.png"), name: "rgb.png") == Fixtures.image(Fixtures.rgb))
    }

    @Test func decodesGray() throws {
        let expected = Fixtures.image { x, y in let g = Fixtures.gray(x, y); return (g, g, g) }
        #expect(try PNG.decode(Fixtures.bytes("gray.png"), name: "gray.png") == expected)
    }

    @Test func decodesGrayAlphaOnWhite() throws {
        let expected = Fixtures.image { x, y in
            let g = Fixtures.onWhite(Fixtures.gray(x, y), Fixtures.alpha(x, y))
            return (g, g, g)
        }
        let image = try PNG.decode(Fixtures.bytes("gray_alpha.png"), name: "gray_alpha.png")
        #expect(image == expected)
        #expect(image[0, 0] == (255, 255, 255))  // alpha 0
    }

    @Test func decodesRGBAOnWhite() throws {
        let image = try PNG.decode(Fixtures.bytes("rgba.png"), name: "rgba.png")
        #expect(image == Fixtures.image { x, y in Fixtures.onWhite(Fixtures.rgb(x, y), Fixtures.alpha(x, y)) })
        #expect(image[0, 0] == (255, 255, 255))          // fully transparent
        #expect(image[1, 0] == Fixtures.rgb(1, 0))        // opaque: (17, 5, 11)
        // (2, 0): alpha 74 over (34, 10, 11): 255 − 74·(255 − c)/255 → (191, 184, 184)
        #expect(image[2, 0] == (191, 184, 184))
    }

    @Test func decodesPaletteWithTransparency() throws {
        let image = try PNG.decode(Fixtures.bytes("palette.png"), name: "palette.png")
        let expected = Fixtures.image { x, y in
            let index = Fixtures.paletteIndex(x, y)
            return Fixtures.onWhite(Fixtures.palette(index), Fixtures.paletteAlpha(index))
        }
        #expect(image == expected)
        #expect(image[0, 0] == (255, 255, 255))  // index 0, tRNS 0
        #expect(image[2, 0] == (32, 223, 74))    // index 2, opaque
    }

    @Test func decodes16BitAsSRGB() throws {
        #expect(try PNG.decode(Fixtures.bytes("rgb16.png"), name: "rgb16.png") == Fixtures.image(Fixtures.rgb))
    }

    @Test func decodesAdam7Interlaced() throws {
        #expect(try PNG.decode(Fixtures.bytes("interlaced.png"), name: "interlaced.png") == Fixtures.image(Fixtures.rgb))
    }

    @Test func truncatedFileIsAnErrorNamingTheFile() throws {
        let bytes = try Fixtures.bytes("rgb.png")
        let error = #expect(throws: ImagingError.self) { try PNG.decode(Array(bytes.prefix(bytes.count - 30)), name: "poster 7.png") }
        #expect(error?.name == "poster 7.png")
        #expect(error?.reason.isEmpty == false)
        #expect(error?.description.hasPrefix("cannot decode poster 7.png: ") == true)
    }

    @Test func corruptChunkIsAnError() throws {
        var bytes = try Fixtures.bytes("rgb.png")
        bytes[40] ^= 0xFF  // inside IDAT: the CRC no longer matches
        let error = #expect(throws: ImagingError.self) { try PNG.decode(bytes, name: "bad.png") }
        #expect(error?.reason.isEmpty == false)
    }

    @Test func ancillaryChunkWithABadCRCIsOnlyAWarning() throws {
        var bytes = try Fixtures.bytes("rgb.png")
        let text: [UInt8] = [0, 0, 0, 4] + Array("tEXt".utf8) + Array("a\0bc".utf8).prefix(4) + [0xDE, 0xAD, 0xBE, 0xEF]
        bytes.insert(contentsOf: text, at: 33)  // right after IHDR
        #expect(try PNG.decode(bytes, name: "texted.png") == Fixtures.image(Fixtures.rgb))
    }

    @Test func notAPNG() {
        let error = #expect(throws: ImagingError.self) { try PNG.decode(Array("hello, world".utf8), name: "notes.txt") }
        #expect(error?.name == "notes.txt")
        #expect(error?.description.contains("notes.txt") == true)
    }

    @Test func oversizedDeclarationIsRejectedBeforeAllocating() throws {
        // IHDR claiming 20000×20000 with a correct CRC: libpng accepts it, the size limit must not.
        var bytes = try Fixtures.bytes("rgb.png")
        bytes.replaceSubrange(16..<24, with: [0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20])
        let crc = crc32(bytes[12..<29])
        bytes.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)])
        let error = #expect(throws: ImagingError.self) { try PNG.decode(bytes, name: "huge.png") }
        #expect(error?.reason == "image size 20000×20000 exceeds the limit of 16384 pixels a side")
    }

    @Test func encodingAnEmptyImageThrows() {
        let error = #expect(throws: ImagingError.self) { try PNG.encode(RGBImage(width: 0, height: 4)) }
        #expect(error?.description == "cannot encode 0×4 image as PNG: the image is empty")
    }

    private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
