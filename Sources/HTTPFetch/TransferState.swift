import Synchronization

/// The context libcurl's C callbacks reach through `CURLOPT_WRITEDATA`/`HEADERDATA`/`XFERINFODATA`.
///
/// Only the transfer thread touches `body`, `headers` and `bodyTooLarge`; `cancelled` is set from any thread.
final class TransferState: @unchecked Sendable {
    let maxBodyBytes: Int
    var body: [UInt8] = []
    /// Lowercased name → value, for the latest response seen (reset on every status line).
    var headers: [String: String] = [:]
    var bodyTooLarge = false
    private let cancelled = Atomic<Bool>(false)

    /// Whether the waiting task was cancelled; the progress callback then aborts the transfer.
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Marks the transfer cancelled (from any thread).
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends body bytes, or refuses (returning false) when they would exceed the limit.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one header line as libcurl delivers it (`Name: value\r\n`, or a status line starting a new response).
    func addHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmedWhitespace()
        if line.hasPrefix("HTTP/") {
            headers = [:]   // a new response (redirect hop, 100 Continue): keep only the last one's headers
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmedWhitespace().lowercased()
        let value = line[line.index(after: colon)...].trimmedWhitespace()
        guard !name.isEmpty else { return }
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
    }
}

extension StringProtocol {
    /// Drops whitespace (spaces, tabs, line breaks) from both ends.
    func trimmedWhitespace() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
