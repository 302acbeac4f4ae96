import Imaging
import Testing

@Suite struct TensorTests {
    @Test func channelFirstInMinusOneToOne() {
        let image = RGBImage(width: 2, height: 1, pixels: [0, 255, 51, 255, 0, 204])
        let tensor = image.tensor()
        #expect(tensor.count == 6)
        #expect(tensor[0] == -1 && tensor[1] == 1)          // R plane
        #expect(tensor[2] == 1 && tensor[3] == -1)          // G plane
        #expect(abs(tensor[4] - (51 / 127.5 - 1)) < 1e-6)   // B plane
        #expect(tensor.allSatisfy { (-1...1).contains($0) })
    }

    @Test func roundTripIsExactForEveryByte() {
        let image = RGBImage(width: 256, height: 1, pixels: (0..<768).map { UInt8(($0 * 7) % 256) })
        #expect(RGBImage(tensor: image.tensor(), width: 256, height: 1) == image)
    }

    @Test func inverseClampsAndRounds() {
        let image = RGBImage(tensor: [2, -5, .nan, 0, 0.999, -0.999], width: 2, height: 1)
        // R plane [2, −5] clamps; G plane [NaN, 0]: NaN → 0, 0 → 127.5 → 128 (half up);
        // B plane [0.999, −0.999] → 254.87 → 255 and 0.13 → 0.
        #expect(image[0, 0] == (255, 0, 255))
        #expect(image[1, 0] == (0, 128, 0))
    }
}
