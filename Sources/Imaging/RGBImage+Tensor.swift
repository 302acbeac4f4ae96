extension RGBImage {
    /// The pixels as a channel-first (CHW: all R, then all G, then all B) tensor, each byte `v` as `v / 127.5 − 1`
    /// in [-1, 1].
    public func tensor() -> [Float] {
        let planeSize = width * height
        return [Float](unsafeUninitializedCapacity: planeSize * 3) { buffer, initialized in
            pixels.withUnsafeBufferPointer { source in
                for index in 0..<planeSize {
                    for channel in 0..<3 {
                        buffer[channel * planeSize + index] = Float(source[index * 3 + channel]) / 127.5 - 1
                    }
                }
            }
            initialized = planeSize * 3
        }
    }

    /// The inverse of `tensor()`: each value `t` becomes `round((t + 1) · 127.5)` clamped to 0…255 (NaN → 0).
    /// - Precondition: `tensor.count == 3 * width * height`.
    public init(tensor: [Float], width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "RGBImage size \(width)×\(height) is negative")
        let planeSize = width * height
        precondition(tensor.count == planeSize * 3, "a \(width)×\(height) tensor needs \(planeSize * 3) values, got \(tensor.count)")
        let pixels = [UInt8](unsafeUninitializedCapacity: planeSize * 3) { buffer, initialized in
            tensor.withUnsafeBufferPointer { source in
                for index in 0..<planeSize {
                    for channel in 0..<3 {
                        let value = source[channel * planeSize + index]
                        let scaled = value.isNaN ? 0 : min(max((value + 1) * 127.5 + 0.5, 0), 255)
                        buffer[index * 3 + channel] = UInt8(scaled)
                    }
                }
            }
            initialized = planeSize * 3
        }
        self.init(width: width, height: height, pixels: pixels)
    }
}
