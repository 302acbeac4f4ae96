import Foundation
import Imaging
import Testing

/// The convolution resamplers against a direct, non-separable evaluation of the same kernel (the reference), plus
/// the properties that make them good for enlarging posters.
@Suite struct ResamplingFilterTests {
    /// Keys's cubic (a = −0.5) and Lanczos-3, written out from their definitions.
    static func kernel(_ filter: ResamplingFilter, _ x: Double) -> Double {
        let t = abs(x)
        switch filter {
        case .catmullRom:
            if t <= 1 { return 1.5 * t * t * t - 2.5 * t * t + 1 }
            if t < 2 { return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2 }
            return 0
        case .lanczos3:
            if t == 0 { return 1 }
            if t >= 3 { return 0 }
            return sin(.pi * t) / (.pi * t) * sin(.pi * t / 3) / (.pi * t / 3)
        case .areaOrBilinear:
            return max(0, 1 - t)
        }
    }

    /// Each output pixel as the normalised 2-D sum over every source pixel (edge pixels repeated outward), in Double.
    static func reference(_ image: RGBImage, width: Int, height: Int, filter: ResamplingFilter) -> [Double] {
        let sx = Double(image.width) / Double(width), sy = Double(image.height) / Double(height)
        let scaleX = max(1, sx), scaleY = max(1, sy)
        var output: [Double] = []
        for y in 0..<height {
            for x in 0..<width {
                let cx = (Double(x) + 0.5) * sx - 0.5, cy = (Double(y) + 0.5) * sy - 0.5
                var sums = [0.0, 0.0, 0.0], total = 0.0
                for j in -8..<(image.height + 8) {
                    let wy = kernel(filter, (Double(j) - cy) / scaleY)
                    if wy == 0 { continue }
                    for i in -8..<(image.width + 8) {
                        let w = wy * kernel(filter, (Double(i) - cx) / scaleX)
                        if w == 0 { continue }
                        let pixel = image[min(max(i, 0), image.width - 1), min(max(j, 0), image.height - 1)]
                        sums[0] += w * Double(pixel.0)
                        sums[1] += w * Double(pixel.1)
                        sums[2] += w * Double(pixel.2)
                        total += w
                    }
                }
                output += sums.map { min(max($0 / total, 0), 255) }
            }
        }
        return output
    }

    static func noise(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var state = seed
        var pixels: [UInt8] = []
        for _ in 0..<(width * height * 3) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test(arguments: [ResamplingFilter.catmullRom, .lanczos3], [(7, 5, 28, 20), (9, 9, 32, 32), (12, 10, 5, 4), (8, 8, 8, 3)])
    func matchesTheDirectReference(filter: ResamplingFilter, sizes: (Int, Int, Int, Int)) {
        let image = Self.noise(width: sizes.0, height: sizes.1, seed: 11)
        let resized = image.resized(width: sizes.2, height: sizes.3, filter: filter)
        let expected = Self.reference(image, width: sizes.2, height: sizes.3, filter: filter)
        #expect(resized.width == sizes.2 && resized.height == sizes.3)
        // The library sums in Float and rounds half up; the reference is exact, so they differ by rounding plus
        // Float error.
        var worst = 0.0
        for (value, reference) in zip(resized.pixels, expected) { worst = max(worst, abs(Double(value) - reference)) }
        #expect(worst <= 1.0)
    }

    @Test(arguments: [ResamplingFilter.catmullRom, .lanczos3])
    func interpolatesAndKeepsConstants(filter: ResamplingFilter) {
        // Enlarging ×3: output 3j + 1 sits exactly on source pixel j, where an interpolating kernel returns it.
        let image = Self.noise(width: 6, height: 5, seed: 12)
        let large = image.resized(width: 18, height: 15, filter: filter)
        for y in 0..<5 { for x in 0..<6 { #expect(large[3 * x + 1, 3 * y + 1] == image[x, y]) } }
        let flat = RGBImage(width: 5, height: 5, fill: (200, 10, 99)).resized(width: 23, height: 17, filter: filter)
        #expect(flat == RGBImage(width: 23, height: 17, fill: (200, 10, 99)))
        #expect(image.resized(width: 6, height: 5, filter: filter) == image)
    }

    @Test func catmullRomReproducesARampWhereBilinearIsSmoothAndNearestWouldBlock() {
        var ramp = RGBImage(width: 16, height: 1)
        for x in 0..<16 { ramp[x, 0] = (UInt8(x * 16), 0, 0) }
        let large = ramp.resized(width: 64, height: 1, filter: .catmullRom)
        // Away from the edges the enlarged ramp is the continuous line through the source centres.
        for x in 8..<56 {
            let position = (Double(x) + 0.5) / 4 - 0.5
            #expect(abs(Double(large[x, 0].0) - position * 16) <= 0.5)
        }
        // No plateaus: every step of four output pixels rises.
        for x in 8..<55 { #expect(large[x + 1, 0].0 > large[x, 0].0) }
    }
}
