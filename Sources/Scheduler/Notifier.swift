import CoreMetrics
public import Executor
public import Foundation
public import HTTPFetch
public import Logging
public import Store
public import Workflow

/// Sends the notifications operators asked for (`nightshift notify add`): a webhook (a JSON or Slack-style POST,
/// retried with backoff, bounded by a timeout) or a shell command. ``send(_:)`` returns at once: deliveries run on their
/// own tasks, so a slow or dead receiver never holds the scheduler loop. A failed delivery is logged and counted
/// (`nightshift_notifications_total{kind,outcome}`) and changes nothing about the run.
public final class Notifier: Sendable {
    /// What happened, for the notifications of its event and DAG.
    public struct Notice: Sendable, Equatable {
        public var event: NotificationEvent
        public var dagID: String
        public var runID: String
        public var taskID: String?
        public var tryNumber: Int?
        /// The task instance's (or, for a run timeout, the run's) state.
        public var state: String
        public var error: String?
        public var at: Date

        public init(
            event: NotificationEvent, dagID: String, runID: String, taskID: String?, tryNumber: Int?, state: String, error: String?,
            at: Date
        ) {
            self.event = event
            self.dagID = dagID
            self.runID = runID
            self.taskID = taskID
            self.tryNumber = tryNumber
            self.state = state
            self.error = error
            self.at = at
        }
    }

    static let countLabel = "nightshift.notifications"

    let store: StateStore
    let home: NightshiftHome
    let http: HTTPClient
    /// Where the dashboard is, for the link to the run page (`NIGHTSHIFT_BASE_URL`).
    let baseURL: String
    let commandTimeout: Duration
    let logger: Logger

    /// - Parameters:
    ///   - baseURL: the dashboard's address as people reach it (links in notifications).
    ///   - webhookTimeout: how long one POST may take; 4 tries with backoff.
    ///   - commandTimeout: how long a command may run before its process group is ended.
    public init(
        store: StateStore, home: NightshiftHome, baseURL: String, webhookTimeout: Duration = .seconds(10),
        commandTimeout: Duration = .seconds(30), logger: Logger
    ) {
        self.store = store
        self.home = home
        var configuration = HTTPClient.Configuration()
        configuration.totalTimeout = webhookTimeout
        configuration.connectTimeout = min(webhookTimeout, .seconds(5))
        configuration.maxAttempts = 4
        configuration.maxRedirects = 0
        configuration.perHostInterval = .zero
        configuration.userAgent = "nightshift-notifier"
        http = HTTPClient(configuration: configuration)
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.commandTimeout = commandTimeout
        self.logger = logger
    }

    /// Delivers `notice` to the notifications its DAG and task declare (`declared`) and to every stored one of its
    /// event and DAG, in the background.
    public func send(_ notice: Notice, declared: [NotifyRule] = []) {
        Task.detached { [self] in
            for rule in declared { await deliver(notice, to: Self.record(rule, notice: notice)) }
            do {
                for record in try await store.notifications(for: notice.event, dagID: notice.dagID) {
                    await deliver(notice, to: record)
                }
            } catch {
                logger.warning("Cannot read the notifications to send", metadata: ["error": "\(error)", "event": "\(notice.event.rawValue)"])
            }
        }
    }

    /// Sends `notice` to one notification now and says how it went (`notify test`, and each delivery).
    /// - Returns: nil when it was delivered, else the reason it was not.
    @discardableResult
    public func deliver(_ notice: Notice, to record: NotificationRecord) async -> String? {
        let payload = self.payload(notice)
        let problem: String?
        switch record.kind {
        case .webhook: problem = await post(payload, format: record.format, to: record.target)
        case .command: problem = await run(record.target, payload: payload, notice: notice)
        }
        Counter(label: Self.countLabel, dimensions: [("kind", record.kind.rawValue), ("outcome", problem == nil ? "delivered" : "failed")])
            .increment()
        if let problem {
            logger.warning(
                "Notification not delivered",
                metadata: [
                    "notification": "\(record.id ?? 0)", "kind": "\(record.kind.rawValue)", "target": "\(record.target)",
                    "event": "\(notice.event.rawValue)", "dag.id": "\(notice.dagID)", "run.id": "\(notice.runID)", "error": "\(problem)",
                ])
        }
        return problem
    }

    /// A declared rule as a notification (not stored: `id` stays nil, `created_by` says it comes from the definition).
    static func record(_ rule: NotifyRule, notice: Notice) -> NotificationRecord {
        NotificationRecord(
            event: notice.event, dagID: notice.dagID, kind: NotifierKind(rawValue: rule.kind) ?? .command, target: rule.destination,
            format: NotificationFormat(rawValue: rule.format) ?? .json, createdAt: notice.at, createdBy: "definition of \(notice.dagID)")
    }

    // MARK: The payload

    /// The documented fields: event, dag_id, run_id, task_id, try_number, state, error, at, url, log_tail (the try's last
    /// 20 log lines).
    func payload(_ notice: Notice) -> [String: JSONValue] {
        let runPage = baseURL + "/dags/" + Self.segment(notice.dagID) + "/runs/" + Self.segment(notice.runID)
        var tail: [JSONValue] = []
        if let taskID = notice.taskID, let tryNumber = notice.tryNumber {
            let path = home.logPath(dagID: notice.dagID, runID: notice.runID, taskID: taskID, tryNumber: tryNumber)
            tail = Self.lastLines(of: path, count: 20).map(JSONValue.string)
        }
        return [
            "event": .string(notice.event.rawValue), "dag_id": .string(notice.dagID), "run_id": .string(notice.runID),
            "task_id": notice.taskID.map(JSONValue.string) ?? .null, "try_number": notice.tryNumber.map { .number(Double($0)) } ?? .null,
            "state": .string(notice.state), "error": notice.error.map(JSONValue.string) ?? .null,
            "at": .string(Template.timestamp(notice.at)), "url": .string(runPage), "log_tail": .array(tail),
        ]
    }

    /// The last `count` lines of a file (read from its last 64 KB), or none when it cannot be read.
    static func lastLines(of path: String, count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        if size > 65_536, !lines.isEmpty { lines.removeFirst() }  // cut in the middle
        return Array(lines.suffix(count))
    }

    /// A path segment with everything but unreserved characters percent-encoded.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A Slack incoming-webhook body: one line saying what happened with a link, then the log's last lines.
    static func slackText(_ payload: [String: JSONValue]) -> String {
        let what = payload["task_id"]?.stringValue.map { "task `\($0)` of `\(payload["dag_id"]?.stringValue ?? "")`" }
            ?? "run of `\(payload["dag_id"]?.stringValue ?? "")`"
        let verb: String
        switch payload["event"]?.stringValue {
        case "failure": verb = "failed"
        case "retry": verb = "failed and will be retried"
        case "success": verb = "succeeded"
        default: verb = "timed out"
        }
        var text = "Nightshift: \(what) \(verb)"
        if let number = payload["try_number"]?.doubleValue { text += " (try \(Int(number)))" }
        if let error = payload["error"]?.stringValue { text += ": \(error)" }
        text += " — <\(payload["url"]?.stringValue ?? "")|run \(payload["run_id"]?.stringValue ?? "")>"
        var tail: [String] = []
        if case .array(let lines)? = payload["log_tail"] { tail = lines.compactMap(\.stringValue) }
        if !tail.isEmpty { text += "\n```\n" + tail.joined(separator: "\n") + "\n```" }
        return text
    }

    // MARK: Delivery

    private func post(_ payload: [String: JSONValue], format: NotificationFormat, to url: String) async -> String? {
        let body: JSONValue = format == .slack ? .object(["text": .string(Self.slackText(payload))]) : .object(payload)
        do {
            let response = try await http.post(url, body: Array(body.jsonText.utf8), headers: ["Content-Type": "application/json"])
            return (200..<300).contains(response.status) ? nil : "\(url) answered \(response.status)"
        } catch {
            return "\(error)"
        }
    }

    private func run(_ command: String, payload: [String: JSONValue], notice: Notice) async -> String? {
        var environment = ProcessInfo.processInfo.environment
        environment["NIGHTSHIFT_NOTIFICATION"] = JSONValue.object(payload).jsonText
        for key in ["event", "dag_id", "run_id", "task_id", "try_number", "state", "error", "url"] {
            guard let value = payload[key], value != .null else { continue }
            environment["NIGHTSHIFT_NOTIFY_" + key.uppercased()] = value.stringValue ?? value.jsonText
        }
        let log = home.root.appendingPathComponent("logs").appendingPathComponent("notifications.log").path
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(SpawnSpec(
                executable: "/bin/sh", arguments: ["-c", command], environment: environment, workingDirectory: home.root.path,
                output: .appendToFile(log)))
        } catch {
            return "\(error)"
        }
        let timeout = commandTimeout
        let status = await withTaskGroup(of: ChildProcess.ExitStatus?.self) { group in
            group.addTask { await child.waitForExit() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil {  // the timeout came first
                await ProcessTable.killGroup(child.processGroup, grace: .seconds(2))
                _ = await group.next()
            }
            group.cancelAll()
            return first
        }
        guard let status else { return "command timed out after \(timeout.seconds) s (its output: \(log))" }
        return status.succeeded ? nil : "command \(status) (its output: \(log))"
    }
}
