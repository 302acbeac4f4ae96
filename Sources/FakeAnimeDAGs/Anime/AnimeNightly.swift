import FakeAnime
import Foundation
import Learning
public import Workflow

/// `anime_nightly`: retrain the three models on the latest snapshot, gate them, generate a batch of fake anime from
/// the accepted models and publish it to the archive. It runs nightly at 03:00 and whenever `anime_scrape` records a new
/// snapshot (the `anime.snapshot` asset).
///
/// ```
/// resolve_snapshot >> [train_titles, train_synopses, train_posters] >> evaluate >> generate_batch >> publish >> prune
/// ```
/// Training tasks share the `training` pool (one slot: they never compete for the cores) and skip themselves when
/// the snapshot and the accepted checkpoint are what they last trained on, unless the run's conf says `force: true`.
public enum AnimeNightly {
    /// The params and their defaults: the nightly budget. `standalone`'s first run passes a smaller one as conf.
    public static let defaultParams: [String: JSONValue] = [
        "force": false,
        "warm_start": true,
        "titles_epochs": 60,
        "synopses_epochs": 0,
        "text_steps": 0,
        "text_time_limit_s": 240,
        "gan_steps": 1500,
        "gan_time_limit_s": 1800,
        "tolerance": 0.05,
        // false: the copy and collapse screens are measured and logged but do not reject (tests with budgets of a
        // few steps, whose models the screens rightly reject).
        "quality_screens": true,
        "batch_entries": 24,
        "keep_batches": 14,
        "seed": 0,
        "threads": 0,
    ]

    public static let dag = DAG(
        "anime_nightly",
        description: "Nightly: retrain the title, synopsis and poster models on the latest snapshot, gate them, generate and publish a batch of fake anime",
        schedule: .cron("0 3 * * *", assets: [AnimeScrape.snapshotAsset]), maxActiveRuns: 1, retry: .fixed(retries: 1, delay: .seconds(60)),
        tags: ["anime", "ml"], params: defaultParams.mapValues { Param($0) }
    ) {
        // No retries: a missing snapshot stays missing until anime_scrape runs.
        let resolve = TaskDefinition("resolve_snapshot", retry: RetryPolicy.none) { ctx in try await NightlyTasks.resolveSnapshot(ctx) }
        let training = ModelKind.allCases.map { kind in
            TaskDefinition("train_\(kind.rawValue)", timeout: .seconds(3600), pool: "training", priorityWeight: kind == .posters ? 1 : 2) { ctx in
                try await NightlyTasks.train(kind, ctx)
            }
        }
        let evaluate = TaskDefinition("evaluate", triggerRule: .noneFailed, pool: "training") { ctx in try await NightlyTasks.evaluate(ctx) }
        let generate = TaskDefinition("generate_batch", triggerRule: .noneFailed, timeout: .seconds(1800)) { ctx in
            try await NightlyTasks.generateBatch(ctx)
        }
        let publish = TaskDefinition("publish") { ctx in try await NightlyTasks.publish(ctx) }
        let prune = TaskDefinition("prune") { ctx in try await NightlyTasks.prune(ctx) }
        resolve >> training
        training >> evaluate
        evaluate >> generate
        generate >> publish
        publish >> prune
    }
}
