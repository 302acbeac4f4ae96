import Foundation
import Logging
import NightshiftCLI
import NightshiftTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--log-format json`: one JSON object per line on standard error, the metadata as fields.
@Suite struct LogFormatTests {
    /// Every non-empty line of `text` as a JSON object; records an issue for a line that is not one.
    func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            return object
        }
    }

    @Test func aLineCarriesTheMetadataAsFieldsAndKeepsReservedNames() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_765_000_000.25), level: .warning, label: "nightshift.scheduler", message: "say \"hi\"\nthere",
            source: "Scheduler", error: "boom",
            metadata: ["run": "r1", "level": "shadow", "tries": .array(["1", "2"]), "pool": .dictionary(["slots": "3"])])
        #expect(!line.contains("\n"), "one line per event")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2025-12-06T05:46:40.250Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["metadata.level"] as? String == "shadow", "a metadata key never replaces a reserved field")
        #expect(object["message"] as? String == "say \"hi\"\nthere")
        #expect(object["error"] as? String == "boom")
        #expect(object["run"] as? String == "r1")
        #expect(object["tries"] as? [String] == ["1", "2"])
        #expect((object["pool"] as? [String: String])?["slots"] == "3")
    }

    @Test func schedulerWritesJSONLines() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let scheduler = try CommandRunner.start(
            CommandRunner.nightshiftBinary, ["scheduler", "--log-format", "json", "--retention", "30d", "--shutdown-grace", "1"],
            environment: cli.environment)
        defer { if scheduler.process.isRunning { kill(scheduler.pid, SIGKILL) } }
        let runID = try await cli.trigger("example_etl")
        _ = try await cli.waitForRun(runID)
        kill(scheduler.pid, SIGTERM)
        let result = await scheduler.finish()
        let lines = objects(result.stderr)
        #expect(lines.count >= 2, "\(result.stderr)")
        #expect(lines.allSatisfy { $0["time"] is String && $0["level"] is String && $0["label"] is String && $0["message"] is String })
        let started = try #require(lines.first { $0["message"] as? String == "Scheduler started" }, "\(result.stderr)")
        #expect(started["home"] as? String == cli.home.path)
        #expect(started["label"] as? String == "nightshift.scheduler")
        let retention = try #require(lines.first { $0["label"] as? String == "nightshift.retention" }, "\(result.stderr)")
        #expect(retention["runs"] as? String == "0")
    }

    @Test func standaloneKeepsItsBannersInTheJSONStream() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let standalone = try CommandRunner.start(
            CommandRunner.nightshiftBinary, ["standalone", "--no-first-run", "--port", "0", "--log-format", "json", "--shutdown-grace", "1"],
            environment: cli.environment)
        defer { if standalone.process.isRunning { kill(standalone.pid, SIGKILL) } }
        let runID = try await cli.trigger("example_etl")
        _ = try await cli.waitForRun(runID)
        kill(standalone.pid, SIGTERM)
        let result = await standalone.finish()
        let lines = objects(result.stderr)  // every line, the banners included, is a JSON object
        let banner = try #require(lines.first { ($0["message"] as? String ?? "").hasPrefix("Nightshift standalone") }, "\(result.stderr)")
        #expect(banner["level"] as? String == "notice")
        #expect((banner["message"] as? String ?? "").contains(cli.home.path))
        #expect(lines.contains { $0["message"] as? String == "Scheduler started" })

        let bad = try await cli.nightshift("serve", "--log-format", "xml")
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("xml"), "\(bad.stderr)")
    }
}
