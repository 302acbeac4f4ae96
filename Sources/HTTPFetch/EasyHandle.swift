import CCurl

/// One libcurl easy handle, cleaned up in `deinit`.
///
/// A handle is used by one thread at a time (the pool hands it out exclusively), which is what makes the
/// `@unchecked Sendable` sound. Reusing handles keeps libcurl's connection and DNS caches warm.
final class EasyHandle: @unchecked Sendable {
    private let raw: UnsafeMutableRawPointer

    /// Returns nil when libcurl cannot allocate a handle.
    init?() {
        guard CurlRuntime.initialized, let raw = ns_easy_init() else { return nil }
        self.raw = raw
    }

    deinit {
        ns_easy_cleanup(raw)
    }

    /// Performs one blocking GET. Call it on a dedicated thread, never on the cooperative pool.
    func perform(_ request: TransferRequest, state: TransferState) -> Result<TransferResponse, TransferFailure> {
        ns_easy_reset(raw)
        defer { ns_easy_reset(raw) }   // drop the pointers into `state` and the error buffer; connections survive
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for line in request.headerLines {
            headerList = ns_slist_append(headerList, line)
        }
        defer { ns_slist_free_all(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let context = Unmanaged.passUnretained(state).toOpaque()

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            ns_setopt_pointer(raw, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            ns_setopt_string(raw, CURLOPT_URL, request.url)
            if let body = request.postBody {
                ns_setopt_long(raw, CURLOPT_POST, 1)
                ns_setopt_long(raw, CURLOPT_POSTFIELDSIZE, body.count)
                body.withUnsafeBytes { bytes in  // copied by libcurl before this returns
                    _ = ns_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                }
            } else {
                ns_setopt_long(raw, CURLOPT_HTTPGET, 1)
            }
            ns_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
            ns_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "http,https")
            ns_setopt_string(raw, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            ns_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.wholeMilliseconds))
            ns_setopt_long(raw, CURLOPT_TIMEOUT_MS, Int(request.totalTimeout.wholeMilliseconds))
            ns_setopt_long(raw, CURLOPT_FOLLOWLOCATION, 1)
            ns_setopt_long(raw, CURLOPT_MAXREDIRS, max(0, request.maxRedirects))
            ns_setopt_string(raw, CURLOPT_ACCEPT_ENCODING, "")   // every encoding libcurl can decode
            ns_setopt_string(raw, CURLOPT_USERAGENT, request.userAgent)
            ns_setopt_string(raw, CURLOPT_PROXY, request.proxy ?? "")   // "" ignores http_proxy & co.
            ns_setopt_off_t(raw, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBodyBytes))
            ns_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList)

            ns_setopt_pointer(raw, CURLOPT_WRITEDATA, context)
            ns_setopt_write_function(raw) { data, size, count, context in
                let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
                let length = size * count
                return state.append(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
            }
            ns_setopt_pointer(raw, CURLOPT_HEADERDATA, context)
            ns_setopt_header_function(raw) { data, size, count, context in
                let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
                let length = size * count
                state.addHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
                return length
            }
            ns_setopt_long(raw, CURLOPT_NOPROGRESS, 0)
            ns_setopt_pointer(raw, CURLOPT_XFERINFODATA, context)
            ns_setopt_xferinfo_function(raw) { context, _, _, _, _ in
                let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
                return state.isCancelled ? 1 : 0   // non-zero aborts: CURLE_ABORTED_BY_CALLBACK
            }
            return withExtendedLifetime(state) { ns_easy_perform(raw) }
        }

        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(failure(for: code, detail: detail, request: request, state: state))
        }
        var status = 0
        ns_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>? = nil
        ns_getinfo_string(raw, CURLINFO_EFFECTIVE_URL, &effective)
        let url = effective.map { String(cString: $0) } ?? request.url
        return .success(TransferResponse(status: status, url: url, headers: state.headers, body: state.body))
    }

    /// Maps a libcurl failure to the error kind callers see, and says whether another try may help.
    private func failure(for code: CURLcode, detail: String, request: TransferRequest, state: TransferState) -> TransferFailure {
        switch code {
        case CURLE_WRITE_ERROR where state.bodyTooLarge, CURLE_FILESIZE_EXCEEDED:
            return TransferFailure(kind: .bodyTooLarge(limit: request.maxBodyBytes), retryable: false)
        case CURLE_OPERATION_TIMEDOUT:
            var connectMicroseconds: curl_off_t = 0
            ns_getinfo_off_t(raw, CURLINFO_CONNECT_TIME_T, &connectMicroseconds)
            let limit = connectMicroseconds == 0 && request.connectTimeout < request.totalTimeout
                ? request.connectTimeout : request.totalTimeout
            return TransferFailure(kind: .timedOut(after: limit), retryable: true)
        case CURLE_TOO_MANY_REDIRECTS:
            return TransferFailure(kind: .tooManyRedirects(limit: request.maxRedirects), retryable: false)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return TransferFailure(kind: .invalidURL, retryable: false)
        default:
            let text = String(cString: ns_easy_strerror(code))
            let message = detail.isEmpty || detail == text ? text : "\(text): \(detail)"
            return TransferFailure(kind: .curl(code: Int32(code.rawValue), message: message), retryable: Self.retryable.contains(code))
        }
    }

    /// Connection-level failures worth another try.
    private static let retryable: Set<UInt32> = [
        CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
        CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_CONNECT_ERROR,
    ].reduce(into: []) { $0.insert($1.rawValue) }
}

extension Set where Element == UInt32 {
    fileprivate func contains(_ code: CURLcode) -> Bool { contains(code.rawValue) }
}
