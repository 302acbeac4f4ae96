/// An RGB8 raster that demo posters are drawn on.
public struct PosterCanvas: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height * 3` bytes: R, G, B, row-major, top row first.
    public internal(set) var pixels: [UInt8]

    /// A black canvas.
    /// - Precondition: `width` and `height` are positive.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "PosterCanvas size \(width)×\(height) must be positive")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// The (R, G, B) of the pixel in column `x`, row `y` (row 0 is the top).
    /// - Precondition: the pixel is inside the canvas.
    public subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
        let index = (y * width + x) * 3
        return (pixels[index], pixels[index + 1], pixels[index + 2])
    }
}
