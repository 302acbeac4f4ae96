import Foundation
import NightshiftTesting
import Testing

/// `nightshift users add|list|passwd|remove` through the real binary, passwords on standard input.
@Suite struct UsersCommandTests {
    /// Runs `printf INPUT | nightshift ARGS…` (the password arrives on standard input, as with a pipe in a script).
    func piped(_ cli: CLIHarness, _ input: String, _ arguments: [String]) async throws -> CommandResult {
        let quoted = ([CommandRunner.nightshiftBinary] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try await CommandRunner.run("/bin/sh", ["-c", "printf '%s\\n' '\(input)' | \(quoted)"], environment: cli.environment)
    }

    @Test func addListPasswdRemove() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let added = try await piped(cli, "viewer-secret-1", ["users", "add", "vera", "--role", "viewer", "--password-stdin"])
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stdout.contains("added vera as viewer"))
        let listed = try await cli.nightshift("users", "list", "--json")
        let users = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(users.map { $0["name"] as? String } == ["vera"] && users.first?["role"] as? String == "viewer")
        #expect(!listed.stdout.contains("viewer-secret-1"))

        let again = try await piped(cli, "viewer-secret-1", ["users", "add", "vera", "--role", "operator", "--password-stdin"])
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("user 'vera' exists"), "\(again.stderr)")

        let passwd = try await piped(cli, "viewer-secret-2", ["users", "passwd", "vera", "--password-stdin"])
        #expect(passwd.exitCode == 0, "\(passwd.stderr)")
        let removed = try await cli.nightshift("users", "remove", "vera")
        #expect(removed.exitCode == 0, "\(removed.stderr)")
        let unknown = try await cli.nightshift("users", "remove", "vera")
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("unknown user 'vera'; users: admin"), "\(unknown.stderr)")
        let events = try await cli.nightshift("events", "list", "--json")
        for kind in ["user_add", "user_passwd", "user_remove"] { #expect(events.stdout.contains("\"kind\":\"\(kind)\""), "\(kind)") }
    }

    @Test func badInputIsRefusedAndNothingIsWritten() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let badRole = try await piped(cli, "long-enough-1", ["users", "add", "vera", "--role", "root", "--password-stdin"])
        #expect(badRole.exitCode == 2)
        #expect(badRole.stderr.contains("invalid --role 'root': use viewer, operator or admin"), "\(badRole.stderr)")
        let badName = try await piped(cli, "long-enough-1", ["users", "add", "Vera!", "--role", "viewer", "--password-stdin"])
        #expect(badName.exitCode == 2)
        #expect(badName.stderr.contains("invalid user name 'Vera!'"), "\(badName.stderr)")
        let short = try await piped(cli, "short", ["users", "add", "vera", "--role", "viewer", "--password-stdin"])
        #expect(short.exitCode == 2)
        #expect(short.stderr.contains("password too short for vera"), "\(short.stderr)")
        let noTerminal = try await cli.nightshift("users", "add", "vera", "--role", "viewer")
        #expect(noTerminal.exitCode == 2)
        #expect(noTerminal.stderr.contains("--password-stdin"), "\(noTerminal.stderr)")
        let asArgument = try await cli.nightshift("users", "add", "vera", "--role", "viewer", "--password", "secret-secret")
        #expect(asArgument.exitCode == 2, "a password is never an argument")
        let admin = try await piped(cli, "long-enough-1", ["users", "add", "admin", "--role", "viewer", "--password-stdin"])
        #expect(admin.exitCode == 2)
        let listed = try await cli.nightshift("users", "list", "--json")
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(listed.stdout)")
    }
}
