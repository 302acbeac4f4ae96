import Foundation

/// A DAG's definition as data: what the store keeps for the UI and what the fingerprint hashes.
public struct DAGStructure: Sendable, Codable, Equatable {
    public struct TaskInfo: Sendable, Codable, Equatable {
        public var id: String
        public var kind: String
        public var command: [String]?
        public var upstream: [String]
        public var triggerRule: String
        public var retries: Int
        public var retryDelaySeconds: Double
        public var timeoutSeconds: Double?
        public var pool: String
        public var priorityWeight: Int
        /// For a sensor: its mode, interval, timeout and what it waits for ("reschedule every 30 s, timeout 6 h: …").
        public var sensor: String?
        /// The assets a success updates (absent when none).
        public var outlets: [String]?
        /// For a mapped task: what it expands over and its limit ("list.return_value, at most 1024").
        public var mapped: String?
    }

    public var dagID: String
    public var description: String
    public var schedule: String?
    public var timeZone: String
    public var catchup: Bool
    public var maxActiveRuns: Int
    public var maxActiveTasks: Int
    public var tags: [String]
    /// The assets the DAG is scheduled on (absent when none).
    public var assets: [String]?
    public var params: [String: JSONValue]
    public var tasks: [TaskInfo]

    /// The structure of `dag`.
    public init(_ dag: DAG) {
        dagID = dag.id
        description = dag.description
        schedule = dag.schedule.expression
        timeZone = dag.schedule.timeZone
        catchup = dag.catchup
        maxActiveRuns = dag.maxActiveRuns
        maxActiveTasks = dag.maxActiveTasks
        tags = dag.tags
        assets = dag.schedule.assets.isEmpty ? nil : dag.schedule.assets
        params = dag.params
        tasks = dag.tasks.map { task in
            let policy = dag.retryPolicy(for: task)
            let command: [String]?
            let kind: String
            switch task.work {
            case .swift: kind = task.sensor == nil ? "swift" : "sensor"; command = nil
            case .shell(let shell): kind = "shell"; command = shell.argv
            }
            let sensor = task.sensor.map { sensor in
                "\(sensor.mode.rawValue) every \(sensor.every.spoken), timeout \(sensor.timeout.spoken)"
                    + (sensor.softFail ? " (soft fail)" : "") + ": \(sensor.waitsFor)"
            }
            return TaskInfo(
                id: task.id, kind: kind, command: command, upstream: task.upstream, triggerRule: task.triggerRule.rawValue,
                retries: policy.retries, retryDelaySeconds: policy.delay.seconds, timeoutSeconds: dag.timeout(for: task)?.seconds,
                pool: task.pool ?? "default", priorityWeight: task.priorityWeight, sensor: sensor,
                outlets: task.outlets.isEmpty ? nil : task.outlets,
                mapped: task.mapping.map { "\($0.sourceDescription), at most \($0.limit)" })
        }
    }

    /// Stable JSON (sorted keys).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    /// A 64-bit FNV-1a hash of ``json`` in hex: changes whenever the definition does.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in json.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
