public import Foundation
import HTTPFetch

/// How a sensor waits between pokes.
public enum SensorMode: String, Sendable, Codable, CaseIterable {
    /// One try keeps its process (and its pool and parallelism slots) and sleeps between pokes: for short waits.
    case poke
    /// Each poke is a short try; between pokes the instance is `up_for_reschedule` and holds no process and no slot.
    case reschedule
}

/// A sensor's poke: true when the condition it waits for holds. A thrown error is a failed try (retried by the policy).
public typealias SensorPoke = @Sendable (TaskContext) async throws -> Bool

/// What makes a task a sensor: its poke, how often it pokes, how long it may wait and what it does at the end.
public struct Sensor: Sendable {
    /// Time between two pokes.
    public var every: Duration
    /// How long the sensor may wait, from its first poke; past it the sensor fails (or skips, with ``softFail``).
    public var timeout: Duration
    public var mode: SensorMode
    /// Skip instead of failing at the timeout (downstream tasks then follow their trigger rules for a skip).
    public var softFail: Bool
    /// What it waits for, in words ("file /data/in.csv exists"), for logs and notes.
    public var waitsFor: String
    public let poke: SensorPoke
    /// Texts of a built-in sensor that hold placeholders (its path or URL), checked when the DAG is validated.
    public internal(set) var templatedTexts: [String] = []

    /// The exit status a try records when its sensor timed out in poke mode (as `timeout(1)` does): the scheduler does not
    /// retry it.
    public static let timeoutExitStatus: Int32 = 124

    /// What a poke that found the condition not met says, with the placeholders of ``waitsFor`` rendered for this try
    /// ("still waiting for file /data/2026-12-07.csv to exist").
    public func stillWaiting(in context: TaskContext) -> String {
        "still waiting for " + ((try? Template.render(waitsFor, with: context.templateValues)) ?? waitsFor)
    }

    /// The sentence a timed-out sensor leaves as its note: "sensor timed out after 6 h[, N pokes]: still waiting for …".
    public func timeoutSentence(_ stillWaiting: String, pokes: Int? = nil) -> String {
        let count = pokes.map { ", \($0) poke\($0 == 1 ? "" : "s")" } ?? ""
        return "sensor timed out after \(timeout.spoken)\(count): \(stillWaiting)"
    }

    /// Poke mode: pokes until the condition holds or the timeout passes, sleeping `every` in between.
    /// - Throws: ``SensorTimedOut`` at the timeout (``TaskSkipped`` with `softFail`); the poke's own errors.
    public func pokeUntilDone(_ context: TaskContext) async throws {
        let started = ContinuousClock.now
        var pokes = 0
        while true {
            pokes += 1
            if try await poke(context) {
                context.log.info("sensor: the condition holds (poke \(pokes))")
                return
            }
            let elapsed = ContinuousClock.now - started
            if elapsed >= timeout {
                let sentence = timeoutSentence(stillWaiting(in: context), pokes: pokes)
                if softFail { throw TaskSkipped(sentence) }
                throw SensorTimedOut(sentence: sentence)
            }
            let pause = min(every, timeout - elapsed)
            context.log.info("sensor: \(stillWaiting(in: context)) (poke \(pokes)); next poke in \(pause.spoken)")
            try await Task.sleep(for: pause)
        }
    }
}

/// A poke-mode sensor reached its timeout; the try fails with ``Sensor/timeoutExitStatus`` and is not retried.
public struct SensorTimedOut: Error, Sendable, CustomStringConvertible {
    public let sentence: String
    public var description: String { sentence }
}

extension TaskDefinition {
    /// A sensor: `poke` runs every `every` until it returns true (success) or `timeout` has passed since the first poke.
    ///
    /// ```swift
    /// TaskDefinition.sensor("wait_for_export", every: .seconds(30), timeout: .hours(6)) { ctx in
    ///     FileManager.default.fileExists(atPath: "/exports/\(ctx.ds).csv")
    /// }
    /// ```
    /// - Parameters:
    ///   - mode: `.reschedule` (default) frees the process and every slot between pokes; `.poke` keeps one try running.
    ///   - softFail: skip instead of failing at the timeout.
    ///   - waitsFor: what the poke checks, in words, for logs and notes.
    public static func sensor(
        _ id: String, every: Duration, timeout: Duration, mode: SensorMode = .reschedule, softFail: Bool = false,
        waitsFor: String? = nil, after upstream: [String] = [], triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil,
        pool: String? = nil, priorityWeight: Int = 1, _ poke: @escaping SensorPoke
    ) -> TaskDefinition {
        let sensor = Sensor(
            every: every, timeout: timeout, mode: mode, softFail: softFail, waitsFor: waitsFor ?? "the condition of '\(id)'", poke: poke,
            templatedTexts: [])
        var task = TaskDefinition(
            id: id, work: .swift({ context in try await sensor.pokeUntilDone(context) }), upstream: upstream, triggerRule: triggerRule,
            retry: retry, timeout: nil, pool: pool, priorityWeight: priorityWeight)
        task.sensor = sensor
        return task
    }

    /// A sensor that waits for a file or directory to exist. `path` may hold placeholders (`{{ params.path }}`, `{{ ds }}`).
    public static func fileSensor(
        _ id: String, path: String, every: Duration = .seconds(30), timeout: Duration = .hours(6), mode: SensorMode = .reschedule,
        softFail: Bool = false, after upstream: [String] = [], triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil,
        pool: String? = nil, priorityWeight: Int = 1
    ) -> TaskDefinition {
        var task = sensor(
            id, every: every, timeout: timeout, mode: mode, softFail: softFail, waitsFor: "file \(path) to exist", after: upstream,
            triggerRule: triggerRule, retry: retry, pool: pool, priorityWeight: priorityWeight
        ) { context in
            let rendered = try Template.render(path, with: context.templateValues)
            let exists = FileManager.default.fileExists(atPath: rendered)
            if !exists { context.log.info("sensor: \(rendered) does not exist yet") }
            return exists
        }
        task.sensor?.templatedTexts = [path]
        return task
    }

    /// A sensor that waits for an HTTP(S) URL to answer 2xx to a GET (one request per poke, no retries inside a poke).
    /// `url` may hold placeholders.
    public static func httpSensor(
        _ id: String, url: String, every: Duration = .seconds(30), timeout: Duration = .hours(6), mode: SensorMode = .reschedule,
        softFail: Bool = false, requestTimeout: Duration = .seconds(10), after upstream: [String] = [],
        triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil, pool: String? = nil, priorityWeight: Int = 1
    ) -> TaskDefinition {
        var configuration = HTTPClient.Configuration()
        configuration.maxAttempts = 1
        configuration.totalTimeout = requestTimeout
        configuration.connectTimeout = min(requestTimeout, .seconds(10))
        configuration.maxConcurrent = 1
        let client = HTTPClient(configuration: configuration)
        var task = sensor(
            id, every: every, timeout: timeout, mode: mode, softFail: softFail, waitsFor: "\(url) to answer 2xx", after: upstream,
            triggerRule: triggerRule, retry: retry, pool: pool, priorityWeight: priorityWeight
        ) { context in
            let rendered = try Template.render(url, with: context.templateValues)
            do {
                let response = try await client.get(rendered)
                if (200..<300).contains(response.status) { return true }
                context.log.info("sensor: \(rendered) answered \(response.status)")
                return false
            } catch let error as HTTPFetchError {
                context.log.info("sensor: \(rendered): \(error)")
                return false
            }
        }
        task.sensor?.templatedTexts = [url]
        return task
    }

    /// A sensor that waits for task `task` of DAG `dag` to succeed in that DAG's run for the same logical date.
    public static func externalTaskSensor(
        _ id: String, dag: String, task externalTask: String, every: Duration = .seconds(60), timeout: Duration = .hours(6),
        mode: SensorMode = .reschedule, softFail: Bool = false, after upstream: [String] = [], triggerRule: TriggerRule = .allSuccess,
        retry: RetryPolicy? = nil, pool: String? = nil, priorityWeight: Int = 1
    ) -> TaskDefinition {
        sensor(
            id, every: every, timeout: timeout, mode: mode, softFail: softFail,
            waitsFor: "\(dag).\(externalTask) to succeed for the same logical date", after: upstream, triggerRule: triggerRule,
            retry: retry, pool: pool, priorityWeight: priorityWeight
        ) { context in
            let state = try await context.taskState(dagID: dag, taskID: externalTask, logicalDate: context.logicalDate)
            if state == .success { return true }
            context.log.info(
                "sensor: \(dag).\(externalTask) for \(Template.timestamp(context.logicalDate)) is \(state?.rawValue ?? "not in any run yet")")
            return false
        }
    }
}
