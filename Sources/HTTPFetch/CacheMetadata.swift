/// What the on-disk `<hash>.json` holds; the body lives beside it in `<hash>.body`.
struct CacheMetadata: Codable, Sendable, Equatable {
    /// The requested URL (the cache key; checked on load against hash collisions).
    var url: String
    /// The final URL after redirects when the body was fetched.
    var finalURL: String
    var etag: String?
    var lastModified: String?
    /// Lowercased response headers.
    var headers: [String: String]
    /// Length and FNV-1a 64 checksum of the body file, so a torn or mismatched pair reads as a miss.
    var bodyLength: Int
    var bodyChecksum: UInt64
}
