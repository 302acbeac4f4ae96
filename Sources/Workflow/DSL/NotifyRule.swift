import Foundation

/// A notification declared in a DAG's definition, for the whole DAG (`DAG(notify:)`) or one task
/// (`task.notify(...)`): which events, and where they go.
///
/// ```swift
/// DAG("nightly", notify: [.webhook("https://hooks.slack.com/services/…", on: [.failure, .runTimeout], format: .slack)]) {
///     TaskDefinition.shell("load", "…").notify(.command("mail -s \"$NIGHTSHIFT_NOTIFY_TASK_ID $NIGHTSHIFT_NOTIFY_EVENT\" ops", on: [.retry]))
/// }
/// ```
/// Operators add more without code (`nightshift notify add`); both are sent.
public struct NotifyRule: Sendable, Hashable {
    /// When it is sent.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// A task failed for good (no retry left), or a sensor timed out.
        case failure
        /// A try failed and another is scheduled.
        case retry
        /// A task succeeded.
        case success
        /// A run outlived its DAG's `runTimeout` (DAG-level rules only).
        case runTimeout = "run_timeout"
    }

    /// A webhook's body.
    public enum Format: String, Sendable, Hashable {
        /// The notification's fields as one JSON object.
        case json
        /// A Slack incoming-webhook body (`{"text": …}`).
        case slack
    }

    /// Where it goes.
    public enum Target: Sendable, Hashable {
        /// A POST to `url` (retried with backoff, bounded by a timeout, off the scheduler loop).
        case webhook(url: String, format: Format)
        /// A `/bin/sh -c` command with the notification's JSON in `NIGHTSHIFT_NOTIFICATION` and its fields in
        /// `NIGHTSHIFT_NOTIFY_*`, run in the home directory.
        case command(String)
    }

    public var events: Set<Event>
    public var target: Target

    public init(on events: Set<Event>, target: Target) {
        self.events = events
        self.target = target
    }

    /// A webhook for `events` (default: failures).
    public static func webhook(_ url: String, on events: Set<Event> = [.failure], format: Format = .json) -> NotifyRule {
        NotifyRule(on: events, target: .webhook(url: url, format: format))
    }

    /// A shell command for `events` (default: failures).
    public static func command(_ command: String, on events: Set<Event> = [.failure]) -> NotifyRule {
        NotifyRule(on: events, target: .command(command))
    }

    /// The events, in a fixed order, for listings ("failure, retry").
    public var eventNames: String { Event.allCases.filter(events.contains).map(\.rawValue).joined(separator: ", ") }
    /// "webhook" or "command".
    public var kind: String {
        if case .webhook = target { return "webhook" }
        return "command"
    }
    /// The URL or the command line.
    public var destination: String {
        switch target {
        case .webhook(let url, _): return url
        case .command(let command): return command
        }
    }
    /// "json" or "slack" ("json" for a command: the JSON it gets in `NIGHTSHIFT_NOTIFICATION`).
    public var format: String {
        if case .webhook(_, let format) = target { return format.rawValue }
        return Format.json.rawValue
    }

    /// "failure, retry → webhook https://…" for listings.
    public var summary: String { "\(eventNames) → \(kind) \(destination)" + (format == Format.slack.rawValue ? " (slack)" : "") }

    /// Why the rule cannot work, or nil.
    func problem(onTask: Bool) -> String? {
        if events.isEmpty { return "names no event (failure, retry, success, run_timeout)" }
        if onTask, events.contains(.runTimeout) { return "run_timeout is a run's event: declare it on the DAG" }
        switch target {
        case .webhook(let url, _):
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), url.count > 8, !url.contains(" ") else {
                return "webhook URL '\(url)' is not an http(s) URL"
            }
        case .command(let command):
            if command.trimmingCharacters(in: .whitespaces).isEmpty { return "command is empty" }
        }
        return nil
    }
}

/// A notification declared in a definition, with where: the DAG, and the task for a task's own rule.
public struct DeclaredNotification: Sendable, Hashable {
    public var dagID: String
    public var taskID: String?
    public var rule: NotifyRule

    /// "DAG nightly" or "task nightly.load".
    public var scope: String { taskID.map { "task \(dagID).\($0)" } ?? "DAG \(dagID)" }
}

extension DAGBag {
    /// Every notification the DAGs and their tasks declare, DAG by DAG.
    public var declaredNotifications: [DeclaredNotification] {
        ids.flatMap { id -> [DeclaredNotification] in
            let dag = dags[id]!
            return dag.notifyRules.map { DeclaredNotification(dagID: id, taskID: nil, rule: $0) }
                + dag.tasks.flatMap { task in task.notifyRules.map { DeclaredNotification(dagID: id, taskID: task.id, rule: $0) } }
        }
    }
}

extension TaskDefinition {
    /// This task with `rules` added to the notifications it sends (beside its DAG's).
    public func notify(_ rules: NotifyRule...) -> TaskDefinition {
        var task = self
        task.notifyRules += rules
        return task
    }
}
