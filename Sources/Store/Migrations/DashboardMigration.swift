import GRDB

/// Indexes the dashboard's reads need to stay fast with a long history (10,000 runs of a DAG): runs of a DAG filtered
/// by state, runs across DAGs newest first, tries by state for `/metrics`, task instances of a set of runs.
enum DashboardMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX dag_runs_by_dag_state ON dag_runs(dag_id, state, logical_date);
            CREATE INDEX dag_runs_by_logical_date ON dag_runs(logical_date);
            CREATE INDEX task_instances_by_run_pk ON task_instances(run_pk);
            CREATE INDEX task_tries_by_state ON task_tries(state, duration_s);
            """)
    }
}
