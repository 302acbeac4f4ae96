import Hashing
public import Foundation
public import Store
#if canImport(Glibc)
import Glibc
#endif

/// The dashboard's secrets on disk: the admin password and the API token, each stored only as a salted hash in
/// `HOME/dashboard/admin.json` (mode 0600). The password uses PBKDF2-HMAC-SHA-256 (swift-crypto) at OWASP's 600,000
/// iterations; a hash stored with fewer (60,000 before) still verifies and is re-derived at the next successful login.
/// The token, 32 random bytes, gets a single salted SHA-256 (nothing to gain from stretching a 256-bit secret, and it
/// is checked on every API call).
public struct AdminCredentials: Sendable, Codable, Equatable {
    /// A salted hash of a secret.
    public struct Digest: Sendable, Codable, Equatable {
        public var salt: String
        public var iterations: Int
        public var hash: String

        /// Hashes `secret` with a fresh random salt.
        public static func make(_ secret: String, iterations: Int) -> Digest {
            let salt = [UInt8].random(count: 16)
            return Digest(salt: salt.hex, iterations: iterations, hash: Self.derive(secret, salt: salt, iterations: iterations).hex)
        }

        static func derive(_ secret: String, salt: [UInt8], iterations: Int) -> [UInt8] {
            iterations <= 1 ? SHA256.hash(salt + Array(secret.utf8)) : SHA256.pbkdf2(password: Array(secret.utf8), salt: salt, iterations: iterations)
        }

        /// True when `secret` hashes to this digest (compared in constant time).
        func matches(_ secret: String) -> Bool {
            guard let salt = [UInt8](hex: salt), let expected = [UInt8](hex: hash) else { return false }
            return constantTimeEquals(Self.derive(secret, salt: salt, iterations: iterations), expected)
        }
    }

    public var user: String
    public var password: Digest
    public var token: Digest
    /// What the API token may do (`NIGHTSHIFT_API_TOKEN_ROLE`); absent in files from before roles: operator.
    public var tokenRole: UserRole?

    /// The API token's role.
    public var apiTokenRole: UserRole { tokenRole ?? .operator }

    /// The PBKDF2 iteration count for new password hashes (OWASP's Password Storage Cheat Sheet, PBKDF2-HMAC-SHA256).
    public static let defaultIterations = 600_000

    /// These credentials with the password re-hashed at `iterations` when `password` is right and the stored hash
    /// uses fewer; nil when nothing needs to change.
    public func upgraded(password: String, iterations: Int) -> AdminCredentials? {
        guard self.password.iterations < iterations, checkPassword(password) else { return nil }
        var upgraded = self
        upgraded.password = .make(password, iterations: iterations)
        return upgraded
    }

    /// True when `password` is the admin password.
    public func checkPassword(_ password: String) -> Bool { self.password.matches(password) }

    /// True when `token` is the API token.
    public func checkToken(_ token: String) -> Bool { self.token.matches(token) }

    /// What ``load(home:environment:iterations:)`` created that a person must be told once.
    public struct Announcement: Sendable, Equatable {
        /// A generated password (nil when it came from the environment or already existed).
        public var password: String?
        /// A generated API token (nil when it came from the environment or already existed).
        public var token: String?
        /// The file the hashes live in.
        public var path: String
    }

    /// Loads the credentials from `directory/admin.json`, creating them at first start: the password from
    /// `NIGHTSHIFT_ADMIN_PASSWORD` or generated, the token from `NIGHTSHIFT_API_TOKEN` or generated. Environment values
    /// always win over what is stored (and replace it), so changing the variable changes the password.
    /// - Returns: the credentials and the generated secrets to print once.
    public static func load(
        directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment, iterations: Int = defaultIterations
    ) throws -> (AdminCredentials, Announcement) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent("admin.json")
        var stored = (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode(AdminCredentials.self, from: $0) }
        var announcement = Announcement(path: file.path)
        var changed = false
        let envPassword = environment["NIGHTSHIFT_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let envToken = environment["NIGHTSHIFT_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if stored == nil {
            let password = envPassword ?? generateSecret(length: 20)
            let token = envToken ?? "ns_" + [UInt8].random(count: 32).hex
            if envPassword == nil { announcement.password = password }
            if envToken == nil { announcement.token = token }
            stored = AdminCredentials(user: "admin", password: .make(password, iterations: iterations), token: .make(token, iterations: 1))
            changed = true
        } else {
            if let envPassword, !stored!.password.matches(envPassword) {
                stored!.password = .make(envPassword, iterations: iterations)
                changed = true
            }
            if let envToken, !stored!.token.matches(envToken) {
                stored!.token = .make(envToken, iterations: 1)
                changed = true
            }
        }
        if let text = environment["NIGHTSHIFT_API_TOKEN_ROLE"], !text.isEmpty {
            guard let role = UserRole(rawValue: text) else {
                throw CredentialsError("invalid NIGHTSHIFT_API_TOKEN_ROLE '\(text)': use viewer, operator or admin")
            }
            if stored!.tokenRole != role {
                stored!.tokenRole = role
                changed = true
            }
        }
        if changed { try stored!.save(in: directory) }
        return (stored!, announcement)
    }

    /// Writes `directory/admin.json` (mode 0600) by rename, so a reader never sees half of it.
    public func save(in directory: URL) throws {
        let file = directory.appendingPathComponent("admin.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let partial = directory.appendingPathComponent("admin.json.partial-\(getpid())-\([UInt8].random(count: 4).hex)")
        let created = FileManager.default.createFile(atPath: partial.path, contents: data, attributes: [.posixPermissions: 0o600])
        guard created, chmod(partial.path, 0o600) == 0, rename(partial.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }

    /// A readable random secret (letters and digits without look-alikes).
    static func generateSecret(length: Int) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

/// A credentials setting that cannot be used, in one sentence.
public struct CredentialsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Password hashes of the users in the store: the same PBKDF2-HMAC-SHA-256 digest as the admin's, as JSON text.
public enum UserPasswords {
    /// Hashes `password` with a fresh salt at `iterations` (OWASP's 600,000 by default).
    public static func hash(_ password: String, iterations: Int = AdminCredentials.defaultIterations) -> String {
        let digest = AdminCredentials.Digest.make(password, iterations: iterations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(digest)) ?? Data(), as: UTF8.self)
    }

    /// True when `password` matches the stored hash (constant-time comparison; false for unreadable text).
    public static func verify(_ password: String, stored: String) -> Bool {
        guard let digest = try? JSONDecoder().decode(AdminCredentials.Digest.self, from: Data(stored.utf8)) else { return false }
        return digest.matches(password)
    }
}
