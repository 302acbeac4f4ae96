/// Thrown by a task body that decides it has nothing to do: the instance ends `skipped` with `reason` as its note
/// (e.g. "snapshot and checkpoints unchanged since run X"), and downstream trigger rules treat it as skipped.
public struct TaskSkipped: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the task skipped itself, for people.
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "skipped: \(reason)" }
}
