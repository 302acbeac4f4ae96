/// Pads NCHW images with zeros on each side (Keras `ZeroPadding2D(padding=((top, bottom), (left, right)))`;
/// the DCGAN discriminator uses `((0, 1), (0, 1))`).
public struct ZeroPadding2D: Sendable, Equatable {
    /// Rows added above.
    public var top: Int
    /// Rows added below.
    public var bottom: Int
    /// Columns added on the left.
    public var left: Int
    /// Columns added on the right.
    public var right: Int

    /// Creates a layer that adds the given number of zero rows and columns.
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        precondition(top >= 0 && bottom >= 0 && left >= 0 && right >= 0, "negative padding (\(top), \(bottom), \(left), \(right))")
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// Returns `x` (`[n, c, h, w]`) padded to `[n, c, top + h + bottom, left + w + right]`.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "ZeroPadding2D expects [n, c, h, w], got \(x.shape)")
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
        let paddedH = top + h + bottom, paddedW = left + w + right
        var y = Tensor.zeros([x.shape[0], x.shape[1], paddedH, paddedW])
        x.storage.withUnsafeBufferPointer { source in
            y.storage.withUnsafeMutableBufferPointer { destination in
                for plane in 0..<planes {
                    for row in 0..<h {
                        (destination.baseAddress! + plane * paddedH * paddedW + (row + top) * paddedW + left)
                            .update(from: source.baseAddress! + (plane * h + row) * w, count: w)
                    }
                }
            }
        }
        return y
    }

    /// The gradient with respect to the input: `gradOutput` with the padding cropped off.
    public func backward(_ gradOutput: Tensor) -> Tensor {
        precondition(gradOutput.rank == 4 && gradOutput.shape[2] > top + bottom && gradOutput.shape[3] > left + right,
            "gradient \(gradOutput.shape) is smaller than the padding")
        let planes = gradOutput.shape[0] * gradOutput.shape[1], paddedH = gradOutput.shape[2], paddedW = gradOutput.shape[3]
        let h = paddedH - top - bottom, w = paddedW - left - right
        var gradInput = Tensor.zeros([gradOutput.shape[0], gradOutput.shape[1], h, w])
        gradOutput.storage.withUnsafeBufferPointer { source in
            gradInput.storage.withUnsafeMutableBufferPointer { destination in
                for plane in 0..<planes {
                    for row in 0..<h {
                        (destination.baseAddress! + (plane * h + row) * w)
                            .update(from: source.baseAddress! + plane * paddedH * paddedW + (row + top) * paddedW + left, count: w)
                    }
                }
            }
        }
        return gradInput
    }
}
