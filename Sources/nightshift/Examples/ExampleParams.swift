import Foundation
import Workflow

/// Shell tasks driven by params: each sleeps `{{ params.sleep_ms }}` ms and, when `{{ params.marker_file }}` is set,
/// appends one line "DAG RUN TASK TRY" to it. A fan-out of 8 tasks between `start` and `join`.
///
/// ```sh
/// nightshift dags trigger example_params --conf '{"sleep_ms": 500, "marker_file": "/tmp/marks"}' --wait
/// ```
enum ExampleParams {
    static let script = """
        sleep "$(awk 'BEGIN { print {{ params.sleep_ms }} / 1000 }')" && \
        if [ -n "{{ params.marker_file }}" ]; then \
        echo "{{ dag_id }} {{ run_id }} {{ task_id }} {{ try_number }}" >> "{{ params.marker_file }}"; fi && \
        if [ "{{ params.fail_task }}" = "{{ task_id }}" ]; then echo "failing on purpose (params.fail_task)"; exit 1; fi
        """

    static let dag = DAG(
        "example_params", description: "Eight parallel sleeps between a start and a join, driven by params", schedule: .manual,
        tags: ["example"],
        params: [
            "sleep_ms": Param(100, minimum: 0, maximum: 600_000, description: "How long each task sleeps, in milliseconds."),
            "marker_file": Param("", description: "A file each task appends a line to (empty: none)."),
            "fail_task": Param("", description: "The id of a task that should fail (exit 1), to try notifications and retries on demand."),
        ]
    ) {
        let start = TaskDefinition.shell("start", script)
        let join = TaskDefinition.shell("join", script)
        let sleeps = (1...8).map { TaskDefinition.shell("sleep_\($0)", script) }
        start >> sleeps
        sleeps >> join
    }
}
