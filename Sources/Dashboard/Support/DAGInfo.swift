import Foundation
import Workflow

/// A DAG with what the views derive from its definition, computed once at start: the schedule in words, the
/// structure, the upstream map and the graph layout.
struct DAGInfo: Sendable {
    let dag: DAG
    let structure: DAGStructure
    /// The definition's fingerprint (what runs record they were created under).
    let fingerprint: String
    let cron: CronExpression?
    let scheduleText: String
    let taskOrder: [String]
    let graph: GraphLayout

    init(_ dag: DAG) {
        self.dag = dag
        structure = DAGStructure(dag)
        fingerprint = structure.fingerprint
        cron = try? dag.cron()
        scheduleText = dag.scheduleText
        taskOrder = dag.topologicalOrder
        graph = GraphLayout(tasks: dag.tasks.map { (id: $0.id, upstream: $0.upstream) }, order: dag.topologicalOrder)
    }

    /// Upstream ids by task.
    var upstream: [String: [String]] { Dictionary(uniqueKeysWithValues: dag.tasks.map { ($0.id, $0.upstream) }) }
}

/// A layered left-to-right layout of a DAG, computed on the server: a task's layer is the length of the longest path
/// from a root; within a layer, tasks are ordered by the mean position of their upstream tasks (one barycentre
/// sweep), which keeps most edges short and uncrossed for the small DAGs workflows have.
struct GraphLayout: Sendable {
    struct Node: Sendable { var id: String; var x: Double; var y: Double }
    struct Edge: Sendable { var from: String; var to: String }

    static let nodeWidth = 150.0
    static let nodeHeight = 32.0
    static let columnGap = 60.0
    static let rowGap = 14.0
    static let margin = 10.0

    var nodes: [Node] = []
    var edges: [Edge] = []
    var width = 0.0
    var height = 0.0

    init(tasks: [(id: String, upstream: [String])], order: [String]) {
        let upstream = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0.upstream) })
        var layer: [String: Int] = [:]
        for id in order { layer[id] = (upstream[id] ?? []).map { (layer[$0] ?? 0) + 1 }.max() ?? 0 }
        let layerCount = (layer.values.max() ?? -1) + 1
        var columns = [[String]](repeating: [], count: layerCount)
        for task in tasks { columns[layer[task.id] ?? 0].append(task.id) }
        var position: [String: Double] = [:]
        for (index, column) in columns.enumerated() {
            let sorted: [String]
            if index == 0 {
                sorted = column
            } else {
                sorted = column.enumerated().sorted { a, b in
                    func centre(_ id: String) -> Double {
                        let ups = (upstream[id] ?? []).compactMap { position[$0] }
                        return ups.isEmpty ? 0 : ups.reduce(0, +) / Double(ups.count)
                    }
                    let (ca, cb) = (centre(a.element), centre(b.element))
                    return ca == cb ? a.offset < b.offset : ca < cb
                }.map(\.element)
            }
            for (row, id) in sorted.enumerated() { position[id] = Double(row) - Double(sorted.count - 1) / 2 }
            columns[index] = sorted
        }
        let tallest = columns.map(\.count).max() ?? 0
        height = Double(tallest) * (Self.nodeHeight + Self.rowGap) - Self.rowGap + 2 * Self.margin
        width = Double(layerCount) * (Self.nodeWidth + Self.columnGap) - Self.columnGap + 2 * Self.margin
        let middle = height / 2
        for (index, column) in columns.enumerated() {
            for id in column {
                let x = Self.margin + Double(index) * (Self.nodeWidth + Self.columnGap)
                let y = middle + position[id]! * (Self.nodeHeight + Self.rowGap) - Self.nodeHeight / 2
                nodes.append(Node(id: id, x: x, y: y))
            }
        }
        for task in tasks { for up in task.upstream { edges.append(Edge(from: up, to: task.id)) } }
        width = max(width, 0)
        height = max(height, 0)
    }
}
