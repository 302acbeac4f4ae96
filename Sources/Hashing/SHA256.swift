/// SHA-256 (FIPS 180-4), with HMAC-SHA-256 and PBKDF2-HMAC-SHA-256 on top: content-addressed snapshot ids,
/// batch ids and the dashboard's password hashes. Foundation on Linux has no CryptoKit, and a few hash functions do
/// not justify a cryptography package.
///
/// As a value it hashes a stream (`update`, then `finalize`); the static functions hash whole messages and work on
/// whole blocks, so PBKDF2's tens of thousands of HMACs stay fast.
public struct SHA256: Sendable {
    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
    /// The initial hash value.
    static let initial: [UInt32] = [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19]

    private var state = SHA256.initial
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0
    private var schedule = [UInt32](repeating: 0, count: 64)

    public init() {}

    /// Feeds bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            buffer.append(byte)
            length &+= 1
            if buffer.count == 64 {
                Self.compress(&state, buffer, 0, &schedule)
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Feeds the UTF-8 bytes of `text`.
    public mutating func update(_ text: String) { update(text.utf8) }

    /// The digest as 32 bytes (the hasher itself is left as it was).
    public func finalize() -> [UInt8] {
        var state = self.state
        Self.digest(into: &state, message: buffer, prefixLength: length - UInt64(buffer.count))
        return Self.bytes(of: state)
    }

    /// The digest in lowercase hex.
    public func hexDigest() -> String { Self.hexString(finalize()) }

    /// The hex digest of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    /// The digest of `message` (32 bytes).
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var state = initial
        digest(into: &state, message: message, prefixLength: 0)
        return bytes(of: state)
    }

    /// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] { HMACKey(key).authenticate(message) }

    /// PBKDF2-HMAC-SHA-256 (RFC 8018) with one 32-byte output block.
    public static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let keyed = HMACKey(password)
        var u = keyed.authenticate(salt + [0, 0, 0, 1])
        var result = u
        if iterations > 1 {
            for _ in 1..<iterations {
                u = keyed.authenticate(u)
                for i in 0..<32 { result[i] ^= u[i] }
            }
        }
        return result
    }

    /// Lowercase hex of `bytes`.
    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// Hashes `message` (padded) into `state`, as if `prefixLength` bytes (whole blocks) had already been compressed.
    static func digest(into state: inout [UInt32], message: [UInt8], prefixLength: UInt64) {
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = (UInt64(message.count) &+ prefixLength) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 64)
        for offset in stride(from: 0, to: padded.count, by: 64) { compress(&state, padded, offset, &w) }
    }

    /// Compresses the 64-byte block at `offset` of `block` into `state`; `w` is the message schedule's scratch space.
    static func compress(_ state: inout [UInt32], _ block: [UInt8], _ offset: Int, _ w: inout [UInt32]) {
        for i in 0..<16 {
            let j = offset + i * 4
            w[i] = UInt32(block[j]) << 24 | UInt32(block[j + 1]) << 16 | UInt32(block[j + 2]) << 8 | UInt32(block[j + 3])
        }
        for i in 16..<64 {
            let s0 = rotate(w[i - 15], 7) ^ rotate(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotate(w[i - 2], 17) ^ rotate(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
        for i in 0..<64 {
            let s1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
            let s0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ s0 &+ majority)
        }
        state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
        state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
    }

    static func bytes(of state: [UInt32]) -> [UInt8] {
        state.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }

    @inline(__always) private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 { (value >> count) | (value << (32 - count)) }

    /// An HMAC key with the inner and outer pad blocks compressed once, so each message costs only its own blocks.
    public struct HMACKey: Sendable {
        var inner: [UInt32]
        var outer: [UInt32]

        public init(_ key: [UInt8]) {
            var block = key.count > 64 ? SHA256.hash(key) : key
            block += [UInt8](repeating: 0, count: 64 - block.count)
            var w = [UInt32](repeating: 0, count: 64)
            inner = SHA256.initial
            outer = SHA256.initial
            SHA256.compress(&inner, block.map { $0 ^ 0x36 }, 0, &w)
            SHA256.compress(&outer, block.map { $0 ^ 0x5c }, 0, &w)
        }

        /// HMAC-SHA-256 of `message` under this key.
        public func authenticate(_ message: [UInt8]) -> [UInt8] {
            var state = inner
            SHA256.digest(into: &state, message: message, prefixLength: 64)
            var second = outer
            SHA256.digest(into: &second, message: SHA256.bytes(of: state), prefixLength: 64)
            return SHA256.bytes(of: second)
        }
    }
}
