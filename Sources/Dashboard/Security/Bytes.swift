/// Byte helpers for credentials and tokens (hashing itself is module Digest's `SHA256`).
extension Array where Element == UInt8 {
    /// Lowercase hex.
    var hex: String {
        let digits = Array<Character>("0123456789abcdef")
        return String(flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// Bytes from hex, or nil when `text` is not even-length hex.
    init?(hex text: String) {
        let scalars = Array(text.utf8)
        guard scalars.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        for i in stride(from: 0, to: scalars.count, by: 2) {
            guard let high = nibble(scalars[i]), let low = nibble(scalars[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self = bytes
    }

    /// `count` bytes from the system's cryptographic generator (getrandom on Linux).
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Compares two byte strings in time independent of where they differ.
func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<a.count { difference |= a[i] ^ b[i] }
    return difference == 0
}
