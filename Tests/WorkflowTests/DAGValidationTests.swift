import Foundation
import Testing

@testable import Workflow

/// A Swift task that does nothing; validation only looks at its id, edges and policies.
private func noop(
    _ id: String, after upstream: [String] = [], retry: RetryPolicy? = nil, timeout: Duration? = nil, pool: String? = nil
) -> TaskDefinition {
    TaskDefinition(id, after: upstream, retry: retry, timeout: timeout, pool: pool) { _ in }
}

/// The error `dag.validate(pools:)` throws; records an issue when it throws none.
private func rejection(
    of dag: DAG, pools: [String]? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> WorkflowError? {
    #expect(throws: WorkflowError.self, sourceLocation: sourceLocation) { try dag.validate(pools: pools) }
}

/// The placeholder list every unknown-placeholder message ends with.
private let knownPlaceholders = "ds, ts, run_id, dag_id, task_id, try_number, params.NAME"

@Suite("DAG validation: errors and their messages")
struct DAGValidationTests {
    @Test
    func wellFormedDAGPasses() throws {
        let extract = TaskDefinition.shell("extract", "echo {{ ds }} {{params.source}}", environment: ["RUN": "{{ run_id }}"])
        let train = noop("train", pool: "training")
        let dag = DAG(
            "anime_nightly", schedule: .cron("0 3 * * *", timeZone: "Europe/Berlin"), retry: .exponential(retries: 2),
            params: ["source": "jikan"]
        ) {
            extract >> train
        }
        try dag.validate(pools: ["default", "training"])
        #expect(dag.timeZone.identifier == "Europe/Berlin")
        #expect(try dag.cron()?.text == "0 3 * * *")
    }

    // MARK: duplicate task ids

    @Test
    func twoDefinitionsWithOneIDAreADuplicate() {
        let dag = DAG("dup") {
            noop("a")
            noop("b")
            noop("a")
        }
        let error = rejection(of: dag)
        #expect(error == WorkflowError(dagID: "dup", kind: .duplicateTask("a")))
        #expect(error?.description == "DAG 'dup': task id 'a' defined twice")
    }

    @Test
    func twoDefinitionsWithOneIDInEdgesAreADuplicate() {
        let first = noop("load")
        let second = noop("load")
        let sink = noop("sink")
        let dag = DAG("dup_edges") {
            first >> sink
            second >> sink
        }
        #expect(rejection(of: dag)?.description == "DAG 'dup_edges': task id 'load' defined twice")
    }

    @Test
    func oneDefinitionUsedInTwoEdgesIsNotADuplicate() throws {
        let a = noop("a")
        let b = noop("b")
        let c = noop("c")
        let dag = DAG("fan") {
            a
            a >> b
            a >> c
            (b >> c)
        }
        try dag.validate()
        #expect(dag.tasks.map(\.id) == ["a", "b", "c"])
        #expect(dag.task("c")?.upstream == ["a", "b"])
    }

    // MARK: dependencies

    @Test
    func unknownUpstreamIDIsNamed() {
        let dag = DAG("etl") {
            noop("extract")
            noop("load", after: ["extract", "transform"])
        }
        let error = rejection(of: dag)
        #expect(error?.kind == .unknownDependency(task: "load", missing: "transform"))
        #expect(error?.description == "DAG 'etl': task 'load' depends on unknown task 'transform'")
    }

    @Test
    func cycleIsReportedAsAPath() {
        let a = noop("a")
        let b = noop("b")
        let c = noop("c")
        let dag = DAG("x") {
            a >> b
            b >> c
            c >> a
        }
        let error = rejection(of: dag)
        #expect(error?.kind == .cycle(["a", "b", "c", "a"]))
        #expect(error?.description == "DAG 'x': cycle a → b → c → a")
    }

    @Test
    func cycleBehindARootStartsAtItsFirstTask() {
        let dag = DAG("x") {
            noop("root")
            noop("a", after: ["root", "b"])
            noop("b", after: ["a"])
        }
        #expect(rejection(of: dag)?.description == "DAG 'x': cycle a → b → a")
    }

    @Test
    func taskDependingOnItselfIsACycle() {
        let dag = DAG("x") { noop("a", after: ["a"]) }
        #expect(rejection(of: dag)?.description == "DAG 'x': cycle a → a")
    }

    // MARK: schedule

    @Test(arguments: [
        ("61 * * * *", "minute", "61", "minute value '61' is out of range 0-59"),
        ("0 0 * * FOO", "day-of-week", "FOO", "day-of-week value 'FOO' is not a number or a name (SUN-SAT)"),
        ("0 3 * *", "expression", "0 3 * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
    ])
    func invalidCronNamesFieldAndValue(_ expression: String, _ field: String, _ value: String, _ reason: String) throws {
        let dag = DAG("cron", schedule: .cron(expression)) { noop("a") }
        let error = try #require(rejection(of: dag))
        guard case .invalidCron(let cronError) = error.kind else {
            Issue.record("expected an invalid cron error, got \(error.kind)")
            return
        }
        #expect(cronError.field == field)
        #expect(cronError.value == value)
        #expect(error.description == "DAG 'cron': invalid cron expression '\(expression)': \(reason)")
        #expect(throws: WorkflowError.self) { try dag.cron() }
    }

    @Test
    func invalidTimeZoneIsNamed() {
        let dag = DAG("tz", schedule: .cron("@daily", timeZone: "Mars/Olympus")) { noop("a") }
        let error = rejection(of: dag)
        #expect(error?.kind == .invalidTimeZone("Mars/Olympus"))
        #expect(error?.description == "DAG 'tz': invalid time zone 'Mars/Olympus': use an IANA name such as 'UTC' or 'Europe/Berlin'")
    }

    // MARK: ids

    @Test(arguments: ["a/b", "", ".", "..", "has space", "naïve", "../etc", "x;rm", String(repeating: "x", count: 201)])
    func invalidTaskIDIsRejected(_ id: String) {
        let dag = DAG("ok") { noop(id) }
        let error = rejection(of: dag)
        #expect(error?.kind == .invalidID(id))
        #expect(error?.description == "DAG 'ok': invalid id '\(id)': use letters, digits, '_', '-' and '.' (1 to 200 characters)")
    }

    @Test
    func invalidDAGIDIsRejected() {
        let error = rejection(of: DAG("a/b") { noop("a") })
        #expect(error == WorkflowError(dagID: "a/b", kind: .invalidID("a/b")))
        #expect(error?.description == "DAG 'a/b': invalid id 'a/b': use letters, digits, '_', '-' and '.' (1 to 200 characters)")
    }

    @Test(arguments: ["a", "A_b-c.1", "anime_nightly", "...", String(repeating: "x", count: 200)])
    func validIDsAreAccepted(_ id: String) {
        #expect(DAG.isValidID(id))
    }

    @Test
    func dagWithoutTasksIsRejected() {
        let error = rejection(of: DAG("empty") {})
        #expect(error?.kind == .noTasks)
        #expect(error?.description == "DAG 'empty': no tasks")
    }

    // MARK: settings

    struct SettingCase: Sendable, CustomTestStringConvertible {
        let label: String
        let dag: DAG
        let message: String
        var testDescription: String { label }
    }

    static let settingCases: [SettingCase] = [
        SettingCase(label: "maxActiveRuns 0", dag: DAG("s", maxActiveRuns: 0) { noop("a") }, message: "DAG 's': maxActiveRuns = 0: must be at least 1"),
        SettingCase(
            label: "maxActiveTasks 0", dag: DAG("s", maxActiveTasks: 0) { noop("a") }, message: "DAG 's': maxActiveTasks = 0: must be at least 1"),
        SettingCase(
            label: "negative retries", dag: DAG("s", retry: .fixed(retries: -1, delay: .seconds(1))) { noop("a") },
            message: "DAG 's': retry.retries = -1: must not be negative"),
        SettingCase(
            label: "jitter 2", dag: DAG("s", retry: RetryPolicy(retries: 1, delay: .seconds(1), jitter: 2)) { noop("a") },
            message: "DAG 's': retry.jitter = 2.0: must be between 0 and 1"),
        SettingCase(
            label: "multiplier below 1", dag: DAG("s", retry: RetryPolicy(retries: 1, delay: .seconds(1), multiplier: 0.5)) { noop("a") },
            message: "DAG 's': retry.multiplier = 0.5: must be at least 1"),
        SettingCase(
            label: "negative delay", dag: DAG("s", retry: .fixed(retries: 1, delay: .seconds(-1))) { noop("a") },
            message: "DAG 's': retry.delay = -1.0 seconds: must not be negative"),
        SettingCase(
            label: "zero execution timeout", dag: DAG("s", executionTimeout: .zero) { noop("a") },
            message: "DAG 's': executionTimeout = 0.0 seconds: must be positive"),
        SettingCase(
            label: "negative run timeout", dag: DAG("s", runTimeout: .seconds(-1)) { noop("a") },
            message: "DAG 's': runTimeout = -1.0 seconds: must be positive"),
        SettingCase(
            label: "task with negative retries", dag: DAG("s") { noop("a", retry: .fixed(retries: -2, delay: .seconds(1))) },
            message: "DAG 's': retry of task 'a'.retries = -2: must not be negative"),
        SettingCase(
            label: "task with negative timeout", dag: DAG("s") { noop("a", timeout: .seconds(-5)) },
            message: "DAG 's': timeout of task 'a' = -5.0 seconds: must be positive"),
    ]

    @Test(arguments: settingCases)
    func badSettingIsNamedWithItsValue(_ setting: SettingCase) throws {
        let error = try #require(rejection(of: setting.dag))
        guard case .invalidSetting = error.kind else {
            Issue.record("expected an invalid setting, got \(error.kind)")
            return
        }
        #expect(error.description == setting.message)
    }

    // MARK: placeholders

    @Test(arguments: [
        TaskDefinition.shell("t", "echo {{ nope }}"),
        TaskDefinition.shell("t", argv: ["echo", "{{ds}}", "{{nope}}"]),
        TaskDefinition.shell("t", "echo", environment: ["DAY": "{{ ds }}", "X": "{{ nope }}"]),
        TaskDefinition.shell("t", "echo", workingDirectory: "/data/{{ nope }}"),
    ])
    func unknownPlaceholderInAShellTaskIsRejected(_ task: TaskDefinition) {
        let error = rejection(of: DAG("x") { task })
        #expect(error?.kind == .unknownPlaceholder(task: "t", placeholder: "nope"))
        #expect(error?.description == "DAG 'x': task 't' uses unknown placeholder '{{ nope }}'; known: \(knownPlaceholders)")
    }

    @Test
    func paramsPlaceholderNeedsAName() {
        let error = rejection(of: DAG("x") { TaskDefinition.shell("t", "echo {{ params. }}") })
        #expect(error?.kind == .unknownPlaceholder(task: "t", placeholder: "params."))
    }

    @Test
    func unclosedPlaceholderInAShellTaskIsRejected() {
        let dag = DAG("x") { TaskDefinition.shell("t", "echo {{ ds") }
        #expect(rejection(of: dag)?.description == "DAG 'x': task 't' has an unclosed placeholder ('{{' without '}}') in 'echo {{ ds'")
    }

    @Test
    func everyKnownPlaceholderPasses() throws {
        let script = "echo {{ ds }} {{ts}} {{ run_id }} {{ dag_id }} {{ task_id }} {{ try_number }} {{ params.anything }}"
        try DAG("x") { TaskDefinition.shell("t", script) }.validate()
    }

    // MARK: pools

    @Test
    func unknownPoolIsRejectedWhenPoolsAreGiven() throws {
        let dag = DAG("x") { noop("train", pool: "gpu") }
        let error = rejection(of: dag, pools: ["default", "training"])
        #expect(error?.kind == .unknownPool(task: "train", pool: "gpu", known: ["default", "training"]))
        #expect(error?.description == "DAG 'x': task 'train' uses unknown pool 'gpu'; pools: default, training")
        try dag.validate()  // nil pools: no pool check
        try dag.validate(pools: ["gpu"])
    }
}

@Suite("DAGBag: the registry as a whole")
struct DAGBagTests {
    @Test
    func duplicateDAGIDsAreRejected() {
        let error = #expect(throws: WorkflowError.self) {
            try DAGBag([DAG("x") { noop("a") }, DAG("y") { noop("a") }, DAG("x") { noop("b") }])
        }
        #expect(error == WorkflowError(dagID: "x", kind: .duplicateDAG))
        #expect(error?.description == "DAG 'x': DAG id defined twice")
    }

    @Test
    func poolWithoutSlotsIsRejected() {
        let error = #expect(throws: WorkflowError.self) { try DAGBag([DAG("x") { noop("a") }], pools: ["gpu": 0, "training": 1]) }
        #expect(error?.description == "DAG '*': pool 'gpu' = 0: needs at least 1 slot")
        let defaultError = #expect(throws: WorkflowError.self) { try DAGBag([], defaultPoolSlots: 0) }
        #expect(defaultError?.description == "DAG '*': pool 'default' = 0: needs at least 1 slot")
    }

    @Test
    func tasksMayOnlyUseRegisteredPools() throws {
        let dag = DAG("x") { noop("train", pool: "training") }
        let error = #expect(throws: WorkflowError.self) { try DAGBag([dag]) }
        #expect(error?.description == "DAG 'x': task 'train' uses unknown pool 'training'; pools: default")

        let bag = try DAGBag([dag, DAG("a") { noop("t") }], pools: ["training": 2])
        #expect(bag.pools == ["default": 128, "training": 2])
        #expect(bag.ids == ["a", "x"])
        #expect(bag["x"]?.id == "x")
        #expect(bag["missing"] == nil)
        #expect(bag.pool(of: noop("t")) == "default")
        #expect(bag.pool(of: noop("t", pool: "training")) == "training")
    }

    @Test
    func bagValidatesEveryDAG() {
        let cyclic = DAG("loop") {
            noop("a", after: ["b"])
            noop("b", after: ["a"])
        }
        let error = #expect(throws: WorkflowError.self) { try DAGBag([DAG("fine") { noop("a") }, cyclic]) }
        #expect(error?.description == "DAG 'loop': cycle a → b → a")
    }
}

@Suite("DAG graph queries")
struct DAGGraphTests {
    /// extract → clean → train → report, extract → stats → report, and an unrelated task.
    static let graph = DAG("graph") {
        noop("extract")
        noop("clean", after: ["extract"])
        noop("stats", after: ["extract"])
        noop("unrelated")
        noop("train", after: ["clean"])
        noop("report", after: ["stats", "train"])
    }

    @Test(arguments: [
        (["extract"], ["extract", "clean", "stats", "train", "report"]),
        (["clean"], ["clean", "train", "report"]),
        (["stats", "unrelated"], ["stats", "unrelated", "report"]),
        (["report"], ["report"]),
        ([], []),
    ])
    func downstreamClosureIsTransitiveInDefinitionOrder(_ ids: [String], _ expected: [String]) {
        #expect(Self.graph.downstreamClosure(of: ids) == expected)
    }

    @Test
    func downstreamListsDirectChildren() {
        #expect(Self.graph.downstream(of: "extract") == ["clean", "stats"])
        #expect(Self.graph.downstream(of: "report") == [])
    }

    @Test
    func topologicalOrderPlacesUpstreamFirstWithDefinitionOrderForTies() {
        let dag = DAG("order") {
            noop("load", after: ["transform"])
            noop("extract")
            noop("transform", after: ["extract"])
            noop("audit")
        }
        #expect(dag.topologicalOrder == ["extract", "transform", "audit", "load"])
        #expect(Self.graph.topologicalOrder == ["extract", "clean", "stats", "unrelated", "train", "report"])
    }

    @Test
    func topologicalOrderOfACycleStillListsEveryTaskOnce() {
        let dag = DAG("loop") {
            noop("root")
            noop("a", after: ["root", "b"])
            noop("b", after: ["a"])
        }
        #expect(dag.topologicalOrder == ["root", "a", "b"])
    }

    @Test(arguments: [
        (Duration.minutes(5), Duration.minutes(1), "every", "5 min", "must be shorter than the timeout (1 min), or the sensor pokes only once"),
        (.seconds(60), .seconds(60), "every", "1 min", "must be shorter than the timeout (1 min), or the sensor pokes only once"),
        (.zero, .seconds(60), "every", "0 s", "must be positive"),
        (.seconds(1), .zero, "timeout", "0 s", "must be positive"),
    ])
    func aSensorsIntervalMustBePositiveAndShorterThanItsTimeout(
        _ every: Duration, _ timeout: Duration, _ field: String, _ value: String, _ reason: String
    ) {
        let dag = DAG("x") { TaskDefinition.sensor("wait", every: every, timeout: timeout) { _ in true } }
        #expect(rejection(of: dag)?.kind == .invalidSetting(name: "sensor 'wait'.\(field)", value: value, reason: reason))
    }

    @Test func aSensorWithItsIntervalShorterThanItsTimeoutPasses() throws {
        try DAG("x") { TaskDefinition.sensor("wait", every: .seconds(30), timeout: .hours(6)) { _ in true } }.validate()
    }

    @Test func aFileSensorsPathIsCheckedForPlaceholders() throws {
        let dag = DAG("x") { TaskDefinition.fileSensor("t", path: "/data/{{ nope }}.csv") }
        #expect(rejection(of: dag)?.kind == .unknownPlaceholder(task: "t", placeholder: "nope"))
        try DAG("x") { TaskDefinition.fileSensor("t", path: "/data/{{ ds }}/{{ params.name }}.csv") }.validate()
    }

    @Test(arguments: [
        (NotifyRule.webhook("hooks.example.org/x"), "webhook URL 'hooks.example.org/x' is not an http(s) URL"),
        (.command("  "), "command is empty"),
        (NotifyRule(on: [], target: .command("true")), "names no event (failure, retry, success, run_timeout)"),
    ])
    func aNotificationThatCannotWorkIsRejected(_ rule: NotifyRule, _ reason: String) {
        let dag = DAG("x", notify: [.webhook("https://hooks.example.org/ok"), rule]) { noop("t") }
        #expect(rejection(of: dag)?.kind == .invalidSetting(name: "notify[1]", value: rule.summary, reason: reason))
    }

    @Test func aRunTimeoutNotificationBelongsToTheDAG() throws {
        let rule = NotifyRule.command("true", on: [.runTimeout])
        let dag = DAG("x") { noop("t").notify(rule) }
        #expect(
            rejection(of: dag)?.kind
                == .invalidSetting(name: "notify[0] of task 't'", value: rule.summary, reason: "run_timeout is a run's event: declare it on the DAG"))
        try DAG("x", notify: [rule]) { noop("t").notify(.webhook("http://127.0.0.1:9/hook", on: [.failure, .retry], format: .slack)) }.validate()
    }

    @Test func aMappedTaskMustMapOverAnUpstreamTaskOfTheDAG() throws {
        let missing = DAG("x") { noop("t").mapped(over: "nope") }
        #expect(
            rejection(of: missing)?.kind
                == .invalidSetting(
                    name: "mapping of task 't'", value: "nope.return_value",
                    reason: "a mapped task expands over a list an upstream task pushes, and the DAG has no task 'nope'"))
        let mappedSource = DAG("x") {
            let list = noop("list").mapped(over: [1, 2])
            let t = noop("t").mapped(over: "list")
            list >> t
        }
        #expect(
            rejection(of: mappedSource)?.kind
                == .invalidSetting(
                    name: "mapping of task 't'", value: "list.return_value", reason: "'list' is mapped itself: map over a task that pushes one list"))
        let badLimit = DAG("x") {
            let list = noop("list")
            list >> noop("t").mapped(over: "list", limit: 0)
        }
        #expect(
            rejection(of: badLimit)?.kind
                == .invalidSetting(name: "mapping of task 't'", value: "limit 0", reason: "the limit must be between 1 and 100000"))
        try DAG("x") {
            let list = noop("list")
            list >> TaskDefinition.shell("t", "echo {{ map_item }} {{ map_index }}").mapped(over: "list")
        }.validate()
    }

    @Test func mapPlaceholdersBelongToMappedTasks() {
        let dag = DAG("x") { TaskDefinition.shell("t", "echo {{ map_item }}") }
        #expect(rejection(of: dag)?.kind == .unknownPlaceholder(task: "t", placeholder: "map_item"))
    }

    @Test func aMappedInstancesIDNamesItsTask() {
        let dag = DAG("x") { noop("t") }
        #expect(dag.task("t[3]")?.id == "t")
        #expect(dag.task("t[x]") == nil && dag.task("u[1]") == nil)
        #expect(MappedID.split("t[12]").taskID == "t" && MappedID.split("t[12]").index == 12)
        #expect(MappedID.split("t").index == nil && MappedID.split("t[-1]").index == nil)
    }
}
