import CBLAS

/// The process's BLAS library (OpenBLAS, loaded on first use).
public enum BLAS {
    /// Loads OpenBLAS now. Call it before training so a missing library is a clear error, not a trap mid-step.
    /// - Throws: `LearningError.Kind.blasUnavailable` with the loader's reason.
    public static func load() throws(LearningError) {
        if let reason = ns_blas_load_error() { throw LearningError(.blasUnavailable(reason: String(cString: reason))) }
    }

    /// The number of threads OpenBLAS uses for each matrix product.
    public static var threads: Int { Int(ns_blas_threads()) }
}

/// Row-major `c = alpha · op(a) · op(b) + beta · c` on raw buffers: the one entry point to `sgemm` in this module,
/// so convolutions and LSTM steps can multiply slices without copying them into tensors.
/// - Parameters:
///   - m: rows of `op(a)` and `c`; `n`: columns of `op(b)` and `c`; `k`: the inner dimension.
///   - lda, ldb, ldc: the row strides of `a`, `b` and `c` as stored (before any transpose).
@inline(__always)
func sgemm(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        // op(a)·op(b) is all zeros; only the beta scaling remains (BLAS implementations differ on k = 0).
        for row in 0..<m { for column in 0..<n { c[row * ldc + column] = beta == 0 ? 0 : beta * c[row * ldc + column] } }
        return
    }
    ns_sgemm(
        transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
        a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
