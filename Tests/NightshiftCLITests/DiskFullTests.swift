import Foundation
import GRDB
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A full disk, made for real: small tmpfs filesystems mounted under a test home (root only), filled by the try's
/// own output or by a filler file, then given space back.
@Suite(.serialized, .enabled(if: getuid() == 0, "mounts tmpfs filesystems: needs root"))
struct DiskFullTests {
    /// Mounts (and unmounts) a tmpfs of a given size.
    enum Tmpfs {
        static func mount(at path: String, size: String) async throws {
            let result = try await CommandRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
            try #require(result.exitCode == 0, "mount tmpfs at \(path): \(result.stderr)")
        }

        static func resize(_ path: String, size: String) async throws {
            let result = try await CommandRunner.run("/bin/mount", ["-o", "remount,size=\(size)", path])
            try #require(result.exitCode == 0, "remount \(path): \(result.stderr)")
        }

        /// Detaches it at once, even while a process still has a file open there.
        static func unmount(_ path: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/umount")
            process.arguments = ["-l", path]
            try? process.run()
            process.waitUntilExit()
        }
    }

    /// Writes zeros to `path` until the filesystem refuses (ENOSPC); returns the bytes written.
    static func fill(_ path: String) throws -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0, "open \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var written = 0
        for chunk in [1 << 20, 4096, 512] {
            let zeros = [UInt8](repeating: 0, count: chunk)
            while true {
                let n = zeros.withUnsafeBytes { write(fd, $0.baseAddress, chunk) }
                if n > 0 { written += n; continue }
                try #require(errno == ENOSPC, "filling \(path): \(String(cString: strerror(errno)))")
                break
            }
        }
        return written
    }

    @Test func aFullLogDiskFailsTheTryNamingItsLogAndTheSchedulerRecovers() async throws {
        let cli = try CLIHarness(synthetic: "fixture:chatty")
        defer { cli.cleanup() }
        let logs = cli.home.path + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: logs, size: "1m")
        defer { Tmpfs.unmount(logs) }
        let scheduler = try cli.startScheduler()

        // 3 MB of output into a 1 MB log filesystem.
        let runID = try await cli.trigger("fixture_chatty", conf: #"{"bytes": 3000000}"#)
        let run = try await cli.waitForRun(runID)
        #expect(run["state"] as? String == "failed")
        let attempt = try #require((cli.tasks(of: run).first?["tries"] as? [[String: Any]])?.first)
        let error = attempt["error"] as? String ?? ""
        let path = "\(logs)/fixture_chatty/\(runID)/chatty/try-1.log"
        #expect(error.hasPrefix("cannot write the try's log \(path): No space left on device"), "\(error)")
        #expect(scheduler.process.isRunning, "the scheduler keeps running")

        // Space back: the next run of the same DAG succeeds and its log is whole.
        try await Tmpfs.resize(logs, size: "64m")
        let again = try await cli.trigger("fixture_chatty", conf: #"{"bytes": 1000}"#)
        #expect(try await cli.waitForRun(again)["state"] as? String == "success")
        let log = try await cli.nightshift("tasks", "logs", "fixture_chatty", "--run", again, "--task", "chatty")
        #expect(log.stdout.contains("done"))
        let check = try await cli.nightshift("db", "check")
        #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
        await cli.stop(scheduler)
    }

    @Test func aFullStoreDiskRefusesWritesWholeAndTheSchedulerRecovers() async throws {
        let cli = try CLIHarness(synthetic: "fixture:gated")
        defer { cli.cleanup() }
        try await Tmpfs.mount(at: cli.home.path, size: "32m")
        defer { Tmpfs.unmount(cli.home.path) }
        let scheduler = try cli.startScheduler()
        let gate = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-gate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: gate) }
        let runID = try await cli.trigger("fixture_gated", conf: #"{"gate": "\#(gate)"}"#)
        let running = try await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
            (cli.tasks(of: try await cli.runJSON(runID)).first?["state"] as? String) == "running"
        }
        try #require(running, "the gated try started")

        // No slack left in the write-ahead log, then no free space: every commit now needs a page the disk lacks.
        let database = try DatabaseQueue(path: cli.home.path + "/nightshift.db")
        let truncated = try await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
            try database.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")?[0] as Int? == 0 }
        }
        try #require(truncated, "checkpointed the WAL")
        try database.close()
        let filler = cli.home.path + "/filler"
        #expect(try Self.fill(filler) > 0)

        let refused = try await cli.nightshift("dags", "trigger", "fixture_gated", "--conf", #"{"gate": "\#(gate)"}"#)
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("disk is full"), "\(refused.stderr)")
        // The try ends while the disk is full: neither its outcome nor the scheduler's pass can be written.
        FileManager.default.createFile(atPath: gate, contents: Data())
        try await Task.sleep(for: .seconds(2))
        #expect(scheduler.process.isRunning, "the scheduler keeps running")
        #expect(try await cli.runJSON(runID)["state"] as? String == "running", "nothing recorded while full")

        // Space back: the scheduler applies what it saw end, the retry runs, and the store is whole.
        try FileManager.default.removeItem(atPath: filler)
        let run = try await cli.waitForRun(runID)
        #expect(run["state"] as? String == "success")
        // Try 1's process could not record its end (nor log it): it exited 1, which the scheduler applied once it could.
        let tries = cli.tasks(of: run).first?["tries"] as? [[String: Any]] ?? []
        #expect(tries.map { $0["state"] as? String } == ["failed", "success"], "\(tries)")
        let runs = try await cli.nightshift("runs", "list", "--dag", "fixture_gated", "--json")
        #expect(runs.exitCode == 0)
        #expect(!runs.stdout.contains("\"queued\""), "the refused trigger left no run behind: \(runs.stdout)")
        let check = try await cli.nightshift("db", "check")
        #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
        #expect(scheduler.process.isRunning)
        await cli.stop(scheduler)
    }
}
