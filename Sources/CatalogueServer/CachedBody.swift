import Hummingbird

/// A response body with its validator: the bytes, their strong ETag and their media type.
struct CachedBody: Sendable {
    let bytes: ByteBuffer
    /// Quoted, strong: `"9f3c…"`.
    let eTag: String
    let contentType: String

    init(bytes: [UInt8], contentType: String) {
        self.bytes = ByteBuffer(bytes: bytes)
        eTag = EntityTag.strong(for: bytes)
        self.contentType = contentType
    }
}
