/// The largest images the decoders accept; declared sizes are checked before any pixel buffer is allocated.
public enum ImageLimits {
    /// The longest accepted side, in pixels.
    public static let maximumSide = 16_384
    /// The most pixels accepted in one image (100 MP, 300 MB of RGB).
    public static let maximumPixelCount = 100_000_000

    /// nil when `width`×`height` is acceptable, else the reason to put in an `ImagingError`.
    static func violation(width: Int, height: Int) -> String? {
        if width <= 0 || height <= 0 { return "invalid image size \(width)×\(height)" }
        if width > maximumSide || height > maximumSide {
            return "image size \(width)×\(height) exceeds the limit of \(maximumSide) pixels a side"
        }
        if width * height > maximumPixelCount {
            return "image size \(width)×\(height) exceeds the limit of \(maximumPixelCount) pixels"
        }
        return nil
    }
}
