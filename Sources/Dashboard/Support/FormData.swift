/// An `application/x-www-form-urlencoded` body (or query string): ordered name/value pairs.
struct FormData: Sendable {
    var pairs: [(String, String)] = []

    init() {}

    /// Parses `a=1&b=x+y&c=%3C`; malformed escapes are kept literally.
    init(_ text: Substring) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    static func decode(_ text: Substring) -> String {
        let plus = text.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}

import Foundation
