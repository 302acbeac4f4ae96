import Foundation

/// How `RGBImage.resized(width:height:filter:)` computes each output pixel.
public enum ResamplingFilter: Sendable, Equatable {
    /// Area averaging where an axis shrinks or keeps its size, bilinear where it grows (`resized(width:height:)`'s).
    case areaOrBilinear
    /// Keys's cubic convolution with a = −0.5 (Catmull–Rom): 4 taps, interpolating, reproduces linear ramps exactly,
    /// overshoots by at most about 7% at a step edge. Widened by the scale factor when shrinking (antialiased).
    case catmullRom
    /// The Lanczos windowed sinc with 3 lobes: 6 taps, sharper than Catmull–Rom, rings more at hard edges.
    /// Widened by the scale factor when shrinking.
    case lanczos3

    /// The kernel's half-width in source pixels at scale 1.
    var support: Double {
        switch self {
        case .areaOrBilinear: 1
        case .catmullRom: 2
        case .lanczos3: 3
        }
    }

    /// The kernel's value at distance `x` (in source pixels at scale 1).
    func weight(_ x: Double) -> Double {
        let t = abs(x)
        switch self {
        case .areaOrBilinear:
            return max(0, 1 - t)
        case .catmullRom:
            let a = -0.5
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a }
            return 0
        case .lanczos3:
            if t < 1e-12 { return 1 }
            if t >= 3 { return 0 }
            let p = Double.pi * t
            return 3 * sin(p) * sin(p / 3) / (p * p)
        }
    }
}

/// The source indices and weights that make each output position along one axis.
struct Resampling {
    var starts: [Int] = []
    var indices: [Int] = []
    var weights: [Float] = []

    /// Weights for a convolution `filter` (not `.areaOrBilinear`): output `i`'s centre maps to source position
    /// `(i + 0.5)·s/t − 0.5`; taps beyond the edge take the edge pixel; the weights of each output sum to 1.
    init(source: Int, target: Int, filter: ResamplingFilter) {
        precondition(filter != .areaOrBilinear, "Internal inconsistency: area/bilinear weights come from init(source:target:)")
        let ratio = Double(source) / Double(target)
        let scale = max(1, ratio)  // widen the kernel when shrinking
        let radius = filter.support * scale
        starts.reserveCapacity(target + 1)
        for i in 0..<target {
            starts.append(indices.count)
            let centre = (Double(i) + 0.5) * ratio - 0.5
            var taps: [Int: Double] = [:]
            var j = Int((centre - radius).rounded(.down))
            while Double(j) <= centre + radius {
                let w = filter.weight((Double(j) - centre) / scale)
                if w != 0 { taps[min(max(j, 0), source - 1), default: 0] += w }
                j += 1
            }
            let total = taps.values.reduce(0, +)
            for (index, w) in taps.sorted(by: { $0.key < $1.key }) where w != 0 {
                indices.append(index)
                weights.append(Float(w / total))
            }
        }
        starts.append(indices.count)
    }

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
