import Foundation
import Hummingbird
import NIOCore
import Workflow

/// JSON responses built from ``Workflow/JSONValue`` (stable, sorted keys).
enum JSON {
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
    static func int(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
    static func date(_ date: Date?) -> JSONValue { string(Format.iso(date)) }
}
