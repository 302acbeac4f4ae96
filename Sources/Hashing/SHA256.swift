import Crypto
import _CryptoExtras

/// SHA-256 with HMAC-SHA-256 and PBKDF2-HMAC-SHA-256 on top, for content-addressed snapshot ids, batch ids, run seeds
/// and the dashboard's password hashes: a thin interface over apple/swift-crypto (BoringSSL's vetted implementations),
/// so callers hash byte arrays and strings without touching its types.
///
/// As a value it hashes a stream (`update`, then `finalize`); the static functions hash whole messages.
///
/// `@unchecked Sendable`: swift-crypto 3's `SHA256` is not marked Sendable on Linux, but it is a value type whose
/// BoringSSL context is copied on write (`isKnownUniquelyReferenced`), so copies never share mutable state.
public struct SHA256: @unchecked Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    /// Feeds bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let chunk = Array(bytes)
        chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    /// Feeds the UTF-8 bytes of `text`.
    public mutating func update(_ text: String) { update(text.utf8) }

    /// The digest of everything fed so far (32 bytes); the hasher can keep being fed.
    public func finalize() -> [UInt8] { Array(hasher.finalize()) }

    /// Lowercase hex of ``finalize()``.
    public func hexDigest() -> String { Self.hexString(finalize()) }

    /// The lowercase hex digest of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { hexString(hash(Array(bytes))) }

    /// The digest of `message` (32 bytes).
    public static func hash(_ message: [UInt8]) -> [UInt8] { Array(Crypto.SHA256.hash(data: message)) }

    /// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<Crypto.SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// PBKDF2-HMAC-SHA-256 (RFC 8018) with one 32-byte output block. Any iteration count is accepted, so hashes stored
    /// with fewer rounds than today's can still be checked (and then upgraded by the caller).
    /// - Precondition: `iterations >= 1`.
    public static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration, got \(iterations)")
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // BoringSSL fails only on allocation failure or impossible parameters (checked above).
            preconditionFailure("PBKDF2-HMAC-SHA-256 failed: \(error)")
        }
    }

    /// Lowercase hex of `bytes`.
    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }
}
