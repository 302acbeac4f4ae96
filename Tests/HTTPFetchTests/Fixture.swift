import HTTPTypes
import Hummingbird
import NIOCore

/// Fixture bodies and validators shared by the routes and the tests.
enum Fixture {
    static let okBody = "hello from the fixture"
    static let etag = "\"v1\""
    static let etagBody = "body guarded by an etag"
    static let lastModified = "Wed, 21 Oct 2015 07:28:00 GMT"
    static let lastModifiedBody = "body guarded by last-modified"
    static let bigBytes = 64 << 10
    static let gzipPlain = "gzip-encoded fixture body, repeated: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    /// `gzipPlain` through `gzip -n -9`.
    static let gzipBytes: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 175, 202, 44, 208, 77, 205, 75, 206, 79, 73, 77, 81, 72, 203, 172, 40, 41, 45,
        74, 85, 72, 202, 79, 169, 212, 81, 40, 74, 45, 72, 77, 44, 73, 77, 177, 82, 72, 36, 18, 0, 0, 83, 33, 217, 185, 77,
        0, 0, 0,
    ]

    static func text(_ string: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: string)))
    }
}
