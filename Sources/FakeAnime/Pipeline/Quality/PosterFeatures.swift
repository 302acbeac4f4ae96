public import Learning

/// The fixed image features φ that poster quality is measured on: a small convolutional net with random weights
/// drawn from a fixed seed and never trained, so every model version, every night and every home is measured in the
/// same space, with no downloaded weights (a random net is accepted practice for data far from ImageNet; Naeem et al.,
/// arXiv 2002.09797).
///
/// The net, on `[n, 3, s, s]` images in [-1, 1] (any even `s` ≥ 16; the nightly posters are 64×64):
/// 1. `Conv2D` 3 → 16 filters, 3×3, stride 2, same padding, LeakyReLU 0.2 (s/2)
/// 2. `Conv2D` 16 → 32, 3×3, stride 2, same, LeakyReLU 0.2 (s/4)
/// 3. `Conv2D` 32 → 64, 3×3, stride 2, same, LeakyReLU 0.2 (s/8)
/// 4. each of the 64 channels averaged over the four quadrants of the image: 256 features, so a poster's layout
///    (what sits at the top, what at the bottom) counts as well as its textures and colours.
///
/// Weights are Glorot-uniform (`Conv2D`'s initialiser) from `SeededGenerator(seed: PosterFeatures.seed)`, biases zero.
///
/// ```swift
/// let features = PosterFeatures().features(of: images)   // FeatureMatrix, images.shape[0] × 256
/// ```
public struct PosterFeatures: Sendable {
    /// The seed of the weights. Changing it (or the layers) changes every figure: do not, or record the change.
    public static let seed: UInt64 = 0x0F1C_ED5E_ED00_0010
    /// The length of a feature vector.
    public static let dimension = 4 * 64
    /// Images pushed through the net at a time (bounds the im2col buffers).
    static let chunk = 32

    let layers: [Conv2D]

    public init() {
        var generator = SeededGenerator(seed: Self.seed)
        var layers: [Conv2D] = []
        for (input, output) in [(3, 16), (16, 32), (32, 64)] {
            layers.append(Conv2D(inputChannels: input, filters: output, kernelSize: 3, stride: 2, padding: .same, using: &generator))
        }
        self.layers = layers
    }

    /// φ of each image of `images` (`[n, 3, s, s]`).
    public func features(of images: Tensor) -> FeatureMatrix {
        precondition(images.rank == 4 && images.shape[1] == 3, "images must be [n, 3, s, s], got \(images.shape)")
        let n = images.shape[0], plane = images.count / max(n, 1)
        var values: [Double] = []
        values.reserveCapacity(n * Self.dimension)
        var workspace = ConvolutionWorkspace()
        var start = 0
        while start < n {
            let count = min(Self.chunk, n - start)
            // Cannot fail: the storage slice has exactly count × plane values.
            var x = try! Tensor(shape: [count] + images.shape.dropFirst(), storage: Array(images.storage[(start * plane)..<((start + count) * plane)]))
            for layer in layers { x = Activation.leakyReLU(alpha: 0.2).forward(layer.forward(x, workspace: &workspace).output) }
            values += Self.quadrantMeans(x)
            start += count
        }
        return FeatureMatrix(count: n, dimension: Self.dimension, values: values)
    }

    /// Each channel of `x` (`[n, c, h, w]`) averaged over the top-left, top-right, bottom-left and bottom-right
    /// quadrants, channel by channel: `[n, c·4]` flattened.
    static func quadrantMeans(_ x: Tensor) -> [Double] {
        let n = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3]
        let halfHeight = max(height / 2, 1), halfWidth = max(width / 2, 1)
        var result = [Double](repeating: 0, count: n * channels * 4)
        var counts = [Double](repeating: 0, count: 4)
        for y in 0..<height {
            for xPos in 0..<width { counts[min(y / halfHeight, 1) * 2 + min(xPos / halfWidth, 1)] += 1 }
        }
        for image in 0..<n {
            for channel in 0..<channels {
                let base = (image * channels + channel) * height * width
                let out = (image * channels + channel) * 4
                for y in 0..<height {
                    let row = min(y / halfHeight, 1) * 2
                    for xPos in 0..<width { result[out + row + min(xPos / halfWidth, 1)] += Double(x.storage[base + y * width + xPos]) }
                }
                for quadrant in 0..<4 where counts[quadrant] > 0 { result[out + quadrant] /= counts[quadrant] }
            }
        }
        return result
    }
}
