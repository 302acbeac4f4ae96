/// A cheap, model-independent measure of how far generated posters are from real ones: the per-position mean and
/// standard deviation of 8×8 downsampled images, compared between two sets (a poor man's FID). A generator that
/// paints flat grey, noise or one image for every seed scores far from the real posters; one that learned their
/// layout and palette scores close. Unlike the GAN's own losses, it compares two different models fairly.
public struct PixelStatistics: Sendable, Equatable {
    /// The downsampled side.
    public static let side = 8

    /// Mean of each (channel, y, x) of the downsampled images.
    public var mean: [Float]
    /// Standard deviation of each (channel, y, x) across the images.
    public var deviation: [Float]

    /// Statistics of `count` CHW images of `size`×`size` stored one after another in `pixels`.
    public init(pixels: [Float], count: Int, size: Int) {
        precondition(count >= 1 && pixels.count == count * 3 * size * size, "\(pixels.count) values for \(count) images of \(size)²")
        let side = Self.side
        let cell = max(size / side, 1)
        let cells = 3 * side * side
        var sum = [Double](repeating: 0, count: cells), squares = [Double](repeating: 0, count: cells)
        for image in 0..<count {
            for channel in 0..<3 {
                for cy in 0..<side {
                    for cx in 0..<side {
                        var total = 0.0
                        for y in (cy * cell)..<min((cy + 1) * cell, size) {
                            for x in (cx * cell)..<min((cx + 1) * cell, size) {
                                total += Double(pixels[((image * 3 + channel) * size + y) * size + x])
                            }
                        }
                        let value = total / Double(cell * cell)
                        let index = (channel * side + cy) * side + cx
                        sum[index] += value
                        squares[index] += value * value
                    }
                }
            }
        }
        mean = sum.map { Float($0 / Double(count)) }
        deviation = zip(sum, squares).map { s, q in
            let m = s / Double(count)
            return Float(max(q / Double(count) - m * m, 0).squareRoot())
        }
    }

    /// The root-mean-square difference of means plus that of deviations: 0 for identical statistics, about 1–2 for
    /// flat grey against real posters.
    public func distance(to other: PixelStatistics) -> Double {
        func rms(_ a: [Float], _ b: [Float]) -> Double {
            (zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(a.count)).squareRoot()
        }
        return rms(mean, other.mean) + rms(deviation, other.deviation)
    }
}
