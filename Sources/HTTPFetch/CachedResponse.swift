/// A validated response kept for conditional requests: its validators, headers and body.
struct CachedResponse: Sendable, Equatable {
    var metadata: CacheMetadata
    var body: [UInt8]
}
