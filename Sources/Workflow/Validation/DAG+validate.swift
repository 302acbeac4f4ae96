import Foundation

extension DAG {
    /// Checks the definition: ids, duplicates, unknown upstream ids, cycles, the cron expression, the time zone,
    /// limits, placeholders of shell tasks and (when `pools` is given) pool names.
    /// - Parameter pools: the pool names tasks may use; nil skips that check.
    /// - Throws: the first ``WorkflowError`` found.
    public func validate(pools: [String]? = nil) throws(WorkflowError) {
        func fail(_ kind: WorkflowError.Kind) -> WorkflowError { WorkflowError(dagID: id, kind: kind) }
        guard DAG.isValidID(id) else { throw fail(.invalidID(id)) }
        guard !tasks.isEmpty else { throw fail(.noTasks) }
        if let duplicate = duplicateTaskIDs.first { throw fail(.duplicateTask(duplicate)) }
        let ids = Set(tasks.map(\.id))
        for task in tasks {
            guard DAG.isValidID(task.id) else { throw fail(.invalidID(task.id)) }
            if let mapping = task.mapping { try validate(mapping, of: task, ids: ids) }
            for upstream in task.upstream where !ids.contains(upstream) {
                throw fail(.unknownDependency(task: task.id, missing: upstream))
            }
            if let pools, let pool = task.pool, !pools.contains(pool) {
                throw fail(.unknownPool(task: task.id, pool: pool, known: pools))
            }
            var templated: [String] = []
            if case .shell(let command) = task.work { templated = command.templatedTexts }
            if let sensor = task.sensor {
                templated = sensor.templatedTexts
                try validate(sensor, of: task.id)
            }
            for text in templated {
                if Template.hasUnclosedPlaceholder(text) { throw fail(.unclosedPlaceholder(task: task.id, text: text)) }
                for name in Template.placeholders(in: text) where !Template.isKnownName(name, mapped: task.mapping != nil) {
                    throw fail(.unknownPlaceholder(task: task.id, placeholder: name))
                }
            }
            for (index, rule) in task.notifyRules.enumerated() {
                if let problem = rule.problem(onTask: true) {
                    throw fail(.invalidSetting(name: "notify[\(index)] of task '\(task.id)'", value: rule.summary, reason: problem))
                }
            }
            for asset in task.outlets where !AssetEvent.isValidName(asset) {
                throw fail(.invalidSetting(
                    name: "outlets of task '\(task.id)'", value: asset, reason: "an asset name is 1-200 letters, digits and . _ - / :"))
            }
            if let retry = task.retry { try validate(retry, of: task.id) }
            if let timeout = task.timeout, timeout <= .zero {
                throw fail(.invalidSetting(name: "timeout of task '\(task.id)'", value: "\(timeout)", reason: "must be positive"))
            }
        }
        if let cycle = findCycle() { throw fail(.cycle(cycle)) }
        guard TimeZone(identifier: schedule.timeZone) != nil else { throw fail(.invalidTimeZone(schedule.timeZone)) }
        _ = try cron()
        for asset in schedule.assets where !AssetEvent.isValidName(asset) {
            throw fail(.invalidSetting(name: "schedule assets", value: asset, reason: "an asset name is 1-200 letters, digits and . _ - / :"))
        }
        guard maxActiveRuns >= 1 else {
            throw fail(.invalidSetting(name: "maxActiveRuns", value: "\(maxActiveRuns)", reason: "must be at least 1"))
        }
        guard maxActiveTasks >= 1 else {
            throw fail(.invalidSetting(name: "maxActiveTasks", value: "\(maxActiveTasks)", reason: "must be at least 1"))
        }
        try validate(retry, of: nil)
        if let executionTimeout, executionTimeout <= .zero {
            throw fail(.invalidSetting(name: "executionTimeout", value: "\(executionTimeout)", reason: "must be positive"))
        }
        if let runTimeout, runTimeout <= .zero {
            throw fail(.invalidSetting(name: "runTimeout", value: "\(runTimeout)", reason: "must be positive"))
        }
        for (index, rule) in notifyRules.enumerated() {
            if let problem = rule.problem(onTask: false) {
                throw fail(.invalidSetting(name: "notify[\(index)]", value: rule.summary, reason: problem))
            }
        }
        for (name, param) in paramSpecs.sorted(by: { $0.key < $1.key }) {
            if let problem = param.declarationProblem(name: name) {
                throw fail(.invalidSetting(name: "param '\(name)'", value: param.defaultValue.jsonText, reason: problem))
            }
        }
    }

    private func validate(_ mapping: TaskMapping, of task: TaskDefinition, ids: Set<String>) throws(WorkflowError) {
        func fail(_ value: String, _ reason: String) -> WorkflowError {
            WorkflowError(dagID: id, kind: .invalidSetting(name: "mapping of task '\(task.id)'", value: value, reason: reason))
        }
        guard (1...100_000).contains(mapping.limit) else { throw fail("limit \(mapping.limit)", "the limit must be between 1 and 100000") }
        if task.sensor != nil { throw fail(mapping.sourceDescription, "a sensor cannot be mapped") }
        if case .xcom(let source, _) = mapping.source {
            guard ids.contains(source), task.upstream.contains(source) else {
                throw fail(mapping.sourceDescription, "a mapped task expands over a list an upstream task pushes, and the DAG has no task '\(source)'")
            }
            if self.task(source)?.mapping != nil { throw fail(mapping.sourceDescription, "'\(source)' is mapped itself: map over a task that pushes one list") }
        }
    }

    private func validate(_ sensor: Sensor, of task: String) throws(WorkflowError) {
        func fail(_ field: String, _ value: Duration, _ reason: String) -> WorkflowError {
            WorkflowError(dagID: id, kind: .invalidSetting(name: "sensor '\(task)'.\(field)", value: value.spoken, reason: reason))
        }
        guard sensor.every > .zero else { throw fail("every", sensor.every, "must be positive") }
        guard sensor.timeout > .zero else { throw fail("timeout", sensor.timeout, "must be positive") }
        guard sensor.every < sensor.timeout else {
            throw fail("every", sensor.every, "must be shorter than the timeout (\(sensor.timeout.spoken)), or the sensor pokes only once")
        }
    }

    private func validate(_ policy: RetryPolicy, of task: String?) throws(WorkflowError) {
        let owner = task.map { "retry of task '\($0)'" } ?? "retry"
        func fail(_ field: String, _ value: String, _ reason: String) -> WorkflowError {
            WorkflowError(dagID: id, kind: .invalidSetting(name: "\(owner).\(field)", value: value, reason: reason))
        }
        guard policy.retries >= 0 else { throw fail("retries", "\(policy.retries)", "must not be negative") }
        guard policy.delay >= .zero else { throw fail("delay", "\(policy.delay)", "must not be negative") }
        guard policy.multiplier >= 1 else { throw fail("multiplier", "\(policy.multiplier)", "must be at least 1") }
        guard (0...1).contains(policy.jitter) else { throw fail("jitter", "\(policy.jitter)", "must be between 0 and 1") }
    }

    /// Ids may name directories (logs/DAG/RUN/TASK), so they are restricted to a safe alphabet.
    public static func isValidID(_ id: String) -> Bool {
        guard (1...200).contains(id.count), id != ".", id != ".." else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) || scalar == "_" || scalar == "-" || scalar == "."
        }
    }

    /// A cycle as `[a, b, c, a]` following upstream → downstream edges, or nil.
    func findCycle() -> [String]? {
        var downstream: [String: [String]] = [:]
        for task in tasks {
            for upstream in task.upstream { downstream[upstream, default: []].append(task.id) }
        }
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []
        func visit(_ node: String) -> [String]? {
            marks[node] = .visiting
            stack.append(node)
            for next in downstream[node] ?? [] {
                switch marks[next] {
                case .visiting:
                    let start = stack.firstIndex(of: next)!
                    return Array(stack[start...]) + [next]
                case .done:
                    continue
                case nil:
                    if let cycle = visit(next) { return cycle }
                }
            }
            stack.removeLast()
            marks[node] = .done
            return nil
        }
        for task in tasks where marks[task.id] == nil {
            if let cycle = visit(task.id) { return cycle }
        }
        return nil
    }

    /// See ``topologicalOrder``.
    static func topologicalOrder(of tasks: [TaskDefinition]) -> [String] {
        var placed: [String] = []
        var placedSet = Set<String>()
        var remaining = tasks
        while !remaining.isEmpty {
            let before = remaining.count
            remaining.removeAll { task in
                guard task.upstream.allSatisfy(placedSet.contains) else { return false }
                placed.append(task.id)
                placedSet.insert(task.id)
                return true
            }
            if remaining.count == before { return placed + remaining.map(\.id) }  // a cycle: validate() reports it
        }
        return placed
    }
}
