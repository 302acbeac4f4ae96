/// An 8-bit RGB image: `pixels` holds `width * height` triples, row-major, top row first, no padding.
public struct RGBImage: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height * 3` bytes: R, G, B of (0, 0), then (1, 0), …, row by row.
    public var pixels: [UInt8]

    /// Wraps existing pixel bytes.
    /// - Precondition: `width` and `height` are not negative and `pixels.count == width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "RGBImage size \(width)×\(height) is negative")
        precondition(pixels.count == width * height * 3,
                     "RGBImage \(width)×\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image of one colour (black unless `fill` says otherwise).
    /// - Precondition: `width` and `height` are not negative.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        precondition(width >= 0 && height >= 0, "RGBImage size \(width)×\(height) is negative")
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        if fill != (0, 0, 0) {
            pixels.withUnsafeMutableBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    buffer[index] = fill.0
                    buffer[index + 1] = fill.1
                    buffer[index + 2] = fill.2
                    index += 3
                }
            }
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The (R, G, B) of the pixel in column `x`, row `y` (row 0 is the top).
    /// - Precondition: `0 <= x < width` and `0 <= y < height`.
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
            let index = (y * width + x) * 3
            return (pixels[index], pixels[index + 1], pixels[index + 2])
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
            let index = (y * width + x) * 3
            pixels[index] = newValue.0
            pixels[index + 1] = newValue.1
            pixels[index + 2] = newValue.2
        }
    }
}
