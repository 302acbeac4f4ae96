import GRDB

/// The schema's versioned migrations. A migration that has shipped is never edited: add a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_initial") { db in
            try db.execute(sql: """
                CREATE TABLE dags (
                    dag_id TEXT PRIMARY KEY NOT NULL,
                    paused INTEGER NOT NULL DEFAULT 0,
                    fingerprint TEXT NOT NULL,
                    structure TEXT NOT NULL,
                    registered_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE dag_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL UNIQUE,
                    logical_date REAL NOT NULL,
                    interval_start REAL NOT NULL,
                    interval_end REAL NOT NULL,
                    state TEXT NOT NULL,
                    run_type TEXT NOT NULL,
                    conf TEXT NOT NULL DEFAULT '{}',
                    queued_at REAL NOT NULL,
                    start_date REAL,
                    end_date REAL
                );
                CREATE UNIQUE INDEX dag_runs_by_tick ON dag_runs(dag_id, logical_date) WHERE run_type != 'manual';
                CREATE INDEX dag_runs_by_state ON dag_runs(state, dag_id);
                CREATE INDEX dag_runs_by_dag ON dag_runs(dag_id, logical_date);
                CREATE TABLE task_instances (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_pk INTEGER NOT NULL REFERENCES dag_runs(id) ON DELETE CASCADE,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    try_number INTEGER NOT NULL DEFAULT 0,
                    max_tries INTEGER NOT NULL,
                    budget_start INTEGER NOT NULL DEFAULT 0,
                    next_try_at REAL,
                    pool TEXT NOT NULL,
                    priority_weight INTEGER NOT NULL,
                    pid INTEGER,
                    pgid INTEGER,
                    proc_start INTEGER,
                    host TEXT,
                    queued_at REAL,
                    start_date REAL,
                    end_date REAL,
                    note TEXT,
                    UNIQUE(run_id, task_id)
                );
                CREATE INDEX task_instances_by_state ON task_instances(state);
                CREATE TABLE task_tries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    pid INTEGER,
                    pgid INTEGER,
                    proc_start INTEGER,
                    host TEXT,
                    start_date REAL NOT NULL,
                    end_date REAL,
                    duration_s REAL,
                    exit_status INTEGER,
                    error TEXT,
                    log_path TEXT NOT NULL,
                    UNIQUE(run_id, task_id, try_number)
                );
                CREATE TABLE xcom (
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (run_id, task_id, key)
                );
                CREATE TABLE task_metrics (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    step INTEGER NOT NULL,
                    value REAL NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX task_metrics_by_run ON task_metrics(run_id, task_id, name, step);
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at REAL NOT NULL,
                    dag_id TEXT,
                    run_id TEXT,
                    task_id TEXT,
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    detail TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE scheduler_heartbeat (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    pid INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    heartbeat_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2_archive") { db in
            try db.execute(sql: """
                CREATE TABLE archive_batches (
                    batch TEXT PRIMARY KEY NOT NULL,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    snapshot_id TEXT NOT NULL,
                    model_versions TEXT NOT NULL,
                    entries INTEGER NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX archive_batches_by_time ON archive_batches(created_at);
                CREATE TABLE archive (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    batch TEXT NOT NULL REFERENCES archive_batches(batch) ON DELETE CASCADE,
                    entry INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    synopsis TEXT NOT NULL,
                    poster TEXT NOT NULL,
                    poster_display TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    model_versions TEXT NOT NULL,
                    snapshot_id TEXT NOT NULL,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE(batch, entry)
                );
                CREATE TABLE task_attachments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX task_attachments_by_run ON task_attachments(run_id, task_id);
                CREATE TABLE variables (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL,
                    updated_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3_dashboard", migrate: DashboardMigration.migrate)
        migrator.registerMigration("v4_run_definitions") { db in
            // The definition each run was created under; changes during a run are `definition_changed` events.
            try db.execute(sql: "ALTER TABLE dag_runs ADD COLUMN fingerprint TEXT")
        }
        migrator.registerMigration("v5_dashboard_users") { db in
            // Dashboard users beside the first one (`admin`, whose hashes stay in HOME/dashboard/admin.json), and logins
            // that survive a restart: the cookie's token is stored only as its SHA-256, with the role it was given.
            try db.execute(sql: """
                CREATE TABLE dashboard_users (
                    name TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
                    password TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE dashboard_sessions (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    csrf TEXT NOT NULL,
                    user TEXT NOT NULL,
                    role TEXT NOT NULL,
                    address TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE INDEX dashboard_sessions_by_user ON dashboard_sessions(user);
                CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions(expires_at);
                """)
        }
        migrator.registerMigration("v6_run_note") { db in
            // Why a run ended when its tasks did not decide it (a run timeout).
            try db.execute(sql: "ALTER TABLE dag_runs ADD COLUMN note TEXT")
        }
        migrator.registerMigration("v7_notifications") { db in
            // What operators asked to hear about (`nightshift notify add`): an event, for one DAG or all, by webhook or command.
            try db.execute(sql: """
                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event TEXT NOT NULL CHECK (event IN ('failure', 'retry', 'success', 'run_timeout')),
                    dag_id TEXT,
                    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'command')),
                    target TEXT NOT NULL,
                    format TEXT NOT NULL CHECK (format IN ('json', 'slack')),
                    created_at REAL NOT NULL,
                    created_by TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v8_assets") { db in
            // Asset events (a successful try of a task with outlets), each consumer DAG's cursor over them, and which
            // runs each event caused.
            try db.execute(sql: """
                CREATE TABLE asset_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    asset TEXT NOT NULL,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    task_id TEXT NOT NULL,
                    try_number INTEGER NOT NULL,
                    extra TEXT,
                    created_at REAL NOT NULL
                );
                CREATE INDEX asset_events_by_asset ON asset_events(asset, id);
                CREATE TABLE asset_cursors (
                    dag_id TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    last_event_id INTEGER NOT NULL,
                    PRIMARY KEY (dag_id, asset)
                );
                CREATE TABLE asset_event_runs (
                    event_id INTEGER NOT NULL REFERENCES asset_events(id) ON DELETE CASCADE,
                    dag_id TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    PRIMARY KEY (event_id, run_id)
                );
                CREATE INDEX asset_event_runs_by_run ON asset_event_runs(run_id);
                """)
        }
        return migrator
    }
}
