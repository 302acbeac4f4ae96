import FakeAnimeDAGs
import NightshiftCLI

// The project's own binary: the whole CLI over the fake anime pipeline and the two examples.
Nightshift.main(
    dags: AnimePipeline.dags + [ExampleETL.dag, ExampleMapping.dag, ExampleParams.dag, ExampleSensor.dag], pools: AnimePipeline.pools, extensions: [AnimePipeline.extension])
