import Foundation
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `catalogue scrape` as a real process against `demo-catalog serve`: killed mid-way it leaves no snapshot.
@Suite(.serialized) struct ScrapeProcessTests {
    @Test func aScrapeKilledMidwayLeavesNoSnapshotAndTheNextOneCompletes() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let server = try CommandRunner.start(
            CommandRunner.nightshiftBinary, ["demo-catalog", "serve", "--port", "0", "--shows", "60", "--slow-ms", "400"], environment: cli.environment)
        defer { kill(server.pid, SIGKILL) }
        // The server prints its base URL once it listens.
        let base = try await waitForBaseURL(server)
        let snapshots = cli.home.path + "/snapshots"
        let scrape = try CommandRunner.start(
            CommandRunner.nightshiftBinary, ["catalogue", "scrape", "--source", base, "--into", snapshots], environment: cli.environment)
        let partial = snapshots + "/.partial"
        // Kill it once responses are arriving (the HTTP cache fills as they do), well before the last poster: at 400 ms a
        // response and 4 at a time the 60 posters take at least 6 s, room for a loaded CI machine to notice.
        let cache = cli.home.path + "/cache/http"
        let midway = await eventually(timeout: .seconds(20)) {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache))?.count ?? 0) >= 3
        }
        #expect(midway)
        #expect(scrape.process.isRunning, "the scrape finished before it could be killed")
        #expect(kill(scrape.pid, SIGKILL) == 0)
        _ = await scrape.finish()
        #expect(snapshotIDs(snapshots).isEmpty, "a killed scrape must leave no snapshot")
        let finished = try await cli.nightshift("catalogue", "scrape", "--source", base, "--into", snapshots, "--json")
        #expect(finished.exitCode == 0, "\(finished.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(finished.stdout.utf8)) as? [String: Any])
        #expect(snapshotIDs(snapshots) == [try #require(result["snapshot_id"] as? String)])
        #expect(!FileManager.default.fileExists(atPath: partial))
        let again = try await cli.nightshift("catalogue", "scrape", "--source", base, "--into", snapshots, "--json")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(second["snapshot_id"] as? String == result["snapshot_id"] as? String)
        #expect(second["unchanged"] as? Bool == true)
    }

    @Test func badSourceExits2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("catalogue", "scrape", "--source", "ftp://example")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("invalid --source 'ftp://example'"))
        let refused = try await cli.nightshift("catalogue", "scrape", "--source", "http://127.0.0.1:9/v4", "--max-pages", "1")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("scrape failed at http://127.0.0.1:9/v4/top/anime?page=1"))
    }

    func snapshotIDs(_ root: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func waitForBaseURL(_ server: RunningCommand) async throws -> String {
        // The runner collects stdout at exit; read the port from the process's own announcement through /proc instead.
        var base: String?
        _ = await eventually(timeout: .seconds(20)) {
            base = listeningURL(of: server.pid)
            return base != nil
        }
        return try #require(base)
    }

    /// The loopback port the process listens on, from /proc/net/tcp and its socket inodes.
    func listeningURL(of pid: Int32) -> String? {
        guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        let inodes = Set(fds.compactMap { fd -> String? in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"), target.hasPrefix("socket:[") else { return nil }
            return String(target.dropFirst(8).dropLast())
        })
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] == "0A", inodes.contains(String(fields[9])) else { continue }
            let port = Int(fields[1].split(separator: ":")[1], radix: 16) ?? 0
            return "http://127.0.0.1:\(port)/v4"
        }
        return nil
    }
}
