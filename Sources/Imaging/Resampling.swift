/// The source indices and weights that make each output position along one axis.
struct Resampling {
    var starts: [Int] = []
    var indices: [Int] = []
    var weights: [Float] = []

    init(source: Int, target: Int) {
        starts.reserveCapacity(target + 1)
        if target <= source {
            // Area: output i covers [i·s/t, (i+1)·s/t) of the source; each source pixel weighs its overlap.
            let scale = Double(source) / Double(target)
            for i in 0..<target {
                starts.append(indices.count)
                let low = Double(i * source) / Double(target), high = Double((i + 1) * source) / Double(target)
                var j = Int(low.rounded(.down))
                while j < source && Double(j) < high {
                    let overlap = min(high, Double(j + 1)) - max(low, Double(j))
                    if overlap > 0 {
                        indices.append(j)
                        weights.append(Float(overlap / scale))
                    }
                    j += 1
                }
            }
        } else {
            // Bilinear between the two nearest source centres; positions beyond the edge centres clamp.
            for i in 0..<target {
                starts.append(indices.count)
                let position = min(max((Double(i) + 0.5) * Double(source) / Double(target) - 0.5, 0), Double(source - 1))
                let j = Int(position.rounded(.down)), fraction = position - Double(j)
                indices.append(j)
                weights.append(Float(1 - fraction))
                if fraction > 0 && j + 1 < source {
                    indices.append(j + 1)
                    weights.append(Float(fraction))
                }
            }
        }
        starts.append(indices.count)
    }

    /// Calls `body` with the three arrays as buffers (no bounds checks in the hot loops).
    func withBuffers<R>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Float>) -> R) -> R {
        starts.withUnsafeBufferPointer { starts in
            indices.withUnsafeBufferPointer { indices in
                weights.withUnsafeBufferPointer { weights in body(starts, indices, weights) }
            }
        }
    }
}
