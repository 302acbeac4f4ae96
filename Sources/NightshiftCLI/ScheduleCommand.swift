import ArgumentParser
import Foundation
import Store
import Workflow

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Work with cron expressions.", subcommands: [Next.self])
}

extension ScheduleCommand {
    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the next fire times of a cron expression, ISO 8601 with offset, one per line.")
        @Argument(help: "A cron expression (five fields) or preset such as @daily.") var expression: String
        @Option(help: "IANA time zone the expression is read in.") var tz = "UTC"
        @Option(help: "Start after this instant (ISO 8601); default: now.") var from: String?
        @Option(name: .short, help: "How many fire times.") var n = 5

        func run() async throws {
            let cron: CronExpression
            do { cron = try CronExpression(expression) } catch { throw CLIError.usage("\(error)") }
            guard let zone = TimeZone(identifier: tz) else {
                throw CLIError.usage("invalid time zone '\(tz)': use an IANA name such as 'UTC' or 'Europe/Berlin'")
            }
            guard n > 0 else { throw CLIError.usage("invalid -n '\(n)': must be at least 1") }
            var cursor = try from.map { try CLI.parseDate($0, option: "--from") } ?? Date()
            for _ in 0..<n {
                guard let next = cron.nextFireDate(after: cursor, in: zone) else { break }
                print(Self.format(next, in: zone))
                cursor = next
            }
        }

        /// `2026-03-29T03:00:00+02:00`: always a numeric offset, also for UTC.
        static func format(_ date: Date, in zone: TimeZone) -> String {
            let offset = zone.secondsFromGMT(for: date)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let sign = offset < 0 ? "-" : "+"
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!) + sign
                + String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
        }
    }
}

struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the state database.", subcommands: [Migrate.self, Backup.self, Check.self, Clean.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
        @OptionGroup var home: HomeOptions
        func run() async throws {
            _ = try home.openStore()
            print("database at \(home.resolved.databasePath) is up to date")
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database to a new file with SQLite's online backup (consistent while a scheduler writes).",
            discussion: "The copy passes integrity_check before it takes its name; an existing file is never overwritten.")
        @OptionGroup var home: HomeOptions
        @Argument(help: "The new file.") var path: String
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let store = try home.openExistingStore()
            let started = ContinuousClock.now
            let report: BackupReport
            do { report = try store.backup(to: path) } catch let error as StoreError {
                if case .backupFailed(_, let reason) = error.kind, reason.hasPrefix("the file exists") || reason.hasPrefix("directory ") {
                    throw CLIError.usage("\(error)")
                }
                throw CLIError.failure("\(error)")
            }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            if json {
                CLI.printJSON(.object([
                    "path": .string(report.path), "pages": .number(Double(report.pages)), "bytes": .number(Double(report.bytes)),
                    "seconds": .number(seconds),
                ]))
            } else {
                print("backed up \(home.resolved.databasePath) to \(report.path): \(report.pages) pages, \(Bytes.format(report.bytes)), "
                    + "integrity_check ok, \(formatSeconds(seconds))")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the database without changing it: integrity_check, foreign keys, schema version. Exit 1 on a problem.")
        @OptionGroup var home: HomeOptions
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let report: CheckReport
            do { report = try StateStore.check(path: home.resolved.databasePath) } catch { throw CLIError.failure("\(error)") }
            if json {
                CLI.printJSON(.object([
                    "path": .string(report.path), "ok": .bool(report.problems.isEmpty), "pages": .number(Double(report.pages)),
                    "bytes": .number(Double(report.bytes)), "migrations": .array(report.migrations.map(JSONValue.string)),
                    "problems": .array(report.problems.map(JSONValue.string)),
                ]))
            } else if report.problems.isEmpty {
                print("\(report.path): ok (integrity_check, foreign keys, \(report.migrations.count) migrations; "
                    + "\(report.pages) pages, \(Bytes.format(report.bytes)))")
            } else {
                print("\(report.path): \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s")")
                for problem in report.problems { print("  \(problem)") }
            }
            if !report.problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Clean: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove finished runs older than a retention, with their tries, XCom, metrics, log files and old events.",
            discussion: """
                A run counts from when it finished. Queued and running runs are never removed, nor runs that made an \
                archive batch (the fake anime's lineage). `scheduler --retention` and `standalone --retention` apply the \
                same clean once a day.
                """)
        @OptionGroup var home: HomeOptions
        @Option(help: "The retention: a number and a unit (s, m, h, d, w), such as 30d.") var olderThan: String
        @Flag(help: "Count what would be removed; remove nothing.") var dryRun = false
        @Flag(help: "Print JSON for scripts.") var json = false

        func run() async throws {
            let retention = try CLI.parseDuration(olderThan, option: "--older-than")
            let store = try home.openExistingStore()
            let report = try await store.clean(
                home: home.resolved, olderThan: Date().addingTimeInterval(-retention), dryRun: dryRun, actor: "cli")
            if json {
                var fields: [String: JSONValue] = ["cutoff": .string(report.cutoff.iso), "dry_run": .bool(report.dryRun)]
                for (name, count) in report.counts { fields[name] = .number(Double(count)) }
                CLI.printJSON(.object(fields))
            } else {
                print((dryRun ? "would remove" : "removed") + " what finished before \(report.cutoff.iso) (\(olderThan) ago):")
                print(Table.render(["WHAT", "COUNT"], report.counts.map { [$0.name.replacingOccurrences(of: "_", with: " "), "\($0.count)"] }))
            }
        }
    }
}

extension HomeOptions {
    /// Opens the store of a home that has one; maintenance commands do not create an empty database by mistake.
    func openExistingStore() throws -> StateStore {
        guard FileManager.default.fileExists(atPath: resolved.databasePath) else {
            throw CLIError.failure("no database at \(resolved.databasePath): wrong --home? (NIGHTSHIFT_HOME or ./.nightshift by default)")
        }
        return try openStore()
    }
}
