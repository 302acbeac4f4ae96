public import Foundation

/// How a scheduler behaves; time and randomness are injected so tests are exact.
public struct SchedulerConfiguration: Sendable {
    /// Global limits.
    public var limits = SchedulingLimits()
    /// How often the loop looks at the store when nothing wakes it (CLI triggers from other processes land here).
    public var pollInterval: Duration = .milliseconds(250)
    /// How often tries this process does not watch are checked for a dead process.
    public var reapInterval: Duration = .seconds(5)
    /// How often the heartbeat row is written.
    public var heartbeatInterval: Duration = .seconds(5)
    /// How long running tries get to finish after SIGTERM/SIGINT before the scheduler leaves them for the next start.
    public var shutdownGrace: Duration = .seconds(10)
    /// A running try with no recorded process older than this is lost (its launcher died before spawning it).
    public var unstartedTryGrace: TimeInterval = 15
    /// Stop once no run is queued or running and no try is being watched (benchmarks, `dags trigger --wait`).
    public var exitWhenIdle = false
    /// Wall time, for cron ticks and records.
    public var now: @Sendable () -> Date = { Date() }
    /// Jitter samples in [0, 1).
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }
    /// The host name recorded on tries.
    public var host: String = ProcessInfo.processInfo.hostName

    public init() {}
}
