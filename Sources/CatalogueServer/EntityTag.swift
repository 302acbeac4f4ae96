/// Strong entity tags from a hash of the body, and `If-None-Match` matching.
enum EntityTag {
    /// `"` + 16 hex digits of the body's 64-bit FNV-1a hash + `"`.
    static func strong(for bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// Whether an `If-None-Match` header value names `eTag` (weak comparison, as RFC 9110 §13.1.2 asks), or is `*`.
    static func matches(ifNoneMatch header: String, eTag: String) -> Bool {
        let wanted = eTag.hasPrefix("W/") ? String(eTag.dropFirst(2)) : eTag
        return header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharactersInSet(" \t")
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = String(tag.dropFirst(2)) }
            return tag == wanted
        }
    }
}

extension Substring {
    /// The text without leading and trailing characters from `set` (no Foundation needed).
    fileprivate func trimmingCharactersInSet(_ set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
