package import ArgumentParser
package import Foundation
package import Logging
package import Store
package import Workflow
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--home`, shared by every command that touches state.
package struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: "The Nightshift home (db, logs). Default: $NIGHTSHIFT_HOME, else ./.nightshift")
    package var home: String?

    package init() {}

    package var resolved: NightshiftHome { NightshiftHome.resolve(home) }

    /// What a long-lived command (scheduler, standalone, serve) checks before it starts, so a broken home is one
    /// sentence naming the path and exit 1, with nothing overwritten: the home is a writable directory, `logs` and
    /// `scratch` are directories where they exist, and an existing database passes `quick_check`.
    package func preflight() throws {
        let home = resolved
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let root = home.root.path
        if manager.fileExists(atPath: root, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CLIError.failure("the home \(root) is a file, not a directory: choose another --home or move the file away")
        }
        do {
            try manager.createDirectory(at: home.root, withIntermediateDirectories: true)
        } catch {
            throw CLIError.failure("cannot create the home \(root): \((error as NSError).localizedFailureReason ?? "\(error)")")
        }
        let probe = home.root.appendingPathComponent(".write-check-\(ProcessInfo.processInfo.processIdentifier)").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw CLIError.failure("the home \(root) is not writable: \(String(cString: strerror(errno)))") }
        close(fd)
        unlink(probe)
        for area in ["logs", "scratch"] {
            let path = home.root.appendingPathComponent(area).path
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw CLIError.failure("\(path) is a file, not a directory: try logs cannot be written there; move it away (nothing was changed)")
            }
        }
        guard manager.fileExists(atPath: home.databasePath) else { return }
        let report: CheckReport
        do {
            report = try StateStore.check(path: home.databasePath, quick: true)
        } catch {
            throw CLIError.failure("\(error); nothing was written: restore a copy made with `db backup`, or move the file away to start empty")
        }
        let damage = report.problems.filter { !$0.hasPrefix("schema:") }  // missing migrations are applied at open
        if let first = damage.first {
            throw CLIError.failure(
                "the store at \(home.databasePath) is damaged (quick_check: \(first)\(damage.count > 1 ? "; \(damage.count - 1) more" : "")): "
                    + "nothing was written; restore a copy made with `db backup`, or move the file away to start empty")
        }
    }

    /// Opens the store; one-shot commands use a single connection, long-lived ones (the scheduler) a pool.
    package func openStore(longLived: Bool = false) throws -> StateStore {
        do {
            return try resolved.openStore(singleConnection: !longLived)
        } catch {
            throw CLIError.failure("\(error)")
        }
    }
}

/// Loading the registry and looking ids up, with the errors the CLI promises.
package enum CLI {
    package static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The validated DAG list handed to ``Nightshift/main(dags:pools:extensions:)``, plus the synthetic DAGs named in the
    /// environment (benchmarks and tests); an invalid definition or an empty list is reported and exits 1. Validated
    /// once per process (`Nightshift.run` checks it before the command, which asks again); a benchmark that sets the
    /// synthetic spec afterwards gets a bag for the new spec.
    package static func bag() throws -> DAGBag {
        let spec = environment[SyntheticDAGs.environmentKey]
        if let cached = validated.withLock({ $0 }), cached.spec == spec { return cached.bag }
        let current = CommandEnvironment.current
        let dags = current.dags + (spec.map(SyntheticDAGs.dags(for:)) ?? [])
        guard !dags.isEmpty else {
            throw CLIError.failure(
                "no DAGs: the list handed to Nightshift.main(dags:) is empty; define a DAG (see `nightshift init`) and pass it in")
        }
        let bag: DAGBag
        do {
            bag = try DAGBag(dags, pools: current.pools.merging(spec == nil ? [:] : SyntheticDAGs.pools) { mine, _ in mine })
        } catch {
            throw CLIError.failure("invalid DAG definition: \(error)")
        }
        validated.withLock { $0 = (spec, bag) }
        return bag
    }

    /// The DAG a task try runs, without validating the whole list: the scheduler that launched the try validated it,
    /// and every try would otherwise pay for checking every DAG of the binary. The DAG itself is still checked.
    /// - Throws: exit 2 for an unknown id (naming the known ones), exit 1 for an invalid definition.
    package static func dagForTry(_ id: String) throws -> DAG {
        let spec = environment[SyntheticDAGs.environmentKey]
        // A warm fork server built and validated the whole list before it forked this process.
        if let cached = validated.withLock({ $0 }), cached.spec == spec, let dag = cached.bag[id] { return dag }
        let current = CommandEnvironment.current
        let dags = current.dags + (spec.map(SyntheticDAGs.dags(for:)) ?? [])
        guard let dag = dags.first(where: { $0.id == id }) else {
            throw CLIError.usage("unknown DAG id '\(id)'; known: \(dags.map(\.id).sorted().joined(separator: ", "))")
        }
        do {
            let pools = Set(current.pools.keys).union(["default"]).union(spec == nil ? [] : Array(SyntheticDAGs.pools.keys))
            try dag.validate(pools: pools.sorted())
        } catch {
            throw CLIError.failure("invalid DAG definition: \(error)")
        }
        return dag
    }

    /// The last bag ``bag()`` validated, with the synthetic spec it was made for. Cleared when a new DAG list is installed.
    static let validated = Mutex<(spec: String?, bag: DAGBag)?>(nil)

    /// The DAG with `id`, or exit 2 naming the known ids.
    package static func dag(_ id: String, in bag: DAGBag) throws -> DAG {
        guard let dag = bag[id] else {
            throw CLIError.usage("unknown DAG id '\(id)'; known: \(bag.ids.joined(separator: ", "))")
        }
        return dag
    }

    /// The run with `runID` of `dagID` (when given), or exit 2.
    package static func run(_ runID: String, dagID: String? = nil, store: StateStore) async throws -> DAGRunRecord {
        guard let run = try await store.run(runID), dagID == nil || run.dagID == dagID else {
            let recent = try await store.runs(dagID: dagID, limit: 5).map(\.runID)
            throw CLIError.usage(
                "unknown run id '\(runID)'" + (dagID.map { " of DAG '\($0)'" } ?? "")
                    + (recent.isEmpty ? "" : "; recent runs: \(recent.joined(separator: ", "))"))
        }
        return run
    }

    /// Parses `2026-11-23`, `2026-11-23T03:00`, `2026-11-23T03:00:00Z` or with an offset; names the option on failure.
    package static func parseDate(_ text: String, option: String) throws -> Date {
        if let date = DateParsing.parse(text) { return date }
        throw CLIError.usage("invalid \(option) '\(text)': use an ISO 8601 date such as 2026-11-23 or 2026-11-23T03:00:00+01:00")
    }

    /// Parses a duration such as `30d`, `12h`, `90m`, `45s` or `2w` (a non-negative number and one unit) into seconds;
    /// names the option and the value on failure.
    package static func parseDuration(_ text: String, option: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last.flatMap({ units[$0] }), let number = Double(trimmed.dropLast()), number.isFinite, number >= 0,
            !trimmed.dropLast().contains(where: { !($0.isNumber || $0 == ".") })
        else {
            throw CLIError.usage("invalid \(option) '\(text)': use a number and a unit (s, m, h, d or w), such as 30d or 12h")
        }
        return number * unit
    }

    /// Parses a `--conf` JSON object.
    package static func parseConf(_ text: String?) throws -> [String: JSONValue] {
        guard let text else { return [:] }
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw CLIError.usage("invalid --conf '\(text)': not JSON (\(DateParsing.describe(error)))")
        }
        guard let object = value.objectValue else { throw CLIError.usage("invalid --conf '\(text)': expected a JSON object such as {\"key\": 1}") }
        return object
    }

    /// `--conf` checked against `dag`'s params (type, allowed values, bounds).
    /// - Throws: a usage error (exit 2) naming the param, the value and what was expected.
    package static func checkConf(_ conf: [String: JSONValue], for dag: DAG) throws {
        do {
            try dag.validate(conf: conf)
        } catch {
            throw CLIError.usage("invalid --conf: \(error)")
        }
    }

    package static func printJSON(_ value: JSONValue) {
        print(value.jsonText)
    }

    package static func bootstrapLogging(level: Logger.Level = .info, format: LogFormat = .text) {
        logFormat.withLock { $0 = format }
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

/// Lenient ISO 8601 parsing for command-line dates.
package enum DateParsing {
    package static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: trimmed) { return date }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: trimmed) { return date }
        for (format, pattern) in [("yyyy-MM-dd'T'HH:mm:ss", 19), ("yyyy-MM-dd'T'HH:mm", 16), ("yyyy-MM-dd", 10)] where trimmed.count == pattern {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            formatter.isLenient = false
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }

    package static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// Plain-text tables for people.
package enum Table {
    package static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }
}

/// Byte counts for people: `812 B`, `4.2 KB`, `17.9 MB` (powers of 1,000, as `ls -h --si`).
package enum Bytes {
    package static func format(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var index = 0
        while value >= 1000, index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return String(format: "%.1f", value) + " " + units[index]
    }
}

extension Date {
    package var iso: String { Template.timestamp(self) }
}

package func formatSeconds(_ seconds: Double?) -> String {
    guard let seconds else { return "-" }
    return seconds < 10 ? String(format: "%.2fs", seconds) : String(format: "%.1fs", seconds)
}
