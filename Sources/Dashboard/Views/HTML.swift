/// HTML building with escaping by default: every piece of text that reaches a page goes through ``HTML/escape(_:)``.
enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe in element content and in quoted attribute values.
    static func escape(_ text: some StringProtocol) -> String {
        // Most text has nothing to escape: one byte scan, no rebuild.
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

import Hummingbird
import NIOCore

extension HTML {
    /// A `text/html` response.
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `name="value"` with the value escaped.
    static func attribute(_ name: String, _ value: some StringProtocol) -> String { "\(name)=\"\(escape(value))\"" }

    /// A path segment percent-encoded for a URL inside `href` (ids may hold any character).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:@+")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `/dags/D`, `/dags/D/runs/R`, … with every id encoded.
    static func path(_ parts: String...) -> String { "/" + parts.map(segment).joined(separator: "/") }
}

import Foundation
