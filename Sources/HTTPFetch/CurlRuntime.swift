import CCurl

/// libcurl's process-wide setup, run exactly once (a `static let` initializer is lazy and thread-safe).
enum CurlRuntime {
    /// `ns_global_init(CURL_GLOBAL_DEFAULT)`'s result; read it to make sure initialization happened.
    static let initialized: Bool = ns_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}
