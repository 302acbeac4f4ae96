import CBLAS

/// Sets the number of threads OpenBLAS uses for every later matrix product in this process.
/// - Parameter count: at least 1; a task should pass its pool slot's core count so training does not oversubscribe.
public func setThreads(_ count: Int) {
    precondition(count >= 1, "thread count must be at least 1, got \(count)")
    ns_blas_set_threads(Int32(count))
}
