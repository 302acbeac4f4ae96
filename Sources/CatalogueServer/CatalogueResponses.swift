import HTTPTypes
import Hummingbird

/// Builds the server's responses: every one has a `Content-Type` and a strong `ETag`; content also has `Last-Modified`.
enum CatalogueResponses {
    /// The catalogue never changes while a server runs, so every body has the same modification date.
    static let lastModified = "Wed, 01 Jan 2025 00:00:00 GMT"

    /// `body` with its validators, or `304 Not Modified` with an empty body when `If-None-Match` names its ETag.
    static func content(_ body: CachedBody, for request: Request) -> Response {
        var headers: HTTPFields = [.eTag: body.eTag, .lastModified: lastModified, .contentType: body.contentType]
        if let ifNoneMatch = request.headers[.ifNoneMatch], EntityTag.matches(ifNoneMatch: ifNoneMatch, eTag: body.eTag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers, body: .init())
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body.bytes))
    }

    /// A Jikan-shaped JSON error: `{"error":null,"message":…,"status":…,"type":…}`.
    static func error(_ status: HTTPResponse.Status, type: String, message: String) -> Response {
        let json = "{\"error\":null,\"message\":\(quoted(message)),\"status\":\(status.code),\"type\":\(quoted(type))}"
        let bytes = Array(json.utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .eTag: EntityTag.strong(for: bytes)],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON string literal for plain text (escapes quotes, backslashes and control characters).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20: result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
