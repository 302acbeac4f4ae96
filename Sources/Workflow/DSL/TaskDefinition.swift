import Foundation

/// The body of a Swift task: it runs in the task's own child process and gets the try's context.
public typealias TaskBody = @Sendable (TaskContext) async throws -> Void

/// One task of a DAG: a Swift closure or a shell command, with its dependencies and policies.
///
/// ```swift
/// TaskDefinition("extract") { ctx in try await ctx.push(42, key: "rows") }
/// TaskDefinition.shell("load", "echo loading {{ ds }}", after: ["extract"], retry: .fixed(retries: 2, delay: .seconds(5)))
/// ```
public struct TaskDefinition: Sendable, DAGComponent {
    /// What the task does.
    public enum Work: Sendable {
        case swift(TaskBody)
        case shell(ShellCommand)
    }

    /// The task id, unique in its DAG (letters, digits, `_`, `-`, `.`).
    public let id: String
    /// What the task runs.
    public let work: Work
    /// Ids of the tasks this one runs after (merged with `>>` edges).
    public internal(set) var upstream: [String]
    /// When the task may run, given its upstream states.
    public var triggerRule: TriggerRule
    /// Retries for this task; nil uses the DAG's default.
    public var retry: RetryPolicy?
    /// How long one try may run before its process group is killed; nil uses the DAG's execution timeout.
    public var timeout: Duration?
    /// The pool whose slot a try takes (nil: the default pool).
    public var pool: String?
    /// Higher weights are started first when slots are scarce.
    public var priorityWeight: Int
    /// Set for a sensor (``sensor(_:every:timeout:mode:softFail:after:triggerRule:retry:pool:priorityWeight:_:)``): how
    /// often it pokes, for how long, and whether it holds its slot between pokes.
    public internal(set) var sensor: Sensor?
    /// Notifications this task sends beside its DAG's (``notify(_:)``).
    public internal(set) var notifyRules: [NotifyRule] = []
    /// Assets a successful try updates: each success records an asset event (unless the try said otherwise with
    /// ``TaskContext/skipAssetEvent(_:reason:)``), and DAGs scheduled on the asset run.
    public var outlets: [String]
    /// Set for a mapped task (``mapped(over:key:limit:)``): what it expands over at run time.
    public internal(set) var mapping: TaskMapping?
    /// Tells two definitions that share an id apart from one definition used twice (in two edges).
    let identity = UUID()

    /// A Swift task.
    public init(
        _ id: String, after upstream: [String] = [], triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil,
        timeout: Duration? = nil, pool: String? = nil, priorityWeight: Int = 1, outlets: [String] = [], _ body: @escaping TaskBody
    ) {
        self.init(
            id: id, work: .swift(body), upstream: upstream, triggerRule: triggerRule, retry: retry, timeout: timeout, pool: pool,
            priorityWeight: priorityWeight, outlets: outlets)
    }

    /// A task of any kind.
    public init(
        id: String, work: Work, upstream: [String] = [], triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil,
        timeout: Duration? = nil, pool: String? = nil, priorityWeight: Int = 1, outlets: [String] = []
    ) {
        self.outlets = outlets
        self.id = id
        self.work = work
        self.upstream = upstream
        self.triggerRule = triggerRule
        self.retry = retry
        self.timeout = timeout
        self.pool = pool
        self.priorityWeight = priorityWeight
    }

    /// A shell task running `script` with `/bin/sh -c`.
    public static func shell(
        _ id: String, _ script: String, environment: [String: String] = [:], workingDirectory: String? = nil,
        after upstream: [String] = [], triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil, timeout: Duration? = nil,
        pool: String? = nil, priorityWeight: Int = 1, outlets: [String] = []
    ) -> TaskDefinition {
        TaskDefinition(
            id: id, work: .shell(ShellCommand(script: script, environment: environment, workingDirectory: workingDirectory)),
            upstream: upstream, triggerRule: triggerRule, retry: retry, timeout: timeout, pool: pool, priorityWeight: priorityWeight,
            outlets: outlets)
    }

    /// A shell task running `argv` directly, without a shell.
    public static func shell(
        _ id: String, argv: [String], environment: [String: String] = [:], workingDirectory: String? = nil,
        after upstream: [String] = [], triggerRule: TriggerRule = .allSuccess, retry: RetryPolicy? = nil, timeout: Duration? = nil,
        pool: String? = nil, priorityWeight: Int = 1, outlets: [String] = []
    ) -> TaskDefinition {
        TaskDefinition(
            id: id, work: .shell(ShellCommand(argv: argv, environment: environment, workingDirectory: workingDirectory)),
            upstream: upstream, triggerRule: triggerRule, retry: retry, timeout: timeout, pool: pool, priorityWeight: priorityWeight,
            outlets: outlets)
    }

    public var content: DAGContent { DAGContent(tasks: [self]) }
}
