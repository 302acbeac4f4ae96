import CCurl
import Foundation
import Synchronization

/// Idle easy handles kept for reuse, and the bridge that runs a blocking transfer on its own thread.
final class HandlePool: Sendable {
    private let idle = Mutex<[EasyHandle]>([])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Runs one transfer on a dedicated thread (never the cooperative pool) and resumes with its result.
    /// Cancelling the calling task aborts the transfer through libcurl's progress callback.
    /// - Throws: `CancellationError` when the task was cancelled before or during the transfer.
    func perform(_ request: TransferRequest) async throws -> Result<TransferResponse, TransferFailure> {
        try Task.checkCancellation()
        let state = TransferState(maxBodyBytes: request.maxBodyBytes)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<TransferResponse, TransferFailure>, Never>) in
                let thread = Thread { [self] in
                    guard let handle = take() else {
                        continuation.resume(returning: .failure(TransferFailure(
                            kind: .curl(code: Int32(CURLE_FAILED_INIT.rawValue), message: Self.initFailure), retryable: false)))
                        return
                    }
                    let result = handle.perform(request, state: state)
                    put(handle)
                    continuation.resume(returning: result)
                }
                thread.name = "nightshift-http"
                thread.start()
            }
        } onCancel: {
            state.cancel()
        }
        if state.isCancelled { throw CancellationError() }
        return result
    }

    private func take() -> EasyHandle? {
        idle.withLock { $0.popLast() } ?? EasyHandle()
    }

    private func put(_ handle: EasyHandle) {
        let kept = idle.withLock { handles in
            guard handles.count < capacity else { return false }
            handles.append(handle)
            return true
        }
        _ = kept   // a handle beyond capacity is released here, outside the lock
    }

    /// Why no easy handle could be made: libcurl missing (it is loaded on first use), or curl_easy_init failing.
    static var initFailure: String {
        if let error = ns_curl_load_error() { return "libcurl could not be loaded: " + String(cString: error) }
        return "curl_easy_init failed"
    }
}
