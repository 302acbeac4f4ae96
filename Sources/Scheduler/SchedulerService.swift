public import Executor
import Foundation
public import Logging
public import ServiceLifecycle
public import Store
public import Workflow
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The scheduler loop as a `Service`: creates due runs, queues ready task instances within limits, hands them to the
/// executor, applies retries, and reaps or adopts tries whose process it did not start. The hand-off between tasks is
/// event-driven: a finished try wakes the loop at once.
///
/// ```swift
/// let scheduler = SchedulerService(bag: bag, store: store, executor: executor, home: home, logger: logger)
/// try await ServiceGroup(configuration: .init(services: [scheduler], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
/// ```
public final class SchedulerService: Service, Sendable {
    public let bag: DAGBag
    public let store: StateStore
    public let executor: any TryExecutor
    public let home: NightshiftHome
    public let configuration: SchedulerConfiguration
    /// Sends operators' notifications on failures, retries, successes and run timeouts (nil: none).
    public let notifier: Notifier?
    let logger: Logger
    let wake = WakeSignal()
    let tracker = TryTracker()
    let metrics: SchedulerMetrics
    /// Tries the executor saw end, waiting for the next pass to apply them (they stay tracked until then).
    private let finished = Mutex<[(launch: TryLaunch, result: ExecutedTry, key: String)]>([])
    private let stopping = Mutex(false)
    private let leaveTriesAtOnce = Mutex(false)
    /// When schedules next need a look (the earliest next tick, or 30 s from the last look).
    private let nextCronCheck = Mutex<Date?>(nil)
    /// Set when a try of a task with outlets succeeded: the next pass looks for the asset-triggered runs it causes.
    private let assetEventsPending = Mutex(false)

    public init(
        bag: DAGBag, store: StateStore, executor: any TryExecutor, home: NightshiftHome, configuration: SchedulerConfiguration = .init(),
        notifier: Notifier? = nil, logger: Logger
    ) {
        self.bag = bag
        self.store = store
        self.executor = executor
        self.home = home
        self.configuration = configuration
        self.notifier = notifier
        self.logger = logger
        self.metrics = SchedulerMetrics(bag: bag)
    }

    /// Wakes the loop now (e.g. on SIGUSR1 from a CLI trigger).
    public func poke() { wake.signal() }

    /// Makes the coming graceful shutdown leave running tries at once instead of giving them the shutdown grace: for a
    /// reload, where the next image of this process adopts them (they stay its children, so it also reaps them).
    public func leaveRunningTriesOnShutdown() { leaveTriesAtOnce.withLock { $0 = true } }

    public func run() async throws {
        let startedAt = configuration.now()
        try await store.register(bag, now: startedAt)
        let reset = try await store.resetQueued()
        if reset > 0 { logger.info("Re-queued task instances a previous scheduler left queued", metadata: ["count": "\(reset)"]) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                await loop(group: &group, startedAt: startedAt)
                await drain()
                group.cancelAll()
            }
        } onGracefulShutdown: { [self] in
            stopping.withLock { $0 = true }
            wake.signal()
        }
        logger.info("Scheduler stopped", metadata: ["tries.left": "\(tracker.count)"])
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    private func loop(group: inout TaskGroup<Void>, startedAt: Date) async {
        var lastReap = Date.distantPast
        var lastHeartbeat = Date.distantPast
        var lastTimeoutCheck = Date.distantPast
        let timedDAGs = bag.dags.values.filter { $0.runTimeout != nil }.sorted { $0.id < $1.id }
        let assetDAGs = bag.dags.values.filter { !$0.schedule.assets.isEmpty }.sorted { $0.id < $1.id }
        var lastAssetCheck = Date.distantPast
        let mapping = MappedTaskSpec.all(in: bag)
        for warning in bag.warnings { logger.warning("\(warning)") }
        let pid = getpid()
        while !isStopping && !Task.isCancelled {
            let now = configuration.now()
            let passStarted = ContinuousClock.now
            do {
                if now.timeIntervalSince(lastReap) >= configuration.reapInterval.seconds {
                    lastReap = now
                    try await reap(group: &group, now: now)
                }
                if now.timeIntervalSince(lastHeartbeat) >= configuration.heartbeatInterval.seconds {
                    lastHeartbeat = now
                    try await store.heartbeat(pid: pid, host: configuration.host, startedAt: startedAt, now: now)
                }
                try await createDueRuns(now: now)
                if !assetDAGs.isEmpty, assetEventsPending.withLock({ $0 }) || now.timeIntervalSince(lastAssetCheck) >= 1 || now < lastAssetCheck {
                    lastAssetCheck = now
                    assetEventsPending.withLock { $0 = false }
                    for run in try await store.mayHaveAssetRuns(for: assetDAGs) ? store.createAssetRuns(of: assetDAGs, now: now) : [] {
                        logger.info("Created asset-triggered run", metadata: ["dag.id": "\(run.dagID)", "run.id": "\(run.runID)"])
                    }
                }
                if !timedDAGs.isEmpty, now.timeIntervalSince(lastTimeoutCheck) >= 1 || now < lastTimeoutCheck {
                    lastTimeoutCheck = now
                    try await timeOutRuns(of: timedDAGs, now: now)
                }
                let bag = self.bag
                let limits = configuration.limits
                let home = self.home
                // Tries that ended since the last pass are applied in the pass's own transaction: one write per hand-off.
                let ended = finished.withLock { ended in
                    defer { ended = [] }
                    return ended
                }
                let started: [TaskTryRecord]
                do {
                    let applied: [(TryOutcome, TryAction)?]
                    (applied, started) = try await store.finishAndSchedule(
                        ended.map { finishing($0.launch, $0.result, now: now) }, now: now, host: configuration.host,
                        logPath: { instance, number in
                            home.logPath(dagID: instance.dagID, runID: instance.runID, taskID: instance.taskID, tryNumber: number)
                        }, mapping: mapping
                    ) { snapshot in
                        SchedulingPass.plan(snapshot, bag: bag, limits: limits, now: now)
                    }
                    for (end, result) in zip(ended, applied) {
                        if let result {
                            logFinished(end.launch, result)
                            notify(end.launch, result)
                            if result.1 == .markSuccess, bag[end.launch.dagID]?.task(end.launch.taskID)?.outlets.isEmpty == false {
                                assetEventsPending.withLock { $0 = true }  // the next pass creates the runs they cause
                                wake.signal()
                            }
                        }
                        tracker.remove(end.key)
                    }
                } catch {
                    finished.withLock { $0.insert(contentsOf: ended, at: 0) }  // applied by the next pass
                    throw error
                }
                for attempt in started { launch(attempt, group: &group) }
                let firstTries = ended.filter { $0.launch.tryNumber == 1 }.map {
                    (dagID: $0.launch.dagID, runID: $0.launch.runID, taskID: $0.launch.taskID)
                }
                if !firstTries.isEmpty {  // beside the loop: a figure never delays a pass, and a lost one fails nothing
                    let (metrics, store) = (self.metrics, self.store)
                    Task.detached { try? await metrics.recordHandoffs(firstTries, store: store) }
                }
                if configuration.exitWhenIdle, started.isEmpty, tracker.count == 0, try await store.runs(state: .queued, limit: 1).isEmpty,
                    try await store.runs(state: .running, limit: 1).isEmpty
                {
                    return
                }
            } catch {
                logger.error("Scheduling pass failed", metadata: ["error": "\(error)"])
            }
            // A pass reads every unfinished run's instances, so on a run of thousands of tasks it is not cheap: rest
            // as long as it took before the next one (at most half of this loop's time goes to passes, and the tries
            // that end meanwhile are applied together) instead of one pass per ended try, which grows with the square
            // of the run's size. A hand-off on a small run (a pass well under a millisecond) does not wait.
            let passTook = ContinuousClock.now - passStarted
            metrics.recordPass(passTook)
            if passTook > .milliseconds(2) && !isStopping { try? await Task.sleep(for: min(passTook, .milliseconds(500))) }
            await wake.wait(timeout: configuration.pollInterval)
        }
    }

    /// After shutdown begins: waits up to the grace period for running tries, then leaves the rest running.
    private func drain() async {
        let grace = leaveTriesAtOnce.withLock { $0 } ? .zero : configuration.shutdownGrace
        let deadline = ContinuousClock.now + grace
        while true {
            // No more passes: tries that end now are applied one by one.
            let ended = finished.withLock { ended in
                defer { ended = [] }
                return ended
            }
            for end in ended {
                await finish(end.launch, end.result)
                tracker.remove(end.key)
            }
            guard tracker.count > 0 && ContinuousClock.now < deadline else { break }
            await wake.wait(timeout: .milliseconds(50))
        }
        if tracker.count > 0 {
            logger.info("Leaving running tries for the next scheduler to adopt", metadata: ["count": "\(tracker.count)"])
        }
    }

    // MARK: Runs from schedules

    private func createDueRuns(now: Date) async throws {
        if let next = nextCronCheck.withLock({ $0 }), now < next { return }
        let records = Dictionary(uniqueKeysWithValues: try await store.dagRecords().map { ($0.dagID, $0) })
        var nextCheck = now.addingTimeInterval(30)
        for dag in bag.dags.values.sorted(by: { $0.id < $1.id }) {
            guard let cron = try? dag.cron(), let record = records[dag.id], !record.paused else { continue }
            let last = try await store.lastScheduledLogicalDate(of: dag.id)
            let due = RunFactory.dueRuns(of: dag, cron: cron, lastLogicalDate: last, registeredAt: record.registeredAt, now: now)
            for request in due {
                do {
                    try await store.createRun(
                        of: dag, runID: request.runID, logicalDate: request.logicalDate, interval: request.interval, type: .scheduled,
                        conf: [:], actor: "scheduler", now: now)
                    logger.info("Created scheduled run", metadata: ["dag.id": "\(dag.id)", "run.id": "\(request.runID)"])
                } catch let error as StoreError {
                    if case .duplicateRun = error.kind { continue }  // another scheduler (or a restart) made it
                    throw error
                }
            }
            let latest = due.last?.logicalDate ?? last  // due ticks come in order; no need to ask the store again
            if let next = RunFactory.nextRunDate(of: dag, cron: cron, lastLogicalDate: latest, registeredAt: record.registeredAt, now: now) {
                nextCheck = min(nextCheck, next)
            }
        }
        nextCronCheck.withLock { $0 = nextCheck }
    }

    // MARK: Run timeouts

    /// Fails the runs of `dags` that have run longer than their DAG's `runTimeout` and ends their running tries'
    /// process groups (SIGTERM, SIGKILL after 5 s) without waiting for them.
    private func timeOutRuns(of dags: [DAG], now: Date) async throws {
        for dag in dags {
            guard let timeout = dag.runTimeout else { continue }
            for run in try await store.runs(dagID: dag.id, state: .running, limit: 10_000) {
                guard let started = run.startDate, now.timeIntervalSince(started) >= timeout.seconds else { continue }
                let note = "timed out after \(timeout.spoken)"
                guard let tries = try await store.timeOutRun(runID: run.runID, note: note, now: now) else { continue }
                logger.warning(
                    "Run timed out", metadata: ["dag.id": "\(dag.id)", "run.id": "\(run.runID)", "note": "\(note)", "tries.ended": "\(tries.count)"])
                notifier?.send(
                    Notifier.Notice(
                        event: .runTimeout, dagID: dag.id, runID: run.runID, taskID: nil, tryNumber: nil, state: RunState.failed.rawValue,
                        error: note, at: now),
                    declared: Self.declaredRules(.runTimeout, dag: dag, taskID: nil))
                for attempt in tries {
                    guard let group = attempt.processGroup, group > 1 else { continue }
                    Task.detached { await ProcessTable.killGroup(group, grace: .seconds(5)) }
                }
            }
        }
    }


    // MARK: Tries

    private func launch(_ attempt: TaskTryRecord, group: inout TaskGroup<Void>) {
        guard let dag = bag[attempt.dagID], let task = dag.task(attempt.taskID) else { return }
        let key = TryTracker.key(attempt.runID, attempt.taskID, attempt.tryNumber)
        _ = tracker.insert(key)
        let launch = TryLaunch(
            dagID: attempt.dagID, runID: attempt.runID, taskID: attempt.taskID, tryNumber: attempt.tryNumber, logPath: attempt.logPath,
            timeout: dag.timeout(for: task))
        group.addTask { [self] in
            let launched = ContinuousClock.now
            if let result = await executor.execute(launch) {
                metrics.recordTry(dagID: launch.dagID, ContinuousClock.now - launched)
                finished.withLock { $0.append((launch, result, key)) }  // the next pass applies it, then stops tracking it
            } else {
                tracker.remove(key)
            }
            wake.signal()
        }
    }

    /// A try's end as the store applies it: the outcome, with the retry policy of its task.
    private func finishing(_ launch: TryLaunch, _ result: ExecutedTry, now: Date) -> FinishedTry {
        let task = bag[launch.dagID]?.task(launch.taskID)
        let policy = bag[launch.dagID].flatMap { dag in task.map { dag.retryPolicy(for: $0) } } ?? .none
        let sensor = task?.sensor
        let random = configuration.random
        return FinishedTry(
            runID: launch.runID, taskID: launch.taskID, tryNumber: launch.tryNumber, observed: result.observed, exitStatus: result.exitStatus,
            outlets: task?.outlets ?? []
        ) { outcome, instance in
            TryDecision.decide(outcome, instance: instance, policy: policy, sensor: sensor, now: now, jitterSample: random())
        }
    }

    /// The notice an applied try end sends: a failure, a retry or a success (a skip sends none).
    private func notify(_ launch: TryLaunch, _ applied: (TryOutcome, TryAction)) {
        guard let notifier else { return }
        let event: NotificationEvent
        let state: TaskState
        switch applied.1 {
        case .markFailed: (event, state) = (.failure, .failed)
        case .scheduleRetry: (event, state) = (.retry, .upForRetry)
        case .markSuccess: (event, state) = (.success, .success)
        case .sensorTimedOut(skip: false, _): (event, state) = (.failure, .failed)
        case .markSkipped, .reschedule, .sensorTimedOut(skip: true, _): return
        }
        notifier.send(
            Notifier.Notice(
                event: event, dagID: launch.dagID, runID: launch.runID, taskID: launch.taskID, tryNumber: launch.tryNumber,
                state: state.rawValue, error: applied.0.errorText, at: configuration.now()),
            declared: bag[launch.dagID].map { Self.declaredRules(event, dag: $0, taskID: launch.taskID) } ?? [])
    }

    /// The rules `dag` (and its task `taskID`) declare for `event`.
    static func declaredRules(_ event: NotificationEvent, dag: DAG, taskID: String?) -> [NotifyRule] {
        guard let wanted = NotifyRule.Event(rawValue: event.rawValue) else { return [] }
        let rules = dag.notifyRules + (taskID.flatMap { dag.task($0)?.notifyRules } ?? [])
        return rules.filter { $0.events.contains(wanted) }
    }

    private func logFinished(_ launch: TryLaunch, _ applied: (TryOutcome, TryAction)) {
        logger.info(
            "Task try finished",
            metadata: [
                "dag.id": "\(launch.dagID)", "run.id": "\(launch.runID)", "task.id": "\(launch.taskID)", "try": "\(launch.tryNumber)",
                "outcome": "\(applied.0.errorText ?? "success")", "action": "\(applied.1)",
            ])
    }

    /// Applies a try's end at once (tries this scheduler adopted or reaped, outside the pass).
    private func finish(_ launch: TryLaunch, _ result: ExecutedTry) async {
        let now = configuration.now()
        let end = finishing(launch, result, now: now)
        do {
            let applied = try await store.finishTry(
                runID: end.runID, taskID: end.taskID, tryNumber: end.tryNumber, observed: end.observed, exitStatus: end.exitStatus,
                outlets: end.outlets, now: now, decide: end.decide)
            if let applied {
                logFinished(launch, applied)
                notify(launch, applied)
            }
        } catch {
            logger.error("Recording a finished try failed", metadata: ["error": "\(error)", "task.id": "\(launch.taskID)"])
        }
    }

    /// Checks every running try this process does not watch: a live process is adopted (watched to its end), a dead
    /// one is reaped at once and the retry policy applies.
    private func reap(group: inout TaskGroup<Void>, now: Date) async throws {
        for instance in try await store.runningInstances() {
            let key = TryTracker.key(instance.runID, instance.taskID, instance.tryNumber)
            guard !tracker.contains(key), let dag = bag[instance.dagID], let task = dag.task(instance.taskID) else { continue }
            let launch = TryLaunch(
                dagID: instance.dagID, runID: instance.runID, taskID: instance.taskID, tryNumber: instance.tryNumber,
                logPath: home.logPath(dagID: instance.dagID, runID: instance.runID, taskID: instance.taskID, tryNumber: instance.tryNumber),
                timeout: dag.timeout(for: task))
            if let pid = instance.pid {
                let start = instance.procStart.map { UInt64($0) }
                if ProcessTable.isAlive(pid: pid, startTime: start) {
                    guard tracker.insert(key) else { continue }
                    logger.info("Adopted a running try", metadata: ["task.id": "\(instance.taskID)", "run.id": "\(instance.runID)", "pid": "\(pid)"])
                    let deadline = launch.timeout.flatMap { timeout in instance.startDate?.addingTimeInterval(timeout.seconds) }
                    group.addTask { [self] in
                        if let result = await executor.watch(
                            pid: pid, pgid: instance.pgid, procStart: start, deadline: deadline, timeout: launch.timeout)
                        {
                            await finish(launch, result)
                        }
                        tracker.remove(key)
                        wake.signal()
                    }
                    continue
                }
                await finish(launch, ExecutedTry(observed: .processLost("task process \(pid) is gone (killed or crashed)"), exitStatus: nil))
            } else if let started = instance.startDate, now.timeIntervalSince(started) > configuration.unstartedTryGrace {
                await finish(launch, ExecutedTry(observed: .processLost("the try's process never started"), exitStatus: nil))
            }
        }
    }
}
