public import Foundation

/// What a mapped task expands over: a list an upstream task pushed to XCom, or a literal list.
public struct TaskMapping: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// The JSON array `task` pushed under `key`.
        case xcom(task: String, key: String)
        /// A list fixed in the definition.
        case literal([JSONValue])
    }

    public var source: Source
    /// The most mapped instances: a longer list fails the upstream task that pushed it.
    public var limit: Int

    /// The default ``limit``.
    public static let defaultLimit = 1024

    /// "extract.return_value" or "a literal list of 3".
    public var sourceDescription: String {
        switch source {
        case .xcom(let task, let key): return "\(task).\(key)"
        case .literal(let items): return "a literal list of \(items.count)"
        }
    }
}

/// The ids of mapped task instances: instance `index` of task `t` is stored and shown as `t[index]` (brackets are
/// never part of a task id, so the two cannot clash).
public enum MappedID {
    /// `t[3]`.
    public static func make(_ taskID: String, _ index: Int) -> String { "\(taskID)[\(index)]" }

    /// The task id and map index of `t[3]`; the id itself and nil for an unmapped instance.
    public static func split(_ instanceID: String) -> (taskID: String, index: Int?) {
        guard instanceID.hasSuffix("]"), let open = instanceID.lastIndex(of: "["),
            let index = Int(instanceID[instanceID.index(after: open)..<instanceID.index(before: instanceID.endIndex)]), index >= 0
        else { return (instanceID, nil) }
        return (String(instanceID[..<open]), index)
    }

    /// The task id of an instance id (`t[3]` → `t`).
    public static func taskID(of instanceID: String) -> String { split(instanceID).taskID }
}

extension TaskDefinition {
    /// This task, expanded at run time into one instance per element of the JSON array `upstream` pushed under `key`
    /// (at most `limit`). Each instance has its own index, tries, log, state and XCom, and reads its element as
    /// `ctx.mapItem` (`{{ map_item }}` and `$NIGHTSHIFT_MAP_ITEM` in a shell task). `upstream` becomes an upstream task.
    /// An empty list skips the task; a list over `limit` fails `upstream`.
    ///
    /// ```swift
    /// TaskDefinition.shell("fetch", "curl -fsS {{ map_item }} -o page-{{ map_index }}.html").mapped(over: "list_urls")
    /// ```
    public func mapped(over upstream: String, key: String = "return_value", limit: Int = TaskMapping.defaultLimit) -> TaskDefinition {
        var task = self
        task.mapping = TaskMapping(source: .xcom(task: upstream, key: key), limit: limit)
        if !task.upstream.contains(upstream) { task.upstream.append(upstream) }
        return task
    }

    /// This task, expanded into one instance per element of `items`.
    public func mapped(over items: [JSONValue], limit: Int = TaskMapping.defaultLimit) -> TaskDefinition {
        var task = self
        task.mapping = TaskMapping(source: .literal(items), limit: limit)
        return task
    }
}

extension DAG {
    /// `items` (task instances, by their ids) in definition order, a mapped task's instances together by map index;
    /// instances of tasks the definition no longer has come last, in their original order.
    public func inDefinitionOrder<T>(_ items: [T], id: (T) -> String) -> [T] {
        let position = Dictionary(uniqueKeysWithValues: tasks.enumerated().map { ($1.id, $0) })
        return items.enumerated().map { offset, item -> (key: (Int, Int, Int), item: T) in
            let (taskID, index) = MappedID.split(id(item))
            return ((position[taskID] ?? Int.max, index ?? -1, offset), item)
        }.sorted { $0.key < $1.key }.map(\.item)
    }
}
