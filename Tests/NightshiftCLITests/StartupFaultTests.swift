import Foundation
import NightshiftTesting
import Testing

/// A broken home stops `scheduler`, `standalone` and `serve` at start with one sentence naming the path, exit 1, and
/// nothing overwritten: a database that is not one, a truncated database, a home that cannot be written, a log
/// directory replaced by a file.
@Suite struct StartupFaultTests {
    /// Starts `command` on the harness's home and expects it to exit 1 at once with `fragments` in its error.
    func expectRefusal(_ cli: CLIHarness, _ command: [String], _ fragments: [String]) async throws {
        let result = try await cli.nightshift(command + ["--port", "0"].filter { _ in command.first != "scheduler" })
        #expect(result.exitCode == 1, "\(command): \(result.stderr)")
        for fragment in fragments { #expect(result.stderr.contains(fragment), "\(command): '\(fragment)' not in \(result.stderr)") }
    }

    @Test func aFileThatIsNotADatabaseIsNamedAndLeftAlone() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let path = cli.home.path + "/nightshift.db"
        let garbage = Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: path))
        for command in [["scheduler"], ["standalone", "--no-first-run"], ["serve"]] {
            try await expectRefusal(cli, command, [path])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage, "nothing overwritten")
    }

    @Test func aTruncatedDatabaseIsNamedAndLeftAlone() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        // A real store with some history, copied to one file, then cut to 60 % as a full disk or a bad copy would.
        for _ in 0..<20 { #expect(try await cli.nightshift("dags", "trigger", "example_etl").exitCode == 0) }
        let copy = cli.home.path + "/whole.db"
        #expect(try await cli.nightshift("db", "backup", copy).exitCode == 0)
        let target = try TemporaryHome("truncated")
        defer { target.remove() }
        let whole = try Data(contentsOf: URL(fileURLWithPath: copy))
        let truncated = whole.prefix(whole.count * 6 / 10 / 4096 * 4096)
        let path = target.path + "/nightshift.db"
        try truncated.write(to: URL(fileURLWithPath: path))
        var moved = cli
        moved.environment["NIGHTSHIFT_HOME"] = target.path
        try await expectRefusal(moved, ["scheduler"], [path])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == truncated, "nothing overwritten")
        let check = try await moved.nightshift("db", "check")
        #expect(check.exitCode == 1, "db check agrees: \(check.stdout)")
    }

    @Test func aLogDirectoryReplacedByAFileIsNamed() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let logs = cli.home.path + "/logs"
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: logs))
        try await expectRefusal(cli, ["scheduler"], [logs, "is a file, not a directory"])
        #expect(try String(contentsOfFile: logs, encoding: .utf8) == "not a directory")
    }

    @Test func aHomeThatCannotBeWrittenIsNamed() async throws {
        // /sys refuses new files even to root (tests may run as root, where permission bits do not stop a write).
        var cli = try CLIHarness()
        defer { cli.cleanup() }
        cli.environment["NIGHTSHIFT_HOME"] = "/sys"
        try await expectRefusal(cli, ["scheduler"], ["the home /sys is not writable"])
        let file = cli.home.path + "/a-file"
        try Data().write(to: URL(fileURLWithPath: file))
        cli.environment["NIGHTSHIFT_HOME"] = file
        try await expectRefusal(cli, ["serve"], ["the home \(file) is a file, not a directory"])
    }
}
