public import Foundation
public import GRDB
public import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// Run state in SQLite: a WAL `DatabasePool` with a busy timeout for a home directory, or an in-memory database for
/// `tasks test` and tests. The scheduler, the CLI and the dashboard may all write at once: every write is one
/// `BEGIN IMMEDIATE` transaction and waits for the lock instead of failing.
public final class StateStore: Sendable {
    /// The database (a pool for files, a queue in memory).
    public let writer: any DatabaseWriter

    /// Opens (creating and migrating) the store at `path`.
    /// - Parameter singleConnection: one connection instead of a pool of readers and a writer: cheaper to open, for
    ///   short-lived processes (CLI commands, task tries). The file stays in WAL mode either way.
    /// - Throws: ``StoreError`` naming the path when SQLite cannot open it.
    public init(path: String, busyTimeout: TimeInterval = 60, singleConnection: Bool = false) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // Opening can meet SQLITE_BUSY outside the busy handler's reach (switching a new file to WAL, migrating while
        // another process does): retry with a short backoff within the busy timeout.
        let deadline = Date().addingTimeInterval(busyTimeout)
        let schemaDeadline = Date().addingTimeInterval(min(busyTimeout, 5))
        var pause: UInt32 = 5_000
        while true {
            do {
                let pool: any DatabaseWriter
                if singleConnection, FileManager.default.fileExists(atPath: path) {
                    pool = try DatabaseQueue(path: path, configuration: configuration)
                } else {
                    pool = try DatabasePool(path: path, configuration: configuration)
                }
                // Checking first keeps every task process from taking the write lock just to learn there is nothing to do.
                if try !pool.read(Migrations.migrator.hasCompletedMigrations) { try Migrations.migrator.migrate(pool) }
                writer = pool
                return
            } catch let error as DatabaseError
                where Self.isTransientOpenError(error)
                && Date() < ([.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) ? deadline : schemaDeadline)
            {
                usleep(pause)
                pause = min(pause * 2, 200_000)
            } catch let error as DatabaseError {
                // Another process may have migrated between the migrator's check and its transaction: then the schema
                // is complete and the failure ("table dags already exists") is not one.
                if let pool = try? DatabasePool(path: path, configuration: configuration),
                    (try? pool.read(Migrations.migrator.hasCompletedMigrations)) == true
                {
                    writer = pool
                    return
                }
                throw StoreError(.cannotOpen(path: path, reason: error.message ?? "\(error)"))
            }
        }
    }

    /// Errors another process causes while it creates or migrates the same file: the lock is held, or the schema
    /// changed under this connection ("no such table: grdb_migrations", "table dags already exists").
    private static func isTransientOpenError(_ error: DatabaseError) -> Bool {
        [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_ERROR, .SQLITE_SCHEMA].contains(error.resultCode)
    }

    /// A private in-memory store (same schema, same code paths).
    public init() throws {
        writer = try DatabaseQueue()
        try Migrations.migrator.migrate(writer)
    }

    // MARK: DAGs

    /// Records the DAGs a process knows: new ones are inserted unpaused, changed ones get their new structure.
    public func register(_ bag: DAGBag, now: Date) async throws {
        let rows = bag.ids.map { id -> (String, DAGStructure) in (id, DAGStructure(bag[id]!)) }
        try await writer.write { db in
            for (id, structure) in rows {
                let fingerprint = structure.fingerprint
                if var existing = try DAGRecord.fetchOne(db, key: id) {
                    guard existing.fingerprint != fingerprint else { continue }
                    // Every unfinished run of the DAG says when its definition changed under it, and how.
                    let change = DAGStructure.describeChange(from: existing.structure, to: structure)
                    for runID in try String.fetchAll(
                        db, sql: "SELECT run_id FROM dag_runs WHERE dag_id = ? AND state IN ('queued', 'running')", arguments: [id])
                    {
                        var event = EventRecord(
                            at: now, dagID: id, runID: runID, taskID: nil, kind: "definition_changed", actor: "scheduler",
                            detail: "\(existing.fingerprint) → \(fingerprint)" + (change.isEmpty ? "" : ": \(change)"))
                        try event.insert(db)
                    }
                    existing.fingerprint = fingerprint
                    existing.structure = structure.json
                    existing.updatedAt = now
                    try existing.update(db)
                } else {
                    try DAGRecord(
                        dagID: id, paused: false, fingerprint: fingerprint, structure: structure.json, registeredAt: now,
                        updatedAt: now
                    ).insert(db)
                }
            }
        }
    }

    /// One DAG's row, if it has been registered.
    public func dagRecord(_ dagID: String) async throws -> DAGRecord? {
        try await writer.read { db in try DAGRecord.fetchOne(db, key: dagID) }
    }

    /// Every registered DAG row.
    public func dagRecords() async throws -> [DAGRecord] {
        try await writer.read { db in try DAGRecord.order(Column("dag_id")).fetchAll(db) }
    }

    /// Pauses or unpauses a DAG (an unknown id is registered lazily by the scheduler, so it is inserted here too).
    public func setPaused(_ dagID: String, _ paused: Bool, structure: DAGStructure, actor: String, now: Date) async throws {
        try await writer.write { db in
            if var record = try DAGRecord.fetchOne(db, key: dagID) {
                record.paused = paused
                try record.update(db)
            } else {
                try DAGRecord(
                    dagID: dagID, paused: paused, fingerprint: structure.fingerprint, structure: structure.json, registeredAt: now,
                    updatedAt: now
                ).insert(db)
            }
            var event = EventRecord(
                at: now, dagID: dagID, runID: nil, taskID: nil, kind: paused ? "pause" : "unpause", actor: actor, detail: "")
            try event.insert(db)
        }
    }

    // MARK: Runs

    /// A new run with one `scheduled` task instance per task of `dag`.
    /// - Throws: ``StoreError/Kind/duplicateRun(_:)`` when the run id, or a scheduled/backfill run at the same logical
    ///   date, already exists.
    @discardableResult
    public func createRun(
        of dag: DAG, runID: String, logicalDate: Date, interval: DateInterval, type: RunType, conf: [String: JSONValue],
        actor: String, now: Date
    ) async throws -> DAGRunRecord {
        let seed = RunSeed(dag)
        do {
            return try await writer.write { db in
                try Self.insertRun(
                    db, seed: seed, runID: runID, logicalDate: logicalDate, interval: interval, type: type, conf: conf, actor: actor, now: now)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.duplicateRun(runID))
        }
    }

    /// What a new run of a DAG starts with: its tasks' try budgets, pools and weights, and the definition's fingerprint.
    struct RunSeed: Sendable {
        var dagID: String
        var tasks: [(id: String, maxTries: Int, pool: String, weight: Int)]
        var fingerprint: String

        init(_ dag: DAG) {
            dagID = dag.id
            tasks = dag.tasks.map { task in (task.id, dag.retryPolicy(for: task).maxTries, task.pool ?? "default", task.priorityWeight) }
            fingerprint = DAGStructure(dag).fingerprint
        }
    }

    /// Inserts a run with one `scheduled` instance per task and its `run_created` event.
    static func insertRun(
        _ db: Database, seed: RunSeed, runID: String, logicalDate: Date, interval: DateInterval, type: RunType, conf: [String: JSONValue],
        actor: String, now: Date
    ) throws -> DAGRunRecord {
        var run = DAGRunRecord(
            dagID: seed.dagID, runID: runID, logicalDate: logicalDate, intervalStart: interval.start, intervalEnd: interval.end,
            state: .queued, runType: type, conf: JSONValue.object(conf).jsonText, queuedAt: now, fingerprint: seed.fingerprint)
        try run.insert(db)
        for task in seed.tasks {
            var instance = TaskInstanceRecord(
                runPK: run.id!, dagID: seed.dagID, runID: runID, taskID: task.id, state: .scheduled, tryNumber: 0, maxTries: task.maxTries,
                pool: task.pool, priorityWeight: task.weight)
            try instance.insert(db)
        }
        var event = EventRecord(at: now, dagID: seed.dagID, runID: runID, taskID: nil, kind: "run_created", actor: actor, detail: type.rawValue)
        try event.insert(db)
        return run
    }

    /// The run with `runID`, if any.
    public func run(_ runID: String) async throws -> DAGRunRecord? {
        try await writer.read { db in try DAGRunRecord.filter(Column("run_id") == runID).fetchOne(db) }
    }

    /// Runs, newest logical date first, optionally filtered.
    public func runs(dagID: String? = nil, state: RunState? = nil, limit: Int = 100, offset: Int = 0) async throws -> [DAGRunRecord] {
        try await writer.read { db in
            var request = DAGRunRecord.all()
            if let dagID { request = request.filter(Column("dag_id") == dagID) }
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.order(Column("logical_date").desc, Column("id").desc).limit(limit, offset: offset).fetchAll(db)
        }
    }

    /// The latest logical date of a scheduled run of `dagID` (backfills and manual runs do not move the schedule, as in Airflow).
    public func lastScheduledLogicalDate(of dagID: String) async throws -> Date? {
        try await writer.read { db in
            try Double.fetchOne(
                db, sql: "SELECT max(logical_date) FROM dag_runs WHERE dag_id = ? AND run_type = 'scheduled'", arguments: [dagID]
            ).map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// The task instances of a run, in insertion (definition) order.
    public func taskInstances(runID: String) async throws -> [TaskInstanceRecord] {
        try await writer.read { db in
            try TaskInstanceRecord.filter(Column("run_id") == runID).order(Column("id")).fetchAll(db)
        }
    }

    /// The state of `taskID` in the newest run of `dagID` whose logical date is `logicalDate` (an external task sensor's
    /// question), or nil when there is no such run or task.
    public func taskState(dagID: String, taskID: String, logicalDate: Date) async throws -> TaskState? {
        try await writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT task_instances.state FROM task_instances JOIN dag_runs ON dag_runs.id = task_instances.run_pk
                    WHERE dag_runs.dag_id = ? AND dag_runs.logical_date = ? AND task_instances.task_id = ?
                    ORDER BY dag_runs.id DESC LIMIT 1
                    """,
                arguments: [dagID, logicalDate.timeIntervalSince1970, taskID]
            ).flatMap(TaskState.init(rawValue:))
        }
    }

    /// The tries of a run (optionally of one task), oldest first.
    public func tries(runID: String, taskID: String? = nil) async throws -> [TaskTryRecord] {
        try await writer.read { db in
            var request = TaskTryRecord.filter(Column("run_id") == runID)
            if let taskID { request = request.filter(Column("task_id") == taskID) }
            return try request.order(Column("task_id"), Column("try_number")).fetchAll(db)
        }
    }

    /// Every task instance in state `running`, for the reaper.
    public func runningInstances() async throws -> [TaskInstanceRecord] {
        try await writer.read { db in try TaskInstanceRecord.filter(Column("state") == TaskState.running.rawValue).fetchAll(db) }
    }

    /// Audit events, newest first; only those of `kinds` and of `dagID` when given.
    public func events(limit: Int = 100, kinds: [String]? = nil, dagID: String? = nil) async throws -> [EventRecord] {
        try await writer.read { db in
            var request = EventRecord.order(Column("id").desc)
            if let kinds { request = request.filter(kinds.contains(Column("kind"))) }
            if let dagID { request = request.filter(Column("dag_id") == dagID) }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// Records an audit event that no other store change carries (a model promoted by hand, say), with who did it.
    /// - Returns: the event as stored (its id filled in).
    @discardableResult
    public func recordEvent(
        kind: String, actor: String, detail: String, dagID: String? = nil, runID: String? = nil, taskID: String? = nil, at: Date = Date()
    ) async throws -> EventRecord {
        try await writer.write { db in
            var event = EventRecord(at: at, dagID: dagID, runID: runID, taskID: taskID, kind: kind, actor: actor, detail: detail)
            try event.insert(db)
            return event
        }
    }

    /// The times the definition of a run's DAG changed while the run was under way, oldest first (`definition_changed`
    /// events; detail "OLD → NEW: added x; removed y").
    public func definitionChanges(runID: String) async throws -> [EventRecord] {
        try await writer.read { db in
            try EventRecord.filter(Column("run_id") == runID && Column("kind") == "definition_changed").order(Column("id")).fetchAll(db)
        }
    }

    // MARK: Scheduling

    /// Runs one scheduling pass in one write transaction: reads the active runs, lets `plan` decide, applies the plan.
    /// - Returns: the task instances the plan queued, for the executor.
    /// - Parameter mapping: the mapped tasks to expand first (see ``expandMappedTasks(_:specs:now:)``).
    public func schedule(
        now: Date, mapping: [MappedTaskSpec] = [], plan: @escaping @Sendable (SchedulingSnapshot) -> PassPlan
    ) async throws -> [TaskInstanceRecord] {
        try await writer.write { db in try Self.schedule(db, now: now, mapping: mapping, plan: plan) }
    }

    private static func schedule(
        _ db: Database, now: Date, mapping: [MappedTaskSpec], plan: (SchedulingSnapshot) -> PassPlan
    ) throws -> [TaskInstanceRecord] {
            let runs = try DAGRunRecord.filter(sql: "state IN ('queued', 'running')").order(Column("logical_date"), Column("id"))
                .fetchAll(db)
            func activeInstances() throws -> [TaskInstanceRecord] {
                try TaskInstanceRecord.fetchAll(
                    db, sql: """
                        SELECT task_instances.* FROM task_instances
                        JOIN dag_runs ON dag_runs.id = task_instances.run_pk
                        WHERE dag_runs.state IN ('queued', 'running')
                        ORDER BY task_instances.id
                        """)
            }
            var instances = try activeInstances()
            // Mapped tasks waiting for their expansion are among the instances just read: only then is there more to do.
            if !mapping.isEmpty, try expandMappedTasks(db, instances: instances, specs: mapping, now: now) { instances = try activeInstances() }
            let paused = try String.fetchSet(db, sql: "SELECT dag_id FROM dags WHERE paused = 1")
            let decided = plan(SchedulingSnapshot(activeRuns: runs, instances: instances, pausedDAGs: paused))
            for change in decided.runChanges {
                switch change.state {
                case .running:
                    try db.execute(
                        sql: "UPDATE dag_runs SET state = 'running', start_date = coalesce(start_date, ?), end_date = NULL WHERE id = ?",
                        arguments: [now.timeIntervalSince1970, change.runPK])
                case .success, .failed:
                    try db.execute(
                        sql: "UPDATE dag_runs SET state = ?, end_date = ? WHERE id = ?",
                        arguments: [change.state.rawValue, now.timeIntervalSince1970, change.runPK])
                case .queued:
                    try db.execute(sql: "UPDATE dag_runs SET state = 'queued' WHERE id = ?", arguments: [change.runPK])
                }
            }
            var queuedIDs: [Int64] = []
            for change in decided.instanceChanges {
                switch change.state {
                case .queued:
                    try db.execute(
                        sql: "UPDATE task_instances SET state = 'queued', queued_at = ? WHERE id = ? AND state IN ('scheduled', 'up_for_retry', 'up_for_reschedule')",
                        arguments: [now.timeIntervalSince1970, change.instanceID])
                    if db.changesCount > 0 { queuedIDs.append(change.instanceID) }
                case .skipped, .upstreamFailed, .success, .failed:
                    try db.execute(
                        sql: "UPDATE task_instances SET state = ?, note = ?, end_date = ? WHERE id = ?",
                        arguments: [change.state.rawValue, change.note, now.timeIntervalSince1970, change.instanceID])
                default:
                    try db.execute(
                        sql: "UPDATE task_instances SET state = ?, note = ? WHERE id = ?",
                        arguments: [change.state.rawValue, change.note, change.instanceID])
                }
            }
            for insert in decided.instanceInserts {
                var instance = TaskInstanceRecord(
                    runPK: insert.runPK, dagID: insert.dagID, runID: insert.runID, taskID: insert.taskID, state: .scheduled, tryNumber: 0,
                    maxTries: insert.maxTries, pool: insert.pool, priorityWeight: insert.priorityWeight)
                instance.note = "added to the DAG's definition during the run"
                try instance.insert(db, onConflict: .ignore)
            }
            guard !queuedIDs.isEmpty else { return [] }
            return try TaskInstanceRecord.filter(keys: queuedIDs).fetchAll(db)
    }

    /// Puts instances left `queued` by a scheduler that stopped before launching them back to `scheduled`.
    @discardableResult
    public func resetQueued() async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "UPDATE task_instances SET state = 'scheduled', queued_at = NULL WHERE state = 'queued'")
            return db.changesCount
        }
    }

    // MARK: Tries

    /// Starts the next try of a queued instance: bumps its try number, marks it running and inserts the try row.
    /// - Returns: the try, or nil when the instance is no longer queued (cleared or claimed meanwhile).
    public func startTry(instanceID: Int64, host: String, logPath: @escaping @Sendable (TaskInstanceRecord, Int) -> String, now: Date)
        async throws -> TaskTryRecord?
    {
        try await writer.write { db in try Self.startTry(db, instanceID: instanceID, host: host, logPath: logPath, now: now) }
    }

    private static func startTry(_ db: Database, instanceID: Int64, host: String, logPath: (TaskInstanceRecord, Int) -> String, now: Date)
        throws -> TaskTryRecord?
    {
            guard var instance = try TaskInstanceRecord.fetchOne(db, key: instanceID), instance.state == .queued else { return nil }
            instance.tryNumber += 1
            instance.state = .running
            instance.startDate = now
            instance.endDate = nil
            instance.nextTryAt = nil
            instance.pid = nil
            instance.pgid = nil
            instance.procStart = nil
            instance.host = host
            instance.note = nil
            try instance.update(db)
            var attempt = TaskTryRecord(
                dagID: instance.dagID, runID: instance.runID, taskID: instance.taskID, tryNumber: instance.tryNumber, state: .running,
                host: host, startDate: now, logPath: logPath(instance, instance.tryNumber))
            try attempt.insert(db)
            return attempt
    }

    /// A scheduling pass that also starts the tries it queues, all in one transaction (the scheduler's hot path: one
    /// write per hand-off instead of one per instance).
    /// - Returns: the started tries, for the executor.
    public func scheduleAndStart(
        now: Date, host: String, logPath: @escaping @Sendable (TaskInstanceRecord, Int) -> String, mapping: [MappedTaskSpec] = [],
        plan: @escaping @Sendable (SchedulingSnapshot) -> PassPlan
    ) async throws -> [TaskTryRecord] {
        try await writer.write { db in
            try Self.schedule(db, now: now, mapping: mapping, plan: plan).compactMap { instance in
                try Self.startTry(db, instanceID: instance.id!, host: host, logPath: logPath, now: now)
            }
        }
    }

    /// The child side's first write: confirms its try is the running one and records its own process.
    /// - Returns: the run, or nil when the try is not running (a stale or duplicate launch).
    public func claimTry(runID: String, taskID: String, tryNumber: Int, pid: Int32, pgid: Int32, procStart: UInt64?) async throws -> DAGRunRecord? {
        try await writer.write { db in
            // Plain SQL: a task process's connection is fresh, and the query interface would first read the schema to
            // learn whether these filters select one row.
            guard
                try String.fetchOne(
                    db, sql: "SELECT state FROM task_tries WHERE run_id = ? AND task_id = ? AND try_number = ?",
                    arguments: [runID, taskID, tryNumber]) == TryState.running.rawValue,
                let run = try DAGRunRecord.fetchOne(db, sql: "SELECT * FROM dag_runs WHERE run_id = ?", arguments: [runID])
            else { return nil }
            try Self.recordProcess(db, runID: runID, taskID: taskID, tryNumber: tryNumber, pid: pid, pgid: pgid, procStart: procStart)
            return run
        }
    }

    /// Runs the reads of ``claimTry(runID:taskID:tryNumber:pid:pgid:procStart:)`` once, changing nothing: a standby task
    /// process (spawn-ahead) warms its connection's page cache and the decoding code with it before it is given a try.
    public func warmUpForTries() async throws {
        try await writer.read { db in
            _ = try String.fetchOne(db, sql: "SELECT state FROM task_tries WHERE run_id = ? AND task_id = ? AND try_number = ?", arguments: ["", "", 0])
            _ = try DAGRunRecord.fetchOne(db, sql: "SELECT * FROM dag_runs ORDER BY rowid DESC LIMIT 1")
        }
    }

    /// Records the process of a running try (called by the executor after spawning, and by the child itself).
    public func recordProcess(runID: String, taskID: String, tryNumber: Int, pid: Int32, pgid: Int32, procStart: UInt64?) async throws {
        try await writer.write { db in
            try Self.recordProcess(db, runID: runID, taskID: taskID, tryNumber: tryNumber, pid: pid, pgid: pgid, procStart: procStart)
        }
    }

    private static func recordProcess(_ db: Database, runID: String, taskID: String, tryNumber: Int, pid: Int32, pgid: Int32, procStart: UInt64?)
        throws
    {
            let start = procStart.map { Int64($0) }
            try db.execute(
                sql: "UPDATE task_tries SET pid = ?, pgid = ?, proc_start = ? WHERE run_id = ? AND task_id = ? AND try_number = ?",
                arguments: [pid, pgid, start, runID, taskID, tryNumber])
            try db.execute(
                sql: """
                    UPDATE task_instances SET pid = ?, pgid = ?, proc_start = ?
                    WHERE run_id = ? AND task_id = ? AND try_number = ? AND state = 'running'
                    """,
                arguments: [pid, pgid, start, runID, taskID, tryNumber])
    }

    /// The try row for (run, task, try), if any.
    public func tryRecord(runID: String, taskID: String, tryNumber: Int) async throws -> TaskTryRecord? {
        try await writer.read { db in
            try TaskTryRecord.filter(Column("run_id") == runID && Column("task_id") == taskID && Column("try_number") == tryNumber)
                .fetchOne(db)
        }
    }

    /// The child's own record of how its try ended; the supervisor applies it to the instance.
    public func recordOutcome(runID: String, taskID: String, tryNumber: Int, outcome: TryOutcome, exitStatus: Int32, now: Date) async throws {
        try await writer.write { db in
            try Self.closeTry(db, runID: runID, taskID: taskID, tryNumber: tryNumber, outcome: outcome, exitStatus: exitStatus, now: now)
        }
    }

    private static func closeTry(
        _ db: Database, runID: String, taskID: String, tryNumber: Int, outcome: TryOutcome, exitStatus: Int32?, now: Date
    ) throws {
        try db.execute(
            sql: """
                UPDATE task_tries SET state = ?, end_date = ?, duration_s = ? - start_date, exit_status = coalesce(?, exit_status),
                    error = ?
                WHERE run_id = ? AND task_id = ? AND try_number = ? AND state = 'running'
                """,
            arguments: [
                Self.tryState(of: outcome).rawValue, now.timeIntervalSince1970, now.timeIntervalSince1970, exitStatus,
                outcome.errorText, runID, taskID, tryNumber,
            ])
    }

    private static func tryState(of outcome: TryOutcome) -> TryState {
        switch outcome {
        case .success: .success
        case .skipped: .skipped
        case .notReady: .upForReschedule
        default: .failed
        }
    }

    /// Ends a try and moves its instance on, once: the outcome the child recorded wins over `observed` (what the
    /// supervisor saw); `decide` turns the outcome into the instance's next state. Nothing happens when the instance
    /// is no longer running that try (already finished, cleared or reaped).
    /// - Returns: the outcome applied and the action taken, or nil when nothing was applied.
    @discardableResult
    public func finishTry(
        runID: String, taskID: String, tryNumber: Int, observed: TryOutcome, exitStatus: Int32?, outlets: [String] = [], now: Date,
        decide: @escaping @Sendable (TryOutcome, TaskInstanceRecord) -> TryAction
    ) async throws -> (TryOutcome, TryAction)? {
        let finish = FinishedTry(
            runID: runID, taskID: taskID, tryNumber: tryNumber, observed: observed, exitStatus: exitStatus, outlets: outlets, decide: decide)
        return try await writer.write { db in try Self.finishTry(db, finish, now: now) }
    }

    /// Finishes `finishes` (as ``finishTry(runID:taskID:tryNumber:observed:exitStatus:now:decide:)`` does, in order),
    /// then runs a scheduling pass that starts the tries it queues, all in one write transaction: the scheduler's hot
    /// path, one write per hand-off.
    /// - Returns: per finish, the outcome applied and the action taken (nil when nothing was applied); the started tries.
    public func finishAndSchedule(
        _ finishes: [FinishedTry], now: Date, host: String, logPath: @escaping @Sendable (TaskInstanceRecord, Int) -> String,
        mapping: [MappedTaskSpec] = [], plan: @escaping @Sendable (SchedulingSnapshot) -> PassPlan
    ) async throws -> (finished: [(TryOutcome, TryAction)?], started: [TaskTryRecord]) {
        try await writer.write { db in
            let finished = try finishes.map { try Self.finishTry(db, $0, now: now) }
            let started = try Self.schedule(db, now: now, mapping: mapping, plan: plan).compactMap { instance in
                try Self.startTry(db, instanceID: instance.id!, host: host, logPath: logPath, now: now)
            }
            return (finished, started)
        }
    }

    private static func finishTry(_ db: Database, _ finish: FinishedTry, now: Date) throws -> (TryOutcome, TryAction)? {
            let (runID, taskID, tryNumber, observed, exitStatus, decide) = (
                finish.runID, finish.taskID, finish.tryNumber, finish.observed, finish.exitStatus, finish.decide
            )
            guard
                var instance = try TaskInstanceRecord.fetchOne(
                    db, sql: "SELECT * FROM task_instances WHERE run_id = ? AND task_id = ?", arguments: [runID, taskID]),
                instance.state == .running, instance.tryNumber == tryNumber
            else { return nil }
            let recorded = try TaskTryRecord.fetchOne(
                db, sql: "SELECT * FROM task_tries WHERE run_id = ? AND task_id = ? AND try_number = ?", arguments: [runID, taskID, tryNumber])
            let outcome: TryOutcome
            switch recorded?.state {
            case .success?:
                outcome = .success
            case .skipped?:
                outcome = .skipped(reason: recorded?.error ?? "skipped")
            case .upForReschedule?:
                outcome = .notReady(
                    firstPoke: try Self.firstPoke(db, runID: runID, taskID: taskID, tryNumber: tryNumber), waiting: recorded?.error ?? "still waiting")
            case .failed? where observed.isTimeout:
                // The child saw its command die of the supervisor's SIGTERM; the cause people need is the timeout.
                outcome = observed
                try db.execute(
                    sql: "UPDATE task_tries SET error = ? WHERE run_id = ? AND task_id = ? AND try_number = ?",
                    arguments: [observed.errorText, runID, taskID, tryNumber])
            case .failed?:
                outcome = .failed(exitStatus: recorded?.exitStatus, error: recorded?.error ?? "failed")
            default:
                outcome = observed
                try Self.closeTry(db, runID: runID, taskID: taskID, tryNumber: tryNumber, outcome: observed, exitStatus: exitStatus, now: now)
            }
            let action: TryAction
            if case .skipped = outcome { action = .markSkipped } else { action = decide(outcome, instance) }
            instance.pid = nil
            instance.pgid = nil
            instance.procStart = nil
            switch action {
            case .markSuccess:
                instance.state = .success
                instance.endDate = now
                instance.note = nil
            case .markSkipped:
                instance.state = .skipped
                instance.endDate = now
                instance.note = outcome.errorText
            case .scheduleRetry(let at):
                instance.state = .upForRetry
                instance.nextTryAt = at
                instance.note = outcome.errorText
            case .markFailed:
                instance.state = .failed
                instance.endDate = now
                instance.note = outcome.errorText
            case .reschedule(let at):
                // A poke is not a retry: the budget of tries and the retry backoff move past it.
                instance.state = .upForReschedule
                instance.nextTryAt = at
                instance.maxTries += 1
                instance.budgetStart += 1
                instance.note = "\(outcome.errorText ?? "still waiting"); next poke at \(Template.timestamp(at))"
            case .sensorTimedOut(let skip, let note):
                instance.state = skip ? .skipped : .failed
                instance.endDate = now
                instance.note = note
                try db.execute(
                    sql: "UPDATE task_tries SET error = ? WHERE run_id = ? AND task_id = ? AND try_number = ?",
                    arguments: [note, runID, taskID, tryNumber])
            }
            try instance.update(db)
            if action == .markSuccess, !finish.outlets.isEmpty {
                try Self.recordAssetEvents(db, instance: instance, outlets: finish.outlets, now: now)
            }
            return (outcome, action)
    }

    /// When a sensor's current wait began: the start of the first of the unbroken line of pokes that found the condition
    /// not met, ending at `tryNumber` (a failed poke, a success or a clear's new budget starts a new wait).
    private static func firstPoke(_ db: Database, runID: String, taskID: String, tryNumber: Int) throws -> Date? {
        try Double.fetchOne(
            db,
            sql: """
                SELECT min(start_date) FROM task_tries
                WHERE run_id = ? AND task_id = ? AND try_number <= ? AND try_number > coalesce(
                    (SELECT max(try_number) FROM task_tries
                     WHERE run_id = ? AND task_id = ? AND try_number < ? AND state != 'up_for_reschedule'), 0)
                """,
            arguments: [runID, taskID, tryNumber, runID, taskID, tryNumber]
        ).map { Date(timeIntervalSince1970: $0) }
    }

    // MARK: Clear

    /// Clears task instances of a run so they run again: back to `scheduled` with a fresh budget of tries, and the
    /// run back to `running`.
    /// - Parameters:
    ///   - taskIDs: the instances to clear (nil: all).
    ///   - maxTries: the try budget per task id.
    /// - Throws: ``StoreError`` for an unknown run or task, or when one of them is running.
    /// - Returns: the ids cleared.
    @discardableResult
    public func clear(runID: String, taskIDs: [String]?, maxTries: [String: Int], actor: String, now: Date) async throws -> [String] {
        try await writer.write { db in
            guard var run = try DAGRunRecord.filter(Column("run_id") == runID).fetchOne(db) else {
                throw StoreError(.unknownRun(runID))
            }
            var instances = try TaskInstanceRecord.filter(Column("run_id") == runID).order(Column("id")).fetchAll(db)
            // A task id names its instance, or every mapped instance of it (`t` covers `t[0]`, `t[1]`, …).
            func named(_ instance: TaskInstanceRecord, by ids: [String]) -> Bool {
                ids.contains(instance.taskID) || ids.contains(MappedID.taskID(of: instance.taskID))
            }
            if let taskIDs {
                for task in taskIDs where !instances.contains(where: { named($0, by: [task]) }) {
                    throw StoreError(.unknownTask(run: runID, task: task))
                }
                instances = instances.filter { named($0, by: taskIDs) }
            }
            if let busy = instances.first(where: { $0.state == .running || $0.state == .queued }) {
                throw StoreError(.taskRunning(run: runID, task: busy.taskID))
            }
            // A mapped task cleared whole is expanded again, over the list as its upstream pushes it next time.
            let collapse = Set(instances.map(\.taskID).filter { id in
                let base = MappedID.split(id)
                return base.index != nil && (taskIDs == nil || taskIDs!.contains(base.taskID))
            }.map(MappedID.taskID(of:)))
            for var instance in instances {
                instance.state = .scheduled
                instance.maxTries = instance.tryNumber + (maxTries[instance.taskID] ?? maxTries[MappedID.taskID(of: instance.taskID)] ?? 1)
                instance.budgetStart = instance.tryNumber
                instance.nextTryAt = nil
                instance.queuedAt = nil
                instance.startDate = nil
                instance.endDate = nil
                instance.note = nil
                try instance.update(db)
            }
            try Self.collapseMapped(db, runID: runID, bases: collapse)
            run.state = .running
            run.endDate = nil
            if run.note != nil {  // a run that timed out starts its clock again
                run.note = nil
                run.startDate = now
            }
            try run.update(db)
            var event = EventRecord(
                at: now, dagID: run.dagID, runID: runID, taskID: nil, kind: "clear", actor: actor,
                detail: instances.map(\.taskID).joined(separator: ","))
            try event.insert(db)
            return instances.map(\.taskID)
        }
    }

    // MARK: XCom and metrics

    /// Stores an XCom value (JSON) for (run, task, key).
    public func pushXCom(dagID: String, runID: String, taskID: String, key: String, json: String, now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO xcom (dag_id, run_id, task_id, key, value, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [dagID, runID, taskID, key, json, now.timeIntervalSince1970])
        }
    }

    /// The XCom JSON for (run, task, key), if any.
    public func pullXCom(runID: String, taskID: String, key: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT value FROM xcom WHERE run_id = ? AND task_id = ? AND key = ?", arguments: [runID, taskID, key])
        }
    }

    /// Every XCom of a run as (task, key, JSON).
    public func xcoms(runID: String) async throws -> [(taskID: String, key: String, json: String)] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT task_id, key, value FROM xcom WHERE run_id = ? ORDER BY task_id, key", arguments: [runID])
                .map { (taskID: $0["task_id"], key: $0["key"], json: $0["value"]) }
        }
    }

    /// Records one metric point.
    public func recordMetric(_ metric: TaskMetricRecord) async throws {
        try await writer.write { db in try metric.insert(db) }
    }

    /// The metric points of a run.
    public func metrics(runID: String) async throws -> [TaskMetricRecord] {
        try await writer.read { db in
            try TaskMetricRecord.filter(Column("run_id") == runID).order(Column("task_id"), Column("name"), Column("step")).fetchAll(db)
        }
    }

    // MARK: Scheduler heartbeat

    /// Records that a scheduler process is alive.
    public func heartbeat(pid: Int32, host: String, startedAt: Date, now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO scheduler_heartbeat (id, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)",
                arguments: [pid, host, startedAt.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }

    /// The last heartbeat: the scheduler's pid and when it beat.
    public func lastHeartbeat() async throws -> (pid: Int32, at: Date)? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT pid, heartbeat_at FROM scheduler_heartbeat WHERE id = 1").map {
                (pid: $0["pid"], at: Date(timeIntervalSince1970: $0["heartbeat_at"]))
            }
        }
    }
}
