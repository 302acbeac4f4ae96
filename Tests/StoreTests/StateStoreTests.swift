import Foundation
import GRDB
import NightshiftTesting
import Testing
import Workflow

@testable import Store

/// Every test body runs twice: against the in-memory store and against a WAL file pool.
@Suite("StateStore")
struct StateStoreTests {
    typealias F = Fixtures

    // MARK: - register

    @Test("register inserts one unpaused row per DAG", arguments: StoreKind.allCases)
    func registerInsertsUnpausedRows(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.register(try F.bag([F.twoTaskDAG, F.singleTaskDAG]), now: F.t0)
            let records = try await store.dagRecords()
            #expect(records.map(\.dagID) == ["single", "two_tasks"])
            for (record, dag) in zip(records, [F.singleTaskDAG, F.twoTaskDAG]) {
                let structure = DAGStructure(dag)
                #expect(!record.paused)
                #expect(record.fingerprint == structure.fingerprint)
                #expect(record.structure == structure.json)
                #expect(record.registeredAt == F.t0)
                #expect(record.updatedAt == F.t0)
            }
        }
    }

    @Test("Registering an unchanged DAG again leaves its row alone", arguments: StoreKind.allCases)
    func reRegisterUnchanged(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let bag = try F.bag([F.twoTaskDAG])
            try await store.register(bag, now: F.t0)
            let before = try await store.dagRecords()
            try await store.register(bag, now: F.at(500))
            let after = try await store.dagRecords()
            #expect(after == before)
            #expect(after.first?.registeredAt == F.t0)
            #expect(after.first?.updatedAt == F.t0)
        }
    }

    @Test("A changed definition gets a new fingerprint and structure but keeps its paused flag", arguments: StoreKind.allCases)
    func registerChangedDefinition(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.register(try F.bag([F.singleTaskDAG]), now: F.t0)
            try await store.setPaused("single", true, structure: DAGStructure(F.singleTaskDAG), actor: "ops", now: F.at(1))
            try await store.register(try F.bag([F.singleTaskDAGChanged]), now: F.at(100))

            let record = try #require(try await store.dagRecords().first)
            let changed = DAGStructure(F.singleTaskDAGChanged)
            #expect(changed.fingerprint != DAGStructure(F.singleTaskDAG).fingerprint)
            #expect(record.fingerprint == changed.fingerprint)
            #expect(record.structure == changed.json)
            #expect(record.paused)
            #expect(record.registeredAt == F.t0)
            #expect(record.updatedAt == F.at(100))
        }
    }

    // MARK: - createRun

    @Test("createRun inserts a queued run and one scheduled instance per task", arguments: StoreKind.allCases)
    func createRunInsertsRunAndInstances(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let run = try await store.seedRun(conf: ["rows": 3, "mode": "full"], now: F.at(5))
            let runPK = try #require(run.id)
            #expect(run.dagID == "two_tasks")
            #expect(run.runID == "run-1")
            #expect(run.state == .queued)
            #expect(run.runType == .manual)
            #expect(run.logicalDate == F.t0)
            #expect(run.intervalStart == F.at(-3600))
            #expect(run.intervalEnd == F.t0)
            #expect(run.queuedAt == F.at(5))
            #expect(run.startDate == nil && run.endDate == nil)
            #expect(run.confObject == ["rows": 3, "mode": "full"])
            #expect(try await store.run("run-1") == run)
            #expect(try await store.run("other") == nil)

            let instances = try await store.taskInstances(runID: "run-1")
            #expect(instances.map(\.taskID) == ["extract", "load", "report"])
            #expect(instances.allSatisfy { $0.state == .scheduled && $0.tryNumber == 0 })
            #expect(instances.allSatisfy { $0.runPK == runPK && $0.dagID == "two_tasks" && $0.runID == "run-1" })
            // extract: the DAG's 2 retries; load: its own `.none`; report: its own 4 retries.
            #expect(instances.map(\.maxTries) == [3, 1, 5])
            #expect(instances.map(\.pool) == ["default", "etl", "default"])
            #expect(instances.map(\.priorityWeight) == [1, 7, 1])
            #expect(instances.allSatisfy { $0.pid == nil && $0.queuedAt == nil && $0.startDate == nil && $0.nextTryAt == nil })

            let event = try #require(try await store.events().first)
            #expect(event.kind == "run_created")
            #expect(event.dagID == "two_tasks" && event.runID == "run-1" && event.taskID == nil)
            #expect(event.actor == "tests")
            #expect(event.detail == "manual")
            #expect(event.at == F.at(5))
        }
    }

    @Test("An existing run id is a duplicateRun and adds nothing", arguments: StoreKind.allCases)
    func duplicateRunID(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun(runID: "run-1", logicalDate: F.t0)
            await #expect(throws: StoreError(.duplicateRun("run-1"))) {
                try await store.seedRun(F.singleTaskDAG, runID: "run-1", logicalDate: F.at(60))
            }
            #expect(try await store.runs().map(\.runID) == ["run-1"])
            #expect(try await store.taskInstances(runID: "run-1").map(\.taskID) == ["extract", "load", "report"])
            #expect(try await store.events().count == 1)
        }
    }

    @Test("A second scheduled run at the same logical date is a duplicateRun", arguments: StoreKind.allCases)
    func duplicateScheduledTick(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun(runID: "scheduled-1", type: .scheduled)
            await #expect(throws: StoreError(.duplicateRun("scheduled-2"))) {
                try await store.seedRun(runID: "scheduled-2", type: .scheduled)
            }
            // Rolled back as a whole: no run, no orphan instances.
            #expect(try await store.run("scheduled-2") == nil)
            #expect(try await store.taskInstances(runID: "scheduled-2").isEmpty)
            // The same tick of another DAG, and another tick of this one, are fine.
            try await store.seedRun(F.singleTaskDAG, runID: "single-scheduled", type: .scheduled)
            try await store.seedRun(runID: "scheduled-3", logicalDate: F.at(3600), type: .scheduled)
            #expect(try await store.runs().count == 3)
        }
    }

    @Test("Manual runs may share a logical date with each other and with a scheduled run", arguments: StoreKind.allCases)
    func manualRunsShareLogicalDate(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun(runID: "scheduled", type: .scheduled)
            try await store.seedRun(runID: "manual-1", type: .manual)
            try await store.seedRun(runID: "manual-2", type: .manual)
            #expect(Set(try await store.runs().map(\.runID)) == ["scheduled", "manual-1", "manual-2"])
            #expect(try await store.taskInstances(runID: "manual-2").count == 3)
        }
    }

    // MARK: - schedule

    @Test("schedule applies the plan and returns only the instances it queued", arguments: StoreKind.allCases)
    func scheduleAppliesPlan(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let run = try await store.seedRun()
            try await store.seedRun(F.singleTaskDAG, runID: "paused-run")
            try await store.setPaused("single", true, structure: DAGStructure(F.singleTaskDAG), actor: "ops", now: F.t0)
            let seen = Locked<SchedulingSnapshot?>(nil)
            let queued = try await store.schedule(now: F.at(10)) { snapshot in
                seen.withLock { $0 = snapshot }
                let ids = Dictionary(
                    uniqueKeysWithValues: snapshot.instances.filter { $0.runID == "run-1" }.map { ($0.taskID, $0.id!) })
                return PassPlan(
                    runChanges: [.init(runPK: run.id!, state: .running)],
                    instanceChanges: [
                        .init(instanceID: ids["extract"]!, state: .queued),
                        .init(instanceID: ids["load"]!, state: .skipped, note: "branch not taken"),
                        .init(instanceID: ids["report"]!, state: .upstreamFailed, note: "upstream failed"),
                    ])
            }

            let snapshot = try #require(seen.withLock { $0 })
            #expect(snapshot.activeRuns.map(\.runID) == ["run-1", "paused-run"])
            #expect(snapshot.instances.count == 4)
            #expect(snapshot.pausedDAGs == ["single"])

            #expect(queued.map(\.taskID) == ["extract"])
            #expect(queued.first?.state == .queued)
            #expect(queued.first?.queuedAt == F.at(10))

            let after = try #require(try await store.run("run-1"))
            #expect(after.state == .running)
            #expect(after.startDate == F.at(10))
            let instances = try await store.taskInstances(runID: "run-1")
            #expect(instances.map(\.state) == [.queued, .skipped, .upstreamFailed])
            #expect(instances.map(\.note) == [nil, "branch not taken", "upstream failed"])
            #expect(instances.map(\.endDate) == [nil, F.at(10), F.at(10)])
            #expect(try await store.taskInstances(runID: "paused-run").map(\.state) == [.scheduled])
        }
    }

    @Test("Queueing an instance that is not scheduled or up_for_retry is ignored", arguments: StoreKind.allCases)
    func scheduleDoesNotRequeue(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(1))  // running
            try await store.queue("run-1", ["load"], now: F.at(2))  // queued
            let report = try await store.instance("run-1", "report")
            _ = try await store.schedule(now: F.at(3)) { _ in
                PassPlan(instanceChanges: [.init(instanceID: report.id!, state: .success)])
            }
            let before = try await store.taskInstances(runID: "run-1")

            let queued = try await store.queue("run-1", ["extract", "load", "report"], now: F.at(20))
            #expect(queued.isEmpty)
            #expect(try await store.taskInstances(runID: "run-1") == before)
            #expect(before.map(\.state) == [.running, .queued, .success])
        }
    }

    @Test("Finished runs leave the snapshot; run changes set start and end dates", arguments: StoreKind.allCases)
    func scheduleRunChanges(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let first = try await store.seedRun(runID: "first")
            let second = try await store.seedRun(runID: "second", logicalDate: F.at(60))
            _ = try await store.schedule(now: F.at(10)) { _ in
                PassPlan(runChanges: [.init(runPK: first.id!, state: .running), .init(runPK: second.id!, state: .running)])
            }
            // A second `running` change keeps the first start date.
            _ = try await store.schedule(now: F.at(20)) { _ in
                PassPlan(runChanges: [.init(runPK: first.id!, state: .success), .init(runPK: second.id!, state: .running)])
            }
            let done = try #require(try await store.run("first"))
            #expect(done.state == .success)
            #expect(done.startDate == F.at(10))
            #expect(done.endDate == F.at(20))
            #expect(done.duration(now: F.at(1000)) == 10)
            #expect(try await store.run("second")?.startDate == F.at(10))

            let seen = Locked<[String]>([])
            _ = try await store.schedule(now: F.at(30)) { snapshot in
                seen.withLock { $0 = snapshot.activeRuns.map(\.runID) + snapshot.instances.map(\.runID) }
                return PassPlan()
            }
            #expect(seen.withLock { $0 } == ["second", "second", "second", "second"])
        }
    }

    // MARK: - Tries

    @Test("startTry on a queued instance starts try 1 with its log path", arguments: StoreKind.allCases)
    func startTryOnQueued(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            let queued = try #require(try await store.queue("run-1", ["extract"], now: F.at(10)).first)
            let attempt = try #require(
                try await store.startTry(instanceID: queued.id!, host: "worker-1", logPath: F.logPath, now: F.at(20)))
            #expect(attempt.id != nil)
            #expect(attempt.dagID == "two_tasks" && attempt.runID == "run-1" && attempt.taskID == "extract")
            #expect(attempt.tryNumber == 1)
            #expect(attempt.state == .running)
            #expect(attempt.host == "worker-1")
            #expect(attempt.startDate == F.at(20))
            #expect(attempt.logPath == "/logs/two_tasks/run-1/extract/try-1.log")
            #expect(attempt.endDate == nil && attempt.exitStatus == nil && attempt.error == nil)

            let instance = try await store.instance("run-1", "extract")
            #expect(instance.state == .running)
            #expect(instance.tryNumber == 1)
            #expect(instance.startDate == F.at(20))
            #expect(instance.host == "worker-1")
            #expect(try await store.tryRecord(runID: "run-1", taskID: "extract", tryNumber: 1) == attempt)
            #expect(try await store.tries(runID: "run-1") == [attempt])
            #expect(try await store.runningInstances().map(\.id) == [queued.id])
        }
    }

    @Test("startTry on an instance that is not queued returns nil and changes nothing", arguments: StoreKind.allCases)
    func startTryOnNonQueued(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            let scheduled = try await store.instance("run-1", "load")
            #expect(try await store.startTry(instanceID: scheduled.id!, host: "h", logPath: F.logPath, now: F.at(1)) == nil)
            #expect(try await store.instance("run-1", "load") == scheduled)

            let running = try await store.startRunningTry("run-1", "extract", now: F.at(2))
            let instance = try await store.instance("run-1", "extract")
            // Claimed already: a second start (another scheduler, a retried launch) gets nothing.
            #expect(try await store.startTry(instanceID: instance.id!, host: "h", logPath: F.logPath, now: F.at(3)) == nil)
            #expect(try await store.instance("run-1", "extract") == instance)
            #expect(try await store.tries(runID: "run-1") == [running])
            #expect(try await store.startTry(instanceID: 9_999, host: "h", logPath: F.logPath, now: F.at(4)) == nil)
        }
    }

    @Test("recordProcess sets pid, pgid and process start on the try and its instance", arguments: StoreKind.allCases)
    func recordProcess(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract")
            try await store.recordProcess(runID: "run-1", taskID: "extract", tryNumber: 1, pid: 4242, pgid: 4240, procStart: 987_654)

            let attempt = try #require(try await store.tryRecord(runID: "run-1", taskID: "extract", tryNumber: 1))
            #expect(attempt.pid == 4242 && attempt.pgid == 4240 && attempt.procStart == 987_654)
            let instance = try await store.instance("run-1", "extract")
            #expect(instance.pid == 4242 && instance.pgid == 4240 && instance.procStart == 987_654)

            // A stale try number does not overwrite the current instance's process.
            try await store.recordProcess(runID: "run-1", taskID: "extract", tryNumber: 7, pid: 1, pgid: 1, procStart: nil)
            #expect(try await store.instance("run-1", "extract") == instance)
        }
    }

    @Test("finishTry applies the observed outcome when the child recorded nothing", arguments: StoreKind.allCases)
    func finishTryAppliesObserved(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(20))
            try await store.recordProcess(runID: "run-1", taskID: "extract", tryNumber: 1, pid: 11, pgid: 11, procStart: 5)
            let decided = Locked<(TryOutcome, TaskInstanceRecord)?>(nil)
            let applied = try #require(
                try await store.finishTry(
                    runID: "run-1", taskID: "extract", tryNumber: 1, observed: .failed(exitStatus: 3, error: "exit 3"), exitStatus: 3,
                    now: F.at(50)
                ) { outcome, instance in
                    decided.withLock { $0 = (outcome, instance) }
                    return .markFailed
                })
            #expect(applied.0 == .failed(exitStatus: 3, error: "exit 3"))
            #expect(applied.1 == .markFailed)
            let (seenOutcome, seenInstance) = try #require(decided.withLock { $0 })
            #expect(seenOutcome == applied.0)
            #expect(seenInstance.state == .running && seenInstance.tryNumber == 1 && seenInstance.maxTries == 3)

            let attempt = try #require(try await store.tryRecord(runID: "run-1", taskID: "extract", tryNumber: 1))
            #expect(attempt.state == .failed)
            #expect(attempt.endDate == F.at(50))
            #expect(attempt.durationSeconds == 30)
            #expect(attempt.exitStatus == 3)
            #expect(attempt.error == "exit 3")
            let instance = try await store.instance("run-1", "extract")
            #expect(instance.state == .failed)
            #expect(instance.endDate == F.at(50))
            #expect(instance.note == "exit 3")
            #expect(instance.pid == nil && instance.pgid == nil && instance.procStart == nil)
            #expect(try await store.runningInstances().isEmpty)
        }
    }

    @Test("The outcome the child recorded wins over what the supervisor observed", arguments: StoreKind.allCases)
    func recordedOutcomeWins(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(20))
            _ = try await store.startRunningTry("run-1", "report", now: F.at(20))
            try await store.recordOutcome(runID: "run-1", taskID: "extract", tryNumber: 1, outcome: .success, exitStatus: 0, now: F.at(40))
            try await store.recordOutcome(
                runID: "run-1", taskID: "report", tryNumber: 1, outcome: .failed(exitStatus: 2, error: "boom"), exitStatus: 2, now: F.at(45))

            let extract = try #require(
                try await store.finishTry(
                    runID: "run-1", taskID: "extract", tryNumber: 1, observed: .processLost("process lost"), exitStatus: nil,
                    now: F.at(60), decide: Self.decideByOutcome))
            #expect(extract.0 == .success)
            #expect(extract.1 == .markSuccess)
            let report = try #require(
                try await store.finishTry(
                    runID: "run-1", taskID: "report", tryNumber: 1, observed: .success, exitStatus: 0, now: F.at(60),
                    decide: Self.decideByOutcome))
            #expect(report.0 == .failed(exitStatus: 2, error: "boom"))
            #expect(report.1 == .markFailed)

            // The try rows keep the child's account (end date, duration, status, error).
            let tries = try await store.tries(runID: "run-1")
            #expect(tries.map(\.taskID) == ["extract", "report"])
            #expect(tries.map(\.state) == [.success, .failed])
            #expect(tries.map(\.endDate) == [F.at(40), F.at(45)])
            #expect(tries.map(\.durationSeconds) == [20, 25])
            #expect(tries.map(\.exitStatus) == [0, 2])
            #expect(tries.map(\.error) == [nil, "boom"])
            let instances = try await store.taskInstances(runID: "run-1")
            #expect(instances.map(\.state) == [.success, .scheduled, .failed])
            #expect(instances.map(\.note) == [nil, nil, "boom"])
            #expect(instances[0].endDate == F.at(60))
        }
    }

    @Test("A second finishTry for the same try is a no-op", arguments: StoreKind.allCases)
    func finishTryTwice(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(20))
            let first = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .success, exitStatus: 0, now: F.at(30),
                decide: Self.decideByOutcome)
            #expect(first?.1 == .markSuccess)
            let instance = try await store.instance("run-1", "extract")
            let tries = try await store.tries(runID: "run-1")

            let decideCalls = Locked(0)
            let second = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .timedOut(after: 5), exitStatus: 137, now: F.at(40)
            ) { _, _ in
                decideCalls.withLock { $0 += 1 }
                return .markFailed
            }
            #expect(second == nil)
            #expect(decideCalls.withLock { $0 } == 0)
            #expect(try await store.instance("run-1", "extract") == instance)
            #expect(try await store.tries(runID: "run-1") == tries)
        }
    }

    @Test("finishTry for a try number that is not current is a no-op", arguments: StoreKind.allCases)
    func finishStaleTry(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(20))
            let stale = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 2, observed: .success, exitStatus: 0, now: F.at(30),
                decide: Self.decideByOutcome)
            #expect(stale == nil)
            #expect(try await store.instance("run-1", "extract").state == .running)
            #expect(try await store.tryRecord(runID: "run-1", taskID: "extract", tryNumber: 1)?.state == .running)

            // Try 1 fails and is retried; a late finish for try 1 must not end try 2.
            try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .failed(exitStatus: 1, error: "exit 1"), exitStatus: 1,
                now: F.at(40)
            ) { _, _ in .scheduleRetry(at: F.at(45)) }
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(50))
            let late = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .success, exitStatus: 0, now: F.at(60),
                decide: Self.decideByOutcome)
            #expect(late == nil)
            let instance = try await store.instance("run-1", "extract")
            #expect(instance.state == .running && instance.tryNumber == 2)
            #expect(try await store.tryRecord(runID: "run-1", taskID: "extract", tryNumber: 2)?.state == .running)
        }
    }

    @Test("scheduleRetry sets up_for_retry, the next try time and a note; the retry is try 2", arguments: StoreKind.allCases)
    func scheduleRetry(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "extract", now: F.at(20))
            try await store.recordProcess(runID: "run-1", taskID: "extract", tryNumber: 1, pid: 11, pgid: 11, procStart: 5)
            let applied = try await store.finishTry(
                runID: "run-1", taskID: "extract", tryNumber: 1, observed: .failed(exitStatus: 1, error: "exit 1"), exitStatus: 1,
                now: F.at(30)
            ) { _, _ in .scheduleRetry(at: F.at(90)) }
            #expect(applied?.1 == .scheduleRetry(at: F.at(90)))

            let waiting = try await store.instance("run-1", "extract")
            #expect(waiting.state == .upForRetry)
            #expect(waiting.nextTryAt == F.at(90))
            #expect(waiting.note == "exit 1")
            #expect(waiting.tryNumber == 1)
            #expect(waiting.pid == nil)
            #expect(try await store.runningInstances().isEmpty)

            // up_for_retry is queueable; the next start is try 2 and clears the retry bookkeeping.
            let queued = try await store.queue("run-1", ["extract"], now: F.at(90))
            #expect(queued.map(\.taskID) == ["extract"])
            let second = try await store.startRunningTry("run-1", "extract", now: F.at(95))
            #expect(second.tryNumber == 2)
            #expect(second.logPath == "/logs/two_tasks/run-1/extract/try-2.log")
            let running = try await store.instance("run-1", "extract")
            #expect(running.state == .running && running.nextTryAt == nil && running.note == nil)
            #expect(try await store.tries(runID: "run-1", taskID: "extract").map(\.tryNumber) == [1, 2])
        }
    }

    @Test("markFailed after a timeout notes 'timed out after 5 s' and records the end", arguments: StoreKind.allCases)
    func markFailedAfterTimeout(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            _ = try await store.startRunningTry("run-1", "load", now: F.at(20))
            let applied = try await store.finishTry(
                runID: "run-1", taskID: "load", tryNumber: 1, observed: .timedOut(after: 5), exitStatus: 137, now: F.at(25),
                decide: Self.decideByOutcome)
            #expect(applied?.0 == .timedOut(after: 5))
            #expect(applied?.1 == .markFailed)
            let instance = try await store.instance("run-1", "load")
            #expect(instance.state == .failed)
            #expect(instance.note == "timed out after 5 s")
            #expect(instance.endDate == F.at(25))
            let attempt = try #require(try await store.tryRecord(runID: "run-1", taskID: "load", tryNumber: 1))
            #expect(attempt.state == .failed)
            #expect(attempt.error == "timed out after 5 s")
            #expect(attempt.exitStatus == 137)
            #expect(attempt.endDate == F.at(25))
            #expect(attempt.durationSeconds == 5)

            // The killed child's late account of the try does not rewrite it.
            try await store.recordOutcome(runID: "run-1", taskID: "load", tryNumber: 1, outcome: .success, exitStatus: 0, now: F.at(26))
            #expect(try await store.tryRecord(runID: "run-1", taskID: "load", tryNumber: 1) == attempt)
            #expect(try await store.instance("run-1", "load") == instance)
        }
    }

    @Test("TryOutcome error texts")
    func tryOutcomeErrorText() {
        #expect(TryOutcome.success.errorText == nil)
        #expect(TryOutcome.failed(exitStatus: 1, error: "exit 1").errorText == "exit 1")
        #expect(TryOutcome.timedOut(after: 5).errorText == "timed out after 5 s")
        #expect(TryOutcome.timedOut(after: 2.5).errorText == "timed out after 2.5 s")
        #expect(TryOutcome.processLost("process lost").errorText == "process lost")
    }

    // MARK: - clear

    @Test("clear resets the chosen instances with a fresh budget and reopens the run", arguments: StoreKind.allCases)
    func clearChosen(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let run = try await store.seedRun()
            try await store.finishRunning("extract", outcome: .success, at: F.at(10))
            try await store.finishRunning("load", outcome: .failed(exitStatus: 1, error: "exit 1"), at: F.at(20))
            _ = try await store.schedule(now: F.at(30)) { _ in PassPlan(runChanges: [.init(runPK: run.id!, state: .failed)]) }
            #expect(try await store.run("run-1")?.endDate == F.at(30))

            let cleared = try await store.clear(runID: "run-1", taskIDs: ["load"], maxTries: ["load": 2], actor: "alice", now: F.at(100))
            #expect(cleared == ["load"])
            let load = try await store.instance("run-1", "load")
            #expect(load.state == .scheduled)
            #expect(load.tryNumber == 1)
            #expect(load.maxTries == 3)
            #expect(load.note == nil && load.endDate == nil && load.startDate == nil && load.queuedAt == nil && load.nextTryAt == nil)
            #expect(try await store.instance("run-1", "extract").state == .success)
            #expect(try await store.instance("run-1", "report").state == .scheduled)

            let reopened = try #require(try await store.run("run-1"))
            #expect(reopened.state == .running)
            #expect(reopened.endDate == nil)
            let event = try #require(try await store.events().first)
            #expect(event.kind == "clear")
            #expect(event.actor == "alice")
            #expect(event.runID == "run-1" && event.dagID == "two_tasks")
            #expect(event.detail == "load")
            #expect(event.at == F.at(100))

            // A cleared instance runs again as its next try.
            let again = try await store.startRunningTry("run-1", "load", now: F.at(110))
            #expect(again.tryNumber == 2)
        }
    }

    @Test("clear with no task ids clears every instance, one more try by default", arguments: StoreKind.allCases)
    func clearAll(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            try await store.finishRunning("extract", outcome: .success, at: F.at(10))
            let cleared = try await store.clear(runID: "run-1", taskIDs: nil, maxTries: ["report": 4], actor: "bob", now: F.at(50))
            #expect(cleared == ["extract", "load", "report"])
            let instances = try await store.taskInstances(runID: "run-1")
            #expect(instances.allSatisfy { $0.state == .scheduled })
            #expect(instances.map(\.maxTries) == [2, 1, 4])
            #expect(try await store.events().first?.detail == "extract,load,report")
        }
    }

    @Test("clear of an unknown run or task throws", arguments: StoreKind.allCases)
    func clearUnknown(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            await #expect(throws: StoreError(.unknownRun("nope"))) {
                try await store.clear(runID: "nope", taskIDs: nil, maxTries: [:], actor: "a", now: F.t0)
            }
            await #expect(throws: StoreError(.unknownTask(run: "run-1", task: "ghost"))) {
                try await store.clear(runID: "run-1", taskIDs: ["load", "ghost"], maxTries: [:], actor: "a", now: F.t0)
            }
            #expect(try await store.events().map(\.kind) == ["run_created"])
        }
    }

    @Test("clear refuses a running (or queued) instance and changes nothing", arguments: [TaskState.running, .queued], StoreKind.allCases)
    func clearBusy(_ busyState: TaskState, _ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            try await store.finishRunning("load", outcome: .failed(exitStatus: 1, error: "exit 1"), at: F.at(10))
            if busyState == .running {
                _ = try await store.startRunningTry("run-1", "extract", now: F.at(20))
            } else {
                try await store.queue("run-1", ["extract"], now: F.at(20))
            }
            let instances = try await store.taskInstances(runID: "run-1")
            let run = try await store.run("run-1")
            let events = try await store.events()

            await #expect(throws: StoreError(.taskRunning(run: "run-1", task: "extract"))) {
                try await store.clear(runID: "run-1", taskIDs: ["load", "extract"], maxTries: [:], actor: "a", now: F.at(30))
            }
            #expect(try await store.taskInstances(runID: "run-1") == instances)
            #expect(try await store.run("run-1") == run)
            #expect(try await store.events() == events)
        }
    }

    // MARK: - Queries and housekeeping

    @Test("resetQueued puts queued instances back to scheduled", arguments: StoreKind.allCases)
    func resetQueued(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.seedRun()
            try await store.seedRun(runID: "run-2", logicalDate: F.at(60))
            try await store.queue("run-1", ["extract", "report"], now: F.at(5))
            try await store.queue("run-2", ["load"], now: F.at(5))
            _ = try await store.startRunningTry("run-2", "extract", now: F.at(6))

            #expect(try await store.resetQueued() == 3)
            let first = try await store.taskInstances(runID: "run-1")
            #expect(first.map(\.state) == [.scheduled, .scheduled, .scheduled])
            #expect(first.allSatisfy { $0.queuedAt == nil })
            #expect(try await store.taskInstances(runID: "run-2").map(\.state) == [.running, .scheduled, .scheduled])
            #expect(try await store.resetQueued() == 0)
        }
    }

    @Test("runningInstances lists the running instances of every run", arguments: StoreKind.allCases)
    func runningInstances(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            #expect(try await store.runningInstances().isEmpty)
            try await store.seedRun()
            try await store.seedRun(F.singleTaskDAG, runID: "run-2")
            _ = try await store.startRunningTry("run-1", "report")
            _ = try await store.startRunningTry("run-2", "only")
            try await store.queue("run-1", ["extract"])
            let running = try await store.runningInstances()
            #expect(Set(running.map { "\($0.runID)/\($0.taskID)" }) == ["run-1/report", "run-2/only"])
            #expect(running.allSatisfy { $0.state == .running })

            try await store.finishTry(
                runID: "run-2", taskID: "only", tryNumber: 1, observed: .success, exitStatus: 0, now: F.at(5),
                decide: Self.decideByOutcome)
            #expect(try await store.runningInstances().map(\.taskID) == ["report"])
        }
    }

    @Test("runs orders by logical date (newest first) then id, and filters by DAG and state", arguments: StoreKind.allCases)
    func runsOrderingAndFilters(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let middle = try await store.seedRun(runID: "middle", logicalDate: F.at(3600), type: .scheduled)
            try await store.seedRun(runID: "oldest", logicalDate: F.t0, type: .scheduled)
            try await store.seedRun(runID: "newest", logicalDate: F.at(7200), type: .scheduled)
            try await store.seedRun(runID: "manual-a", logicalDate: F.at(3600))
            try await store.seedRun(runID: "manual-b", logicalDate: F.at(3600))
            try await store.seedRun(F.singleTaskDAG, runID: "single", logicalDate: F.at(5000))
            _ = try await store.schedule(now: F.at(1)) { _ in PassPlan(runChanges: [.init(runPK: middle.id!, state: .running)]) }

            #expect(try await store.runs().map(\.runID) == ["newest", "single", "manual-b", "manual-a", "middle", "oldest"])
            #expect(try await store.runs(dagID: "two_tasks").map(\.runID) == ["newest", "manual-b", "manual-a", "middle", "oldest"])
            #expect(try await store.runs(dagID: "single").map(\.runID) == ["single"])
            #expect(try await store.runs(dagID: "missing").isEmpty)
            #expect(try await store.runs(state: .running).map(\.runID) == ["middle"])
            #expect(try await store.runs(dagID: "single", state: .running).isEmpty)
            #expect(try await store.runs(dagID: "two_tasks", state: .queued).map(\.runID) == ["newest", "manual-b", "manual-a", "oldest"])
            #expect(try await store.runs(limit: 2).map(\.runID) == ["newest", "single"])
            #expect(try await store.runs(limit: 2, offset: 2).map(\.runID) == ["manual-b", "manual-a"])
        }
    }

    @Test("lastScheduledLogicalDate is the latest scheduled tick and ignores manual runs", arguments: StoreKind.allCases)
    func lastScheduledLogicalDate(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            #expect(try await store.lastScheduledLogicalDate(of: "two_tasks") == nil)
            try await store.seedRun(runID: "manual-only", logicalDate: F.at(1_000_000))
            #expect(try await store.lastScheduledLogicalDate(of: "two_tasks") == nil)
            try await store.seedRun(runID: "tick-2", logicalDate: F.at(7200), type: .scheduled)
            try await store.seedRun(runID: "tick-1", logicalDate: F.at(3600), type: .scheduled)
            try await store.seedRun(F.singleTaskDAG, runID: "other-dag", logicalDate: F.at(999_999), type: .scheduled)
            #expect(try await store.lastScheduledLogicalDate(of: "two_tasks") == F.at(7200))
            #expect(try await store.lastScheduledLogicalDate(of: "single") == F.at(999_999))
        }
    }

    @Test("XCom values are replaced per (run, task, key) and listed by task then key", arguments: StoreKind.allCases)
    func xcomRoundTrip(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            #expect(try await store.pullXCom(runID: "run-1", taskID: "extract", key: "rows") == nil)
            try await store.pushXCom(dagID: "d", runID: "run-1", taskID: "extract", key: "rows", json: "42", now: F.t0)
            #expect(try await store.pullXCom(runID: "run-1", taskID: "extract", key: "rows") == "42")
            try await store.pushXCom(dagID: "d", runID: "run-1", taskID: "extract", key: "rows", json: #"{"n":43}"#, now: F.at(1))
            #expect(try await store.pullXCom(runID: "run-1", taskID: "extract", key: "rows") == #"{"n":43}"#)
            try await store.pushXCom(dagID: "d", runID: "run-1", taskID: "load", key: "b", json: "true", now: F.at(2))
            try await store.pushXCom(dagID: "d", runID: "run-1", taskID: "extract", key: "a", json: #""x""#, now: F.at(3))
            try await store.pushXCom(dagID: "d", runID: "run-2", taskID: "extract", key: "rows", json: "1", now: F.at(4))

            #expect(try await store.pullXCom(runID: "run-1", taskID: "load", key: "rows") == nil)
            #expect(try await store.pullXCom(runID: "run-2", taskID: "extract", key: "rows") == "1")
            let all = try await store.xcoms(runID: "run-1")
            #expect(all.map { "\($0.taskID).\($0.key)=\($0.json)" } == [#"extract.a="x""#, #"extract.rows={"n":43}"#, "load.b=true"])
            #expect(try await store.xcoms(runID: "run-3").isEmpty)
        }
    }

    @Test("Metrics come back per run, ordered by task, name and step", arguments: StoreKind.allCases)
    func metricsRoundTrip(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            func point(_ run: String, _ task: String, _ name: String, _ step: Int, _ value: Double) -> TaskMetricRecord {
                TaskMetricRecord(
                    dagID: "d", runID: run, taskID: task, tryNumber: 1, name: name, step: step, value: value, recordedAt: Double(step))
            }
            let points = [
                point("run-1", "train", "loss", 2, 0.5), point("run-1", "train", "loss", 0, 2.0), point("run-1", "eval", "loss", 0, 1.5),
                point("run-1", "train", "acc", 1, 0.7), point("run-1", "train", "loss", 1, 1.0), point("run-2", "train", "loss", 0, 9),
            ]
            for metric in points { try await store.recordMetric(metric) }
            let fetched = try await store.metrics(runID: "run-1")
            #expect(fetched.map { "\($0.taskID)/\($0.name)/\($0.step)" } == [
                "eval/loss/0", "train/acc/1", "train/loss/0", "train/loss/1", "train/loss/2",
            ])
            #expect(fetched.last == points[0])
            #expect(try await store.metrics(runID: "run-2") == [points[5]])
            #expect(try await store.metrics(runID: "run-9").isEmpty)
        }
    }

    @Test("The scheduler heartbeat is one row, replaced on each beat", arguments: StoreKind.allCases)
    func heartbeatRoundTrip(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            #expect(try await store.lastHeartbeat() == nil)
            try await store.heartbeat(pid: 123, host: "h1", startedAt: F.t0, now: F.at(1))
            let first = try #require(try await store.lastHeartbeat())
            #expect(first.pid == 123 && first.at == F.at(1))
            try await store.heartbeat(pid: 456, host: "h2", startedAt: F.at(10), now: F.at(12))
            let second = try #require(try await store.lastHeartbeat())
            #expect(second.pid == 456 && second.at == F.at(12))
            let rows = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scheduler_heartbeat") }
            #expect(rows == 1)
        }
    }

    @Test("setPaused flips a registered DAG and records pause/unpause events", arguments: StoreKind.allCases)
    func setPausedRegistered(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            try await store.register(try F.bag([F.twoTaskDAG]), now: F.t0)
            let structure = DAGStructure(F.twoTaskDAG)
            try await store.setPaused("two_tasks", true, structure: structure, actor: "alice", now: F.at(10))
            #expect(try await store.dagRecords().map(\.paused) == [true])
            try await store.setPaused("two_tasks", false, structure: structure, actor: "bob", now: F.at(20))
            let record = try #require(try await store.dagRecords().first)
            #expect(!record.paused)
            #expect(record.registeredAt == F.t0)
            let events = try await store.events()
            #expect(events.map(\.kind) == ["unpause", "pause"])
            #expect(events.map(\.actor) == ["bob", "alice"])
            #expect(events.allSatisfy { $0.dagID == "two_tasks" && $0.runID == nil })
            #expect(try await store.events(limit: 1).map(\.kind) == ["unpause"])
        }
    }

    @Test("setPaused on a DAG not registered yet inserts it paused, and registering keeps it paused", arguments: StoreKind.allCases)
    func setPausedUnregistered(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let structure = DAGStructure(F.singleTaskDAG)
            try await store.setPaused("single", true, structure: structure, actor: "cli", now: F.at(5))
            let record = try #require(try await store.dagRecords().first)
            #expect(record.dagID == "single")
            #expect(record.paused)
            #expect(record.fingerprint == structure.fingerprint)
            #expect(record.structure == structure.json)
            #expect(record.registeredAt == F.at(5))
            #expect(try await store.events().map(\.kind) == ["pause"])

            try await store.register(try F.bag([F.singleTaskDAG]), now: F.at(50))
            #expect(try await store.dagRecords() == [record])
        }
    }

    // MARK: - Schema

    @Test("The schema has DESIGN.md's tables", arguments: StoreKind.allCases)
    func schemaTables(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let tables = try await store.writer.read { db in
                try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            let designed: Set = [
                "dags", "dag_runs", "task_instances", "task_tries", "xcom", "task_metrics", "events", "archive", "archive_batches",
                "task_attachments", "variables", "dashboard_sessions", "dashboard_users", "asset_events", "asset_cursors", "asset_event_runs",
            ]
            #expect(designed.isSubset(of: tables), "missing: \(designed.subtracting(tables).sorted())")
            let runColumns = try await store.writer.read { db in try Set(db.columns(in: "dag_runs").map(\.name)) }
            #expect(
                runColumns.isSuperset(of: [
                    "dag_id", "run_id", "logical_date", "interval_start", "interval_end", "state", "conf", "run_type", "queued_at",
                    "start_date", "end_date",
                ]))
            let applied = try await store.writer.read { db in try Migrations.migrator.appliedMigrations(db) }
            #expect(applied == ["v1_initial", "v2_archive", "v3_dashboard", "v4_run_definitions", "v5_dashboard_users", "v6_run_note", "v7_notifications", "v8_assets"])
        }
    }

    // MARK: - StoreError

    @Test("StoreError descriptions", arguments: [
        (StoreError.Kind.unknownRun("r1"), "unknown run id 'r1'"),
        (.duplicateRun("r2"), "a run 'r2' already exists"),
        (.unknownTask(run: "r3", task: "t"), "run 'r3' has no task 't'"),
        (.taskRunning(run: "r4", task: "t"), "task 't' of run 'r4' is running; wait for it to finish"),
        (.cannotOpen(path: "/x/y.db", reason: "unable to open database file"), "cannot open the store at /x/y.db: unable to open database file"),
    ])
    func storeErrorDescription(_ kind: StoreError.Kind, _ text: String) {
        #expect(StoreError(kind).description == text)
        #expect("\(StoreError(kind))" == text)
        #expect(StoreError(kind).kind == kind)
    }

    // MARK: - Helpers

    /// Success marks success; anything else fails the task.
    static let decideByOutcome: @Sendable (TryOutcome, TaskInstanceRecord) -> TryAction = { outcome, _ in
        outcome == .success ? .markSuccess : .markFailed
    }
}

extension StateStore {
    /// Runs one try of `taskID` in `run-1` to the end with `outcome` (success marks success, anything else fails).
    func finishRunning(_ taskID: String, outcome: TryOutcome, at date: Date) async throws {
        _ = try await startRunningTry("run-1", taskID, now: date)
        try await finishTry(
            runID: "run-1", taskID: taskID, tryNumber: 1, observed: outcome, exitStatus: outcome == .success ? 0 : 1, now: date,
            decide: StateStoreTests.decideByOutcome)
    }
}
