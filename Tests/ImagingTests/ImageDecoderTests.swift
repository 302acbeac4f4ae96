import Imaging
import Testing

@Suite struct ImageDecoderTests {
    @Test func sniffsPNGAndJPEG() throws {
        let image = Fixtures.gradient()
        #expect(try ImageDecoder.decode(PNG.encode(image), name: "a.png") == image)
        #expect(try ImageDecoder.decode(JPEG.encode(image), name: "a.jpg").width == 48)
        #expect(ImageDecoder.sniff(try PNG.encode(image)) == .png)
        #expect(ImageDecoder.sniff(try JPEG.encode(image)) == .jpeg)
    }

    @Test func rejectsGIF() {
        let gif = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0]
        let error = #expect(throws: ImagingError.self) { try ImageDecoder.decode(gif, name: "poster 9.gif") }
        #expect(error == ImagingError(name: "poster 9.gif", reason: "not a PNG or JPEG file"))
        #expect(error?.description == "cannot decode poster 9.gif: not a PNG or JPEG file")
    }

    @Test func rejectsEmptyData() {
        let error = #expect(throws: ImagingError.self) { try ImageDecoder.decode([], name: "poster 10.jpg") }
        #expect(error?.description == "cannot decode poster 10.jpg: empty file")
    }

    @Test func aCutMagicNumberIsTruncated() {
        let error = #expect(throws: ImagingError.self) { try ImageDecoder.decode([0x89, 0x50, 0x4E], name: "cut.png") }
        #expect(error?.reason == "truncated")
    }

    @Test func errorDescriptionsNameTheOperation() {
        #expect(ImagingError(name: "42.jpg", reason: "Premature end of JPEG file").description == "cannot decode 42.jpg: Premature end of JPEG file")
        #expect(ImagingError(name: "2×2 image as PNG", reason: "x", operation: .encode).description == "cannot encode 2×2 image as PNG: x")
    }
}
