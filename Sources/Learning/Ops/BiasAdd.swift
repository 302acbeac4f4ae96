/// Adds `bias` (rank 1) to every row of `x`, broadcasting over all leading dimensions;
/// `x`'s last dimension must equal `bias.count`.
public func addBias(_ x: Tensor, _ bias: Tensor) -> Tensor {
    let width = bias.count
    precondition(bias.rank == 1 && x.shape.last == width, "cannot add bias \(bias.shape) to \(x.shape)")
    var result = x
    result.storage.withUnsafeMutableBufferPointer { out in
        bias.storage.withUnsafeBufferPointer { b in
            var offset = 0
            while offset < out.count {
                for j in 0..<width { out[offset + j] += b[j] }
                offset += width
            }
        }
    }
    return result
}

/// The gradient of `addBias` with respect to the bias: `gradOutput` summed over every row.
public func biasGradient(_ gradOutput: Tensor) -> Tensor {
    guard let width = gradOutput.shape.last else { preconditionFailure("bias gradient of a scalar") }
    var result = Tensor.zeros([width])
    var offset = 0
    while offset < gradOutput.count {
        for j in 0..<width { result.storage[j] += gradOutput.storage[offset + j] }
        offset += width
    }
    return result
}
