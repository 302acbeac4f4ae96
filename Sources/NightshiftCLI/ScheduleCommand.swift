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
    static let configuration = CommandConfiguration(commandName: "db", abstract: "Manage the state database.", subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
        @OptionGroup var home: HomeOptions
        func run() async throws {
            _ = try home.openStore()
            print("database at \(home.resolved.databasePath) is up to date")
        }
    }
}
