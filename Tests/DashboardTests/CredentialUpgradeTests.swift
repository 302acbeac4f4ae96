@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NightshiftTesting
import Store
import Testing
import Workflow

/// An `admin.json` written before the swift-crypto switch (PBKDF2-HMAC-SHA-256 at 60,000 iterations, the token as a
/// salted SHA-256) keeps working, and the first successful login re-hashes the password at the configured count.
@Suite struct CredentialUpgradeTests {
    static let oldPassword = "old password 2026"
    static let oldToken = "ns_old_token"
    /// Made by Python's hashlib: pbkdf2_hmac("sha256", password, salt, 60000) and sha256(salt + token).
    static let oldFile = """
        {
          "password" : { "hash" : "d79a74f0b7b8a81e34d847040ebb6d75127924a66f66b8a79c6218715bfde2b4", "iterations" : 60000, "salt" : "00112233445566778899aabbccddeeff" },
          "token" : { "hash" : "c7337fd139b0c8ce509037d70b2499ed38728a5f9c467f4955dd3ef001a77ae9", "iterations" : 1, "salt" : "ffeeddccbbaa99887766554433221100" },
          "user" : "admin"
        }
        """

    @Test func anOldHashVerifiesAndIsUpgradedAtTheNextLogin() async throws {
        try await withTemporaryHome("upgrade") { home in
            let directory = home.home.root.appendingPathComponent("dashboard")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("admin.json")
            try Data(Self.oldFile.utf8).write(to: file)
            let store = try home.home.openStore()
            let bag = try DAGBag([Fixture.dag])
            try await store.register(bag, now: Date())
            // No secrets in the environment: what is on disk is what counts.
            let dashboard = try Dashboard(
                configuration: .init(home: home.home, bag: bag, passwordIterations: 100_000, environment: [:]), store: store)
            #expect(dashboard.announcement.password == nil && dashboard.announcement.token == nil)
            #expect(dashboard.credentials.checkToken(Self.oldToken))
            #expect(!dashboard.credentials.checkToken("ns_wrong"))
            let app = Application(router: dashboard.buildRouter())
            try await app.test(.router) { client in
                // A wrong password changes nothing.
                #expect(try await Self.login(client, password: "wrong") == .unauthorized)
                #expect(try Self.stored(file).password.iterations == 60_000)
                // The right one logs in and re-hashes at 100,000 iterations with a fresh salt; the token is untouched.
                #expect(try await Self.login(client, password: Self.oldPassword) == .seeOther)
                let upgraded = try Self.stored(file)
                #expect(upgraded.password.iterations == 100_000)
                #expect(upgraded.password.salt != "00112233445566778899aabbccddeeff")
                #expect(upgraded.password.matches(Self.oldPassword))
                #expect(upgraded.token.hash == "c7337fd139b0c8ce509037d70b2499ed38728a5f9c467f4955dd3ef001a77ae9")
                let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
                #expect(mode == 0o600)
                // And it keeps working, now without another rewrite.
                #expect(try await Self.login(client, password: Self.oldPassword) == .seeOther)
                #expect(try Self.stored(file) == upgraded)
            }
        }
    }

    @Test func newHashesUseOWASPsIterationCount() {
        #expect(AdminCredentials.defaultIterations == 600_000)
        let digest = AdminCredentials.Digest.make("secret", iterations: 2)
        #expect(digest.matches("secret") && !digest.matches("secreT") && !digest.matches(""))
        let stored = AdminCredentials(user: "admin", password: .make("pw", iterations: 10), token: .make("t", iterations: 1))
        #expect(stored.upgraded(password: "pw", iterations: 10) == nil, "nothing to upgrade at the same count")
        #expect(stored.upgraded(password: "nope", iterations: 20) == nil, "a wrong password upgrades nothing")
        #expect(stored.upgraded(password: "pw", iterations: 20)?.password.iterations == 20)
    }

    static func stored(_ file: URL) throws -> AdminCredentials {
        try JSONDecoder().decode(AdminCredentials.self, from: Data(contentsOf: file))
    }

    /// Posts the login form (with its CSRF cookie and field) and returns the status.
    static func login(_ client: some TestClientProtocol, password: String) async throws -> HTTPResponse.Status {
        let form = try await client.execute(uri: "/login", method: .get)
        let loginCookie = try #require(Fixture.cookie(form, named: "nightshift_login"))
        let csrf = try #require(Fixture.hiddenCSRF(String(buffer: form.body)))
        let body = "csrf=\(csrf)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&next=%2Fdags"
        return try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "nightshift_login=\(loginCookie)"],
            body: ByteBuffer(string: body)
        ).status
    }
}
