/// A DAG definition that cannot be registered, and why: the message names the id, the cycle, the field or the value.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        case duplicateDAG
        case duplicateTask(String)
        case invalidID(String)
        case unknownDependency(task: String, missing: String)
        case cycle([String])
        case invalidCron(CronError)
        case invalidTimeZone(String)
        case invalidSetting(name: String, value: String, reason: String)
        case unknownPlaceholder(task: String, placeholder: String)
        case unclosedPlaceholder(task: String, text: String)
        case unknownPool(task: String, pool: String, known: [String])
        case noTasks
    }

    /// The DAG the error is about.
    public let dagID: String
    public let kind: Kind

    public init(dagID: String, kind: Kind) {
        self.dagID = dagID
        self.kind = kind
    }

    public var description: String {
        let prefix = "DAG '\(dagID)': "
        switch kind {
        case .duplicateDAG:
            return prefix + "DAG id defined twice"
        case .duplicateTask(let task):
            return prefix + "task id '\(task)' defined twice"
        case .invalidID(let value):
            return prefix + "invalid id '\(value)': use letters, digits, '_', '-' and '.' (1 to 200 characters)"
        case .unknownDependency(let task, let missing):
            return prefix + "task '\(task)' depends on unknown task '\(missing)'"
        case .cycle(let path):
            return prefix + "cycle " + path.joined(separator: " → ")
        case .invalidCron(let error):
            return prefix + error.description
        case .invalidTimeZone(let zone):
            return prefix + "invalid time zone '\(zone)': use an IANA name such as 'UTC' or 'Europe/Berlin'"
        case .invalidSetting(let name, let value, let reason):
            return prefix + "\(name) = \(value): \(reason)"
        case .unknownPlaceholder(let task, let placeholder):
            return prefix + "task '\(task)' uses unknown placeholder '{{ \(placeholder) }}'; known: "
                + (Template.builtinNames + ["params.NAME"]).joined(separator: ", ")
        case .unclosedPlaceholder(let task, let text):
            return prefix + "task '\(task)' has an unclosed placeholder ('{{' without '}}') in '\(text)'"
        case .unknownPool(let task, let pool, let known):
            return prefix + "task '\(task)' uses unknown pool '\(pool)'; pools: " + known.joined(separator: ", ")
        case .noTasks:
            return prefix + "no tasks"
        }
    }
}
