public import Foundation
public import Workflow
import Store

/// A run the scheduler should create: its logical date (the cron tick) and data interval (previous tick → tick).
public struct RunRequest: Sendable, Equatable {
    public var runID: String
    public var logicalDate: Date
    public var interval: DateInterval

    public init(runID: String, logicalDate: Date, interval: DateInterval) {
        self.runID = runID
        self.logicalDate = logicalDate
        self.interval = interval
    }
}

/// Turns schedules into runs. Pure: every function takes the time it reasons about.
public enum RunFactory {
    /// The most runs one pass creates for one DAG when catching up.
    public static let catchupLimit = 1000

    /// The runs of `dag` due at `now`: the latest tick only, or every missed tick when `dag.catchup` is set.
    /// - Parameters:
    ///   - lastLogicalDate: the latest scheduled run's logical date, if any.
    ///   - registeredAt: when the DAG was first registered; with no `startDate`, ticks before it are not due.
    ///   - now: the wall-clock time the caller observed; this function never reads a clock itself.
    public static func dueRuns(of dag: DAG, cron: CronExpression, lastLogicalDate: Date?, registeredAt: Date, now: Date) -> [RunRequest] {
        let zone = dag.timeZone
        let start = dag.startDate ?? registeredAt
        var floor = start.addingTimeInterval(-0.001)  // a tick exactly at the start date is due
        if let lastLogicalDate, lastLogicalDate > floor { floor = lastLogicalDate }
        if !dag.catchup {
            guard let latest = cron.previousFireDate(before: now.addingTimeInterval(0.001), in: zone), latest > floor else { return [] }
            return [request(cron: cron, zone: zone, tick: latest, type: "scheduled")]
        }
        var requests: [RunRequest] = []
        var cursor = floor
        while requests.count < catchupLimit, let tick = cron.nextFireDate(after: cursor, in: zone), tick <= now {
            requests.append(request(cron: cron, zone: zone, tick: tick, type: "scheduled"))
            cursor = tick
        }
        return requests
    }

    /// The runs of a backfill over [from, to]: one per tick of the DAG's schedule (one run at `from` for a manual DAG).
    public static func backfillRuns(of dag: DAG, cron: CronExpression?, from: Date, to: Date) -> [RunRequest] {
        guard let cron else {
            return [RunRequest(runID: "backfill__" + Template.timestamp(from), logicalDate: from, interval: DateInterval(start: from, end: from))]
        }
        var requests: [RunRequest] = []
        var cursor = from.addingTimeInterval(-0.001)
        while requests.count < catchupLimit, let tick = cron.nextFireDate(after: cursor, in: dag.timeZone), tick <= to {
            requests.append(request(cron: cron, zone: dag.timeZone, tick: tick, type: "backfill"))
            cursor = tick
        }
        return requests
    }

    /// A manual run at `logicalDate`, with a run id that stays unique when many triggers land in the same millisecond.
    public static func manualRun(of dag: DAG, cron: CronExpression?, logicalDate: Date, suffix: String) -> RunRequest {
        let run = RunDates.manualRun(of: dag, cron: cron, logicalDate: logicalDate, suffix: suffix)
        return RunRequest(runID: run.runID, logicalDate: run.logicalDate, interval: run.interval)
    }

    /// The next tick the scheduler will create a run for, for `dags show` and the dashboard.
    public static func nextRunDate(of dag: DAG, cron: CronExpression, lastLogicalDate: Date?, registeredAt: Date, now: Date) -> Date? {
        RunDates.nextRunDate(of: dag, cron: cron, lastLogicalDate: lastLogicalDate, registeredAt: registeredAt, now: now)
    }

    static func request(cron: CronExpression, zone: TimeZone, tick: Date, type: String) -> RunRequest {
        let previous = cron.previousFireDate(before: tick, in: zone) ?? tick
        return RunRequest(runID: "\(type)__" + Template.timestamp(tick), logicalDate: tick, interval: DateInterval(start: previous, end: tick))
    }
}
