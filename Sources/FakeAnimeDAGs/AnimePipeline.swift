public import NightshiftCLI
public import Workflow

/// The fake anime pipeline as a DAG list to run beside your own: `anime_scrape` (weekly) re-scrapes a catalogue into a
/// content-addressed snapshot; `anime_nightly` (daily) retrains the title and synopsis models and the poster GAN, gates
/// them, and publishes a batch of fake anime to the archive that the dashboard's `/` serves.
///
/// ```swift
/// import FakeAnimeDAGs
/// import NightshiftCLI
///
/// Nightshift.main(
///     dags: MyJobs.dags + AnimePipeline.dags,
///     pools: MyJobs.pools.merging(AnimePipeline.pools) { mine, _ in mine },
///     extensions: [AnimePipeline.extension])
/// ```
///
/// Without the extension the DAGs still run (a scrape with no catalogue URL serves the built-in demo catalogue itself);
/// the extension adds the `archive`, `catalogue`, `demo-catalog` and `models` commands, the dashboard's `/models`, the imaging, scrape and learning
/// benchmarks, and `standalone`'s demo catalogue and first run on an empty archive.
public enum AnimePipeline {
    /// `anime_scrape` and `anime_nightly`.
    public static let dags: [DAG] = [AnimeScrape.dag, AnimeNightly.dag]

    /// `training` has one slot, so two trainings never share the cores.
    public static let pools: [String: Int] = ["training": 1]

    /// The pipeline's commands and `standalone` services.
    public static let `extension` = Nightshift.Extension(
        name: "anime",
        commands: [ArchiveCommand.self, CatalogueCommand.self, DemoCatalogCommand.self, ModelsCommand.self],
        benchCommands: [ImagingBench.self, ScrapeBench.self, LearningBench.self, QualityBench.self, PosterBench.self],
        standaloneServices: { context in
            [AnimeBootstrap(store: context.store, bag: context.bag, logger: context.logger, poke: context.pokeScheduler, firstRun: context.firstRun)]
        },
        standaloneHints: { executable, home in ["\(executable) archive random --home \(home)"] },
        servesPublicArchive: true,
        dashboardPages: [ModelsPage.page])
}
