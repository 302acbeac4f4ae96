import Foundation
import NightshiftTesting
import Testing

/// Bad input exits 2 with a message naming what was wrong; an invalid registry exits non-zero without crashing.
@Suite struct CLIErrorTests {
    @Test func unknownDAGExits2AndListsKnownIDs() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        for arguments in [["dags", "show", "nope"], ["dags", "trigger", "nope"], ["dags", "pause", "nope"], ["runs", "list", "--dag", "nope"]] {
            let result = try await cli.nightshift(arguments)
            #expect(result.exitCode == 2, "\(arguments)")
            #expect(result.stderr.contains("unknown DAG id 'nope'; known: anime_nightly, anime_scrape, example_etl, example_mapping, example_params, example_sensor"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func badConfJSONExits2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let notJSON = try await cli.nightshift("dags", "trigger", "example_params", "--conf", "{oops")
        #expect(notJSON.exitCode == 2)
        #expect(notJSON.stderr.contains("invalid --conf '{oops': not JSON"))
        let notObject = try await cli.nightshift("dags", "trigger", "example_params", "--conf", "[1, 2]")
        #expect(notObject.exitCode == 2)
        #expect(notObject.stderr.contains("expected a JSON object"))
        let runs = try await cli.nightshift("runs", "list", "--json")
        #expect(runs.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "a rejected trigger must create nothing")
    }

    @Test(arguments: [
        (#"{"rows": "abc"}"#, #"invalid --conf: param 'rows' must be an integer, got string "abc""#),
        (#"{"rows": 2.5}"#, "invalid --conf: param 'rows' must be an integer, got number 2.5"),
        (#"{"rows": 0}"#, "invalid --conf: param 'rows' must be at least 1, got 0"),
        (#"{"region": "mars"}"#, #"invalid --conf: param 'region' must be one of "eu", "us", "apac", got "mars""#),
        (#"{"regions": "eu"}"#, "invalid --conf: DAG 'example_etl' has no param 'regions'; params: region, rows"),
    ])
    func confAgainstTypedParamsExits2NamingParamValueAndExpectation(_ conf: String, _ message: String) async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        for command in [["dags", "trigger", "example_etl", "--conf", conf], ["tasks", "test", "example_etl", "extract", "--conf", conf]] {
            let result = try await cli.nightshift(command)
            #expect(result.exitCode == 2, "\(command)")
            #expect(result.stderr.contains(message), "\(command): \(result.stderr)")
        }
        let runs = try await cli.nightshift("runs", "list", "--json")
        #expect(runs.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "a refused trigger creates nothing")
        let fine = try await cli.nightshift("dags", "trigger", "example_etl", "--conf", #"{"rows": 250, "region": "us"}"#)
        #expect(fine.exitCode == 0, "\(fine.stderr)")
    }

    @Test(arguments: [
        ["dags", "trigger", "example_params", "--logical-date", "yesterday"],
        ["dags", "trigger", "example_params", "--logical-date", "2026-13-01"],
        ["dags", "backfill", "example_etl", "--from", "2026-01-01", "--to", "soon"],
        ["schedule", "next", "@daily", "--from", "31/12/2026"],
    ])
    func badDatesExit2(_ arguments: [String]) async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("invalid --"), "\(result.stderr)")
        #expect(result.stderr.contains("ISO 8601"))
    }

    @Test func backfillRangeReversedExits2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("dags", "backfill", "example_etl", "--from", "2026-02-01", "--to", "2026-01-01")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--from 2026-02-01 is after --to 2026-01-01"))
    }

    @Test func unknownRunExits2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("runs", "show", "manual__nope")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("unknown run id 'manual__nope'"))
    }

    @Test func badStateFilterExits2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("runs", "list", "--state", "sleeping")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("invalid --state 'sleeping'; states: queued, running, success, failed"))
    }

    @Test(arguments: [("invalid:cycle", "DAG 'broken_cycle': cycle a → b → c → a"),
                      ("invalid:cron", "DAG 'broken_cron': invalid cron expression '61 * * * *': minute value '61' is out of range 0-59"),
                      ("invalid:sensor_every",
                       "DAG 'broken_sensor': sensor 'wait'.every = 5 min: must be shorter than the timeout (1 min), or the sensor pokes only once")])
    func invalidRegistryIsReportedNotCrashed(_ spec: String, _ message: String) async throws {
        let cli = try CLIHarness(synthetic: spec)
        defer { cli.cleanup() }
        let result = try await cli.nightshift("dags", "list")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func badCronExpressionExits2() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("schedule", "next", "0 25 * * *")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("hour value '25' is out of range 0-23"))
        let zone = try await cli.nightshift("schedule", "next", "@daily", "--tz", "Mars/Olympus")
        #expect(zone.exitCode == 2)
        #expect(zone.stderr.contains("invalid time zone 'Mars/Olympus'"))
    }

    @Test func scheduleNextPrintsDSTCorrectTimes() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift("schedule", "next", "30 2 * * *", "--tz", "Europe/Berlin", "--from", "2026-03-28T00:00:00Z", "-n", "3")
        #expect(result.exitCode == 0)
        #expect(result.stdout.split(separator: "\n") == ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"])
    }
}
