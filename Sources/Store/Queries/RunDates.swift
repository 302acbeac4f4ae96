public import Foundation
public import Workflow

/// Run ids, logical dates and intervals that every process computes the same way: the CLI and the dashboard
/// trigger manual runs, the scheduler and both UIs show the next scheduled tick. (Moved here from the scheduler's
/// `RunFactory` so that the dashboard, which must not import the scheduler, shares them.)
public enum RunDates {
    /// A manual run at `logicalDate`, with a run id that stays unique when many triggers land in the same millisecond.
    /// - Parameters:
    ///   - cron: the DAG's parsed schedule (nil for a manual DAG): the interval starts at the previous tick.
    ///   - suffix: a random or caller-chosen tag appended to the id.
    public static func manualRun(of dag: DAG, cron: CronExpression?, logicalDate: Date, suffix: String)
        -> (runID: String, logicalDate: Date, interval: DateInterval)
    {
        let previous = cron?.previousFireDate(before: logicalDate, in: dag.timeZone) ?? logicalDate
        return (
            runID: "manual__" + preciseStamp(logicalDate) + "_" + suffix, logicalDate: logicalDate,
            interval: DateInterval(start: min(previous, logicalDate), end: logicalDate)
        )
    }

    /// The next tick the scheduler will create a run for: the first tick after the latest scheduled run, the DAG's
    /// start (or registration) and `now`.
    public static func nextRunDate(of dag: DAG, cron: CronExpression, lastLogicalDate: Date?, registeredAt: Date, now: Date) -> Date? {
        let floor = max(lastLogicalDate ?? .distantPast, (dag.startDate ?? registeredAt).addingTimeInterval(-0.001), now)
        return cron.nextFireDate(after: floor, in: dag.timeZone)
    }

    /// `2026-11-23T18:40:12.345678Z`: microseconds, so run ids sort by time.
    public static func preciseStamp(_ date: Date) -> String {
        let seconds = Template.timestamp(date).dropLast(6)
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        return seconds + "." + String(format: "%06d", micros) + "Z"
    }
}
