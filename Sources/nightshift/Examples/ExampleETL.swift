import Foundation
import Workflow

/// A fan-out/fan-in of shell and Swift tasks passing XCom values, with a retry and a timeout. Copy from it.
///
/// `extract` (Swift) pushes a row count; `clean` (shell, retried) and `enrich` (Swift, 30 s timeout) run in parallel;
/// `load` pulls the enriched count and records it as a metric; `report` runs whatever happened upstream (`all_done`).
enum ExampleETL {
    static let dag = DAG(
        "example_etl", description: "Extract, clean and enrich in parallel, load: shell and Swift tasks passing XCom values",
        schedule: .cron("0 3 * * *"), retry: .fixed(retries: 1, delay: .seconds(2)), tags: ["example"],
        params: [
            "rows": Param(100, minimum: 1, maximum: 1_000_000, description: "How many rows extract produces."),
            "region": Param("eu", oneOf: ["eu", "us", "apac"], description: "The region clean works on."),
        ]
    ) {
        let extract = TaskDefinition("extract") { ctx in
            let rows = Int(ctx.params["rows"]?.doubleValue ?? 100)
            ctx.log.info("extracted \(rows) rows of region \(ctx.params["region"]?.description ?? "?") for \(ctx.dataInterval.start) – \(ctx.dataInterval.end)")
            try await ctx.push(rows, key: "rows")
        }
        let clean = TaskDefinition.shell(
            "clean", "echo \"cleaning {{ params.region }} rows for {{ ds }} (run {{ run_id }}, try {{ try_number }})\"",
            retry: .exponential(retries: 3, base: .seconds(1), cap: .seconds(10)))
        let enrich = TaskDefinition("enrich", timeout: .seconds(30)) { ctx in
            let rows = try await ctx.pull(Int.self, from: "extract", key: "rows") ?? 0
            try ctx.checkCancellation()
            try await ctx.push(rows * 2, key: "enriched")
        }
        let load = TaskDefinition("load") { ctx in
            let enriched = try await ctx.pull(Int.self, from: "enrich", key: "enriched") ?? 0
            ctx.log.info("loading \(enriched) enriched rows")
            try await ctx.record("rows_loaded", step: 0, value: Double(enriched))
        }
        let report = TaskDefinition.shell("report", "echo \"$NIGHTSHIFT_DAG_ID run $NIGHTSHIFT_RUN_ID finished\"", triggerRule: .allDone)
        extract >> [clean, enrich]
        [clean, enrich] >> load
        load >> report
    }
}
