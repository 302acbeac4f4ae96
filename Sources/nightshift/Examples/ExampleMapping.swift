import Foundation
import Workflow

/// Dynamic task mapping: `list_items` pushes `{{ params.items }}` names; `process` (a shell task) and `measure` (a Swift
/// task) each expand into one instance per name, `process[0]` … `process[N-1]`, with their own tries, logs and states;
/// `report` runs once every instance is done and pulls `measure`'s results as one list.
///
/// ```sh
/// nightshift dags trigger example_mapping --conf '{"items": 12}' --wait
/// nightshift tasks clear example_mapping --run RUN --task process --map-index 3   # one instance again
/// ```
enum ExampleMapping {
    static let dag = DAG(
        "example_mapping", description: "Lists N items and maps a shell task and a Swift task over them", schedule: .manual,
        tags: ["example"],
        params: ["items": Param(5, minimum: 0, maximum: 1024, description: "How many items list_items pushes (0 skips the mapped tasks).")]
    ) {
        let list = TaskDefinition("list_items") { ctx in
            let count = Int(ctx.params["items"]?.doubleValue ?? 5)
            let items = (0..<count).map { "item-\($0)" }
            ctx.log.info("listing \(items.count) items")
            try await ctx.push(items)
        }
        let process = TaskDefinition.shell("process", "echo \"processing {{ map_item }} (instance {{ map_index }})\"").mapped(over: "list_items")
        let measure = TaskDefinition("measure") { ctx in
            let item = ctx.mapItem?.stringValue ?? ""
            try await ctx.push(item.count)
        }.mapped(over: "list_items")
        let report = TaskDefinition("report", triggerRule: .allDone) { ctx in
            let sizes = try await ctx.pullMapped(Int.self, from: "measure")
            ctx.log.info("\(sizes.count) items measured, \(sizes.compactMap { $0 }.reduce(0, +)) characters in all")
        }
        list >> [process, measure]
        [process, measure] >> report
    }
}
