/// Anything a DAG body may list: a task, or a dependency chain built with `>>`.
public protocol DAGComponent: Sendable {
    /// The tasks and edges this component adds.
    var content: DAGContent { get }
}

/// Tasks and `upstream → downstream` edges collected from a DAG body.
public struct DAGContent: Sendable, DAGComponent {
    /// Every task mentioned, in order of first mention.
    public var tasks: [TaskDefinition]
    /// Edges as (upstream id, downstream id).
    public var edges: [Edge]

    /// One dependency.
    public struct Edge: Sendable, Hashable {
        public let upstream: String
        public let downstream: String
    }

    public init(tasks: [TaskDefinition] = [], edges: [Edge] = []) {
        self.tasks = tasks
        self.edges = edges
    }

    public var content: DAGContent { self }

    mutating func append(_ other: DAGContent) {
        tasks += other.tasks
        edges += other.edges
    }
}

/// The result of `a >> b`: the tasks on both sides, the edges between them, and the tail that a further `>>` continues from.
public struct Dependency: Sendable, DAGComponent {
    public let content: DAGContent
    /// The downstream end of the chain.
    public let tail: [TaskDefinition]

    init(_ upstream: [TaskDefinition], _ downstream: [TaskDefinition], before: DAGContent = DAGContent()) {
        var content = before
        content.tasks += upstream + downstream
        for from in upstream {
            for to in downstream { content.edges.append(.init(upstream: from.id, downstream: to.id)) }
        }
        self.content = content
        self.tail = downstream
    }
}


/// `a >> b`: b runs after a.
public func >> (lhs: TaskDefinition, rhs: TaskDefinition) -> Dependency { Dependency([lhs], [rhs]) }
/// `a >> [b, c]`: b and c run after a.
public func >> (lhs: TaskDefinition, rhs: [TaskDefinition]) -> Dependency { Dependency([lhs], rhs) }
/// `[a, b] >> c`: c runs after a and b.
public func >> (lhs: [TaskDefinition], rhs: TaskDefinition) -> Dependency { Dependency(lhs, [rhs]) }
/// `(a >> b) >> c`: continues a chain. Swift's `>>` does not associate, so a chain needs parentheses or one line per edge.
public func >> (lhs: Dependency, rhs: TaskDefinition) -> Dependency { Dependency(lhs.tail, [rhs], before: lhs.content) }
/// `(a >> b) >> [c, d]`: continues a chain into a fan.
public func >> (lhs: Dependency, rhs: [TaskDefinition]) -> Dependency { Dependency(lhs.tail, rhs, before: lhs.content) }

/// Collects a DAG body: tasks, `>>` chains, `if`, `for` loops and arrays of tasks.
@resultBuilder
public enum DAGBuilder {
    public static func buildExpression(_ component: some DAGComponent) -> DAGContent { component.content }
    public static func buildExpression(_ tasks: [TaskDefinition]) -> DAGContent { DAGContent(tasks: tasks) }
    public static func buildBlock(_ parts: DAGContent...) -> DAGContent { buildArray(parts) }
    public static func buildOptional(_ part: DAGContent?) -> DAGContent { part ?? DAGContent() }
    public static func buildEither(first part: DAGContent) -> DAGContent { part }
    public static func buildEither(second part: DAGContent) -> DAGContent { part }
    public static func buildArray(_ parts: [DAGContent]) -> DAGContent {
        var content = DAGContent()
        for part in parts { content.append(part) }
        return content
    }
}
