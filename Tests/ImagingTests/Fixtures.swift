import Foundation
import Imaging
import Testing

/// The formulas Fixtures/make_fixtures.py drew the PNG fixtures with, and other shared test helpers.
enum Fixtures {
    static let width = 13, height = 11

    static func rgb(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        (UInt8((x * 17 + y * 3) % 256), UInt8((y * 23 + x * 5) % 256), UInt8((x * y * 7 + 11) % 256))
    }

    static func gray(_ x: Int, _ y: Int) -> UInt8 { UInt8((x * 19 + y * 11) % 256) }

    static func alpha(_ x: Int, _ y: Int) -> UInt8 {
        if (x, y) == (0, 0) { return 0 }
        if (x, y) == (1, 0) { return 255 }
        return UInt8((x * 37 + y * 53) % 256)
    }

    static func paletteIndex(_ x: Int, _ y: Int) -> Int { (x + 2 * y) % 16 }
    static func palette(_ i: Int) -> (UInt8, UInt8, UInt8) { (UInt8(i * 16), UInt8(255 - i * 16), UInt8(i * 37 % 256)) }
    static func paletteAlpha(_ i: Int) -> UInt8 { i == 0 ? 0 : i == 1 ? 128 : 255 }

    /// Straight sRGB compositing on white, rounded: what `PNG.decode` promises.
    static func onWhite(_ c: UInt8, _ a: UInt8) -> UInt8 {
        let color = Int(c), opacity = Int(a)
        let sum: Int = color * opacity + 255 * (255 - opacity) + 127
        return UInt8(sum / 255)
    }

    static func onWhite(_ c: (UInt8, UInt8, UInt8), _ a: UInt8) -> (UInt8, UInt8, UInt8) {
        (onWhite(c.0, a), onWhite(c.1, a), onWhite(c.2, a))
    }

    /// The image `make` draws, at the fixtures' size.
    static func image(_ make: (Int, Int) -> (UInt8, UInt8, UInt8)) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height { for x in 0..<width { image[x, y] = make(x, y) } }
        return image
    }

    /// The bytes of `Fixtures/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
                               "missing fixture \(name)")
        return Array(try Data(contentsOf: url))
    }

    /// The smooth gradient in Fixtures/gradient.jpg (48×40).
    static func gradient(width: Int = 48, height: Int = 40) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y] = (UInt8(x * 255 / (width - 1)), UInt8(y * 255 / (height - 1)), UInt8((x + y) * 255 / (width + height - 2)))
            }
        }
        return image
    }

    /// Uniformly random pixels from `generator`.
    static func noise(width: Int, height: Int, using generator: inout SplitMix64) -> RGBImage {
        RGBImage(width: width, height: height, pixels: (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        precondition(a.pixels.count == b.pixels.count)
        let total = zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(a.pixels.count)
    }
}
