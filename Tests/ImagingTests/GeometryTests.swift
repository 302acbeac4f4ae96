import Imaging
import Testing

@Suite struct GeometryTests {
    @Test func cropKeepsTheCentre() {
        var wide = RGBImage(width: 5, height: 3)
        for y in 0..<3 { for x in 0..<5 { wide[x, y] = (UInt8(x), UInt8(y), 0) } }
        let square = wide.centerCroppedSquare()
        #expect(square.width == 3 && square.height == 3)
        #expect(square[0, 0] == (1, 0, 0) && square[2, 2] == (3, 2, 0))

        var tall = RGBImage(width: 3, height: 6)
        for y in 0..<6 { for x in 0..<3 { tall[x, y] = (UInt8(x), UInt8(y), 7) } }
        let cropped = tall.centerCroppedSquare()
        #expect(cropped.width == 3 && cropped.height == 3)
        #expect(cropped[0, 0] == (0, 1, 7) && cropped[2, 2] == (2, 3, 7))
        #expect(cropped.centerCroppedSquare() == cropped)
    }

    @Test func twoByTwoAveragesToOne() {
        let image = RGBImage(width: 2, height: 2, pixels: [10, 20, 30, 20, 30, 40, 30, 40, 50, 40, 50, 60])
        #expect(image.resized(width: 1, height: 1).pixels == [25, 35, 45])
    }

    @Test func fourByFourAveragesBlocks() {
        var image = RGBImage(width: 4, height: 4)
        for y in 0..<4 {
            for x in 0..<4 {
                let r = x * 10 + y * 40
                image[x, y] = (UInt8(r), UInt8(255 - r), UInt8(x * y * 4))
            }
        }
        let half = image.resized(width: 2, height: 2)
        #expect(half[0, 0] == (25, 230, 1))
        #expect(half[1, 0] == (45, 210, 5))
        #expect(half[0, 1] == (105, 150, 5))
        #expect(half[1, 1] == (125, 130, 25))
    }

    @Test func nonIntegerShrinkWeighsOverlaps() {
        // 3 → 2: output 0 = (1·p0 + ½·p1) / 1.5, output 1 = (½·p1 + 1·p2) / 1.5
        let image = RGBImage(width: 3, height: 1, pixels: [0, 0, 0, 30, 30, 30, 90, 90, 90])
        #expect(image.resized(width: 2, height: 1).pixels == [10, 10, 10, 70, 70, 70])
    }

    @Test func bilinearUpscaleInterpolatesBetweenCentres() {
        let image = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 100, 200, 40])
        let wide = image.resized(width: 4, height: 1)
        #expect(wide.pixels == [0, 0, 0, 25, 50, 10, 75, 150, 30, 100, 200, 40])
    }

    @Test(arguments: [(17, 13), (9, 4), (5, 31)])
    func bilinearUpscaleKeepsCorners(size: (Int, Int)) {
        var generator = SplitMix64(seed: 7)
        let image = Fixtures.noise(width: 5, height: 4, using: &generator)
        let large = image.resized(width: max(size.0, 5), height: max(size.1, 4))
        #expect(large[0, 0] == image[0, 0])
        #expect(large[large.width - 1, 0] == image[4, 0])
        #expect(large[0, large.height - 1] == image[0, 3])
        #expect(large[large.width - 1, large.height - 1] == image[4, 3])
    }

    @Test func sameSizeIsIdentity() {
        var generator = SplitMix64(seed: 11)
        let image = Fixtures.noise(width: 7, height: 5, using: &generator)
        #expect(image.resized(width: 7, height: 5) == image)
    }

    @Test func axesAreIndependent() {
        // Shrinking x (area) while keeping y leaves every row its own average.
        var image = RGBImage(width: 4, height: 2)
        for x in 0..<4 { image[x, 0] = (UInt8(x * 20), 0, 0); image[x, 1] = (0, UInt8(x * 20), 0) }
        let narrow = image.resized(width: 2, height: 2)
        #expect(narrow.pixels == [10, 0, 0, 50, 0, 0, 0, 10, 0, 0, 50, 0])
        let stretched = image.resized(width: 1, height: 4)
        #expect(stretched[0, 0] == (30, 0, 0) && stretched[0, 3] == (0, 30, 0))
    }

    @Test func resizeOfAUniformImageStaysUniform() {
        let image = RGBImage(width: 37, height: 23, fill: (12, 200, 99))
        for (w, h) in [(64, 64), (5, 3), (100, 7)] {
            #expect(image.resized(width: w, height: h) == RGBImage(width: w, height: h, fill: (12, 200, 99)))
        }
    }

    @Test func fillAndSubscript() {
        var image = RGBImage(width: 2, height: 3, fill: (1, 2, 3))
        #expect(image.pixels == Array(repeating: [1, 2, 3], count: 6).flatMap { $0 })
        image[1, 2] = (9, 8, 7)
        #expect(image[1, 2] == (9, 8, 7) && image.pixels.suffix(3) == [9, 8, 7])
        #expect(RGBImage(width: 2, height: 1).pixels == [0, 0, 0, 0, 0, 0])
    }
}
