/// The matrix product `op(a) · op(b)` through `cblas_sgemm`, where `op` transposes when asked.
/// Both operands must be rank 2 with matching inner dimensions (traps otherwise: a programming error).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let (aRows, aColumns) = a.matrixShape
    let (bRows, bColumns) = b.matrixShape
    let m = transposeA ? aColumns : aRows
    let k = transposeA ? aRows : aColumns
    let kB = transposeB ? bColumns : bRows
    let n = transposeB ? bRows : bColumns
    precondition(k == kB, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    var result = Tensor.zeros([m, n])
    if m == 0 || n == 0 || k == 0 { return result }
    a.storage.withUnsafeBufferPointer { aBuffer in
        b.storage.withUnsafeBufferPointer { bBuffer in
            result.storage.withUnsafeMutableBufferPointer { cBuffer in
                sgemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                    aBuffer.baseAddress!, lda: aColumns, bBuffer.baseAddress!, ldb: bColumns, cBuffer.baseAddress!, ldc: n)
            }
        }
    }
    return result
}

/// Gradients of `c = matmul(a, b)`: `∂a = ∂c · bᵀ` and `∂b = aᵀ · ∂c`.
public func matmulBackward(gradOutput: Tensor, a: Tensor, b: Tensor) -> (gradA: Tensor, gradB: Tensor) {
    (matmul(gradOutput, b, transposeB: true), matmul(a, gradOutput, transposeA: true))
}
