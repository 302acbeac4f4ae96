import Foundation
import Workflow

/// A sensor in reschedule mode waits for `{{ params.path }}` to exist (poking every 10 s, for at most an hour, holding
/// no process or slot in between); then a shell task reports the file's size.
///
/// ```sh
/// nightshift dags trigger example_sensor --conf '{"path": "/tmp/ready.csv"}'
/// touch /tmp/ready.csv   # the next poke succeeds and `report` runs
/// ```
enum ExampleSensor {
    static let dag = DAG(
        "example_sensor", description: "Waits for a file to exist without holding a slot, then reports its size", schedule: .manual,
        tags: ["example"],
        params: [
            "path": Param("/tmp/nightshift-example-sensor.ready", description: "The file the sensor waits for."),
        ]
    ) {
        let wait = TaskDefinition.fileSensor("wait_for_file", path: "{{ params.path }}", every: .seconds(10), timeout: .hours(1))
        let report = TaskDefinition.shell("report", "echo \"{{ params.path }} is here: $(wc -c < \"{{ params.path }}\") bytes\"")
        wait >> report
    }
}
