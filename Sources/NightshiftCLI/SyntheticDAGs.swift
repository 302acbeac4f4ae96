import Foundation
package import Workflow

/// DAGs built from a description rather than written out: the scheduler benchmark's chains and fans of `true`, and
/// broken definitions the CLI tests register to check validation. Child processes rebuild them from the same
/// environment variable, so they exist in every process of a run.
package enum SyntheticDAGs {
    /// `NIGHTSHIFT_SYNTHETIC_DAGS`: comma-separated specs, e.g. `chain:50,fan:200,invalid:cycle`.
    package static let environmentKey = "NIGHTSHIFT_SYNTHETIC_DAGS"

    /// Pools the fixtures use, added when a spec is set: `fixture_one_slot` has a single slot.
    package static let pools: [String: Int] = ["fixture_one_slot": 1]

    /// The DAGs for `spec` (an unknown spec yields none).
    package static func dags(for spec: String) -> [DAG] {
        spec.split(separator: ",").compactMap { part -> DAG? in
            let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { return nil }
            switch pieces[0] {
            case "chain": return Int(pieces[1]).map(chain)
            case "fan": return Int(pieces[1]).map(fan)
            case "invalid": return invalid(pieces[1])
            case "fixture": return fixture(pieces[1])
            default: return nil
            }
        }
    }

    /// `bench_chain_N`: N no-op shell tasks, each after the previous.
    package static func chain(_ count: Int) -> DAG {
        DAG("bench_chain_\(count)", description: "benchmark: a chain of \(count) no-op tasks", tags: ["bench"]) {
            let tasks = (1...max(count, 1)).map { TaskDefinition.shell("t\($0)", argv: ["true"]) }
            for (upstream, downstream) in zip(tasks, tasks.dropFirst()) { upstream >> downstream }
            tasks
        }
    }

    /// `bench_fan_N`: N independent no-op shell tasks.
    package static func fan(_ count: Int) -> DAG {
        DAG("bench_fan_\(count)", description: "benchmark: \(count) independent no-op tasks", maxActiveTasks: 10_000, tags: ["bench"]) {
            (1...max(count, 1)).map { TaskDefinition.shell("t\($0)", argv: ["true"]) }
        }
    }

    /// Small DAGs the process-level tests drive through a real scheduler, by name.
    package static func fixture(_ name: String) -> DAG? {
        switch name {
        case "timeout":
            // The try starts a grandchild and hangs; its timeout must kill the whole process group.
            return DAG("fixture_timeout", params: ["pidfile": "/dev/null"]) {
                TaskDefinition.shell("hang", "sleep 300 & echo $! > {{ params.pidfile }}; wait", timeout: .seconds(1))
            }
        case "flaky":
            // Fails its first try, succeeds on the second.
            return DAG("fixture_flaky", retry: .fixed(retries: 2, delay: .milliseconds(200))) {
                TaskDefinition.shell("flaky", "echo try {{ try_number }}; [ {{ try_number }} -ge 2 ]")
            }
        case "killme":
            // Try 1 writes its pid and waits to be killed; try 2 succeeds.
            return DAG("fixture_killme", retry: .fixed(retries: 1, delay: .milliseconds(100)), params: ["pidfile": "/dev/null"]) {
                TaskDefinition.shell(
                    "victim", "if [ {{ try_number }} -eq 1 ]; then echo $PPID > {{ params.pidfile }}; exec sleep 300; fi; echo survived")
            }
        case "forkserver":
            // Each try reports what its process looks like; `crash` kills the fork server it was forked from (the try
            // lives on), and `after` must then be forked from a new one.
            return DAG("fixture_forkserver", params: ["out": "/dev/null"]) {
                let inspect = TaskDefinition.shell(
                    "inspect",
                    """
                    try=$PPID
                    echo "inspect pid=$try pgid=$(ps -o pgid= -p $try | tr -d ' ') server=$(ps -o ppid= -p $try | tr -d ' ')" >> {{ params.out }}
                    echo "inspect server_cmdline=$(tr '\\0' ' ' < /proc/$(ps -o ppid= -p $try | tr -d ' ')/cmdline)" >> {{ params.out }}
                    echo "inspect try_env=$(env | grep -E '^(NS_FORK_SERVER|LD_BIND_NOW|NIGHTSHIFT_TASK_ID|NIGHTSHIFT_TRY_NUMBER)' | sort | tr '\\n' ' ')" >> {{ params.out }}
                    """)
                let crash = TaskDefinition.shell(
                    "crash", "server=$(ps -o ppid= -p $PPID | tr -d ' '); echo \"crash server=$server\" >> {{ params.out }}; kill -9 $server; sleep 0.5; echo survived")
                let after = TaskDefinition.shell(
                    "after", "echo \"after server=$(ps -o ppid= -p $PPID | tr -d ' ')\" >> {{ params.out }}")
                inspect >> crash
                crash >> after
            }
        case "standby":
            // Spawn-ahead: `first` kills the standby waiting beside it (its fork server's other children); `second` must
            // still run, as a fresh process from the same server; `third` names the standby waiting beside it.
            return DAG("fixture_standby", params: ["out": "/dev/null"]) {
                let siblings = """
                    server=$(ps -o ppid= -p $PPID | tr -d ' ')
                    for i in $(seq 1 100); do
                      standby=$(ps -o pid= --ppid $server | tr -d ' ' | grep -vx "$PPID" | tr '\\n' ' ')
                      [ -n "$standby" ] && break; sleep 0.05
                    done
                    """
                let first = TaskDefinition.shell(
                    "first", siblings + "\necho \"first try=$PPID server=$server standby=$standby\" >> {{ params.out }}; kill -9 $standby")
                let second = TaskDefinition.shell(
                    "second", "echo \"second try=$PPID server=$(ps -o ppid= -p $PPID | tr -d ' ')\" >> {{ params.out }}")
                let third = TaskDefinition.shell(
                    "third", siblings + "\necho \"third try=$PPID server=$server standby=$standby\" >> {{ params.out }}")
                first >> second
                second >> third
            }
        case "chatty":
            // Writes `bytes` bytes of output to its log, then "done" (the disk-full tests fill a small log filesystem).
            return DAG("fixture_chatty", params: ["bytes": 100]) {
                TaskDefinition.shell("chatty", "head -c {{ params.bytes }} /dev/zero | tr '\\0' x; echo; echo done")
            }
        case "gated":
            // Waits for a file, then succeeds; retried (the disk-full tests fill the store's disk while it runs).
            return DAG("fixture_gated", retry: .fixed(retries: 3, delay: .milliseconds(200)), params: ["gate": "/dev/null"]) {
                TaskDefinition.shell("wait", "for i in $(seq 1 600); do [ -e {{ params.gate }} ] && exit 0; sleep 0.1; done; exit 1")
            }
        case "runtimeout":
            // A run allowed 2 s: `hang` writes its pid and sleeps; `after` never gets to run.
            return DAG("fixture_runtimeout", runTimeout: .seconds(2), params: ["pidfile": "/dev/null"]) {
                let hang = TaskDefinition.shell("hang", "sleep 300 & echo $! > {{ params.pidfile }}; wait")
                let after = TaskDefinition.shell("after", "echo never")
                hang >> after
            }
        case "sensor", "sensor_poke", "sensor_soft":
            // A file sensor (`params.gate`) and an independent task `other` share a pool of one slot; the sensor goes
            // first (higher weight). In reschedule mode `other` runs while the sensor waits; in poke mode it cannot.
            // `sensor_poke` times out after 3 s (and is not retried), `sensor_soft` after 2 s and skips.
            let mode: SensorMode = name == "sensor_poke" ? .poke : .reschedule
            let timeout: Duration = switch name {
            case "sensor_poke": .seconds(3)
            case "sensor_soft": .seconds(2)
            default: .seconds(120)
            }
            return DAG("fixture_\(name)", params: ["gate": "/nonexistent/gate", "marker": "/dev/null"]) {
                let wait = TaskDefinition.fileSensor(
                    "wait", path: "{{ params.gate }}", every: .milliseconds(500), timeout: timeout, mode: mode, softFail: name == "sensor_soft",
                    retry: .fixed(retries: 2, delay: .zero), pool: "fixture_one_slot", priorityWeight: 10)
                let after = TaskDefinition.shell("after", "echo after")
                wait >> after
                TaskDefinition.shell("other", "date +%s.%N > {{ params.marker }}", pool: "fixture_one_slot")
            }
        case "mapping":
            // `list` pushes 0 … items-1; `work` (shell, retried once) and `square` (Swift) map over it, at most 60; `work`'s
            // instance `fail_index` fails its first try. `total` writes the sum of `square`'s results to HOME/total-RUN.
            return DAG("fixture_mapping", params: ["items": 3, "fail_index": -1]) {
                let list = TaskDefinition("list") { ctx in
                    try await ctx.push(Array(0..<Int(ctx.params["items"]?.doubleValue ?? 0)))
                }
                let work = TaskDefinition.shell(
                    "work",
                    "echo item {{ map_item }}; if [ {{ map_index }} = {{ params.fail_index }} ] && [ {{ try_number }} = 1 ]; then exit 1; fi",
                    retry: .fixed(retries: 1, delay: .zero)
                ).mapped(over: "list", limit: 60)
                let square = TaskDefinition("square") { ctx in
                    let item = Int(ctx.mapItem?.doubleValue ?? -1)
                    try await ctx.push(item * item)
                }.mapped(over: "list", limit: 60)
                let total = TaskDefinition("total", triggerRule: .noneFailed) { ctx in
                    let squares = try await ctx.pullMapped(Int.self, from: "square")
                    let sum = squares.compactMap { $0 }.reduce(0, +)
                    try "\(squares.count) \(sum)".write(
                        to: ctx.homeDirectory!.appendingPathComponent("total-\(ctx.runID)"), atomically: true, encoding: .utf8)
                }
                list >> [work, square]
                [work, square] >> total
            }
        case "asset_producer":
            // Updates `fixture.data` with extra {"rows": 42} (or records no event when `params.skip` is true).
            return DAG("fixture_asset_producer", params: ["skip": false]) {
                TaskDefinition("publish", outlets: ["fixture.data"]) { ctx in
                    if ctx.params["skip"] == .bool(true) {
                        try await ctx.skipAssetEvent("fixture.data", reason: "nothing changed")
                    } else {
                        try await ctx.assetEvent("fixture.data", extra: .object(["rows": .number(42), "by": .string(ctx.runID)]))
                    }
                }
            }
        case "asset_consumer":
            // Runs on `fixture.data`; writes the events that triggered the run to HOME/consumed/RUN.json.
            return DAG("fixture_asset_consumer", schedule: .assets(["fixture.data"])) {
                TaskDefinition("read") { ctx in
                    let events = try await ctx.triggeringAssetEvents()
                    let directory = ctx.homeDirectory!.appendingPathComponent("consumed")
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    let encoder = JSONEncoder()
                    encoder.dateEncodingStrategy = .iso8601
                    try encoder.encode(events).write(to: directory.appendingPathComponent(ctx.runID + ".json"))
                }
            }
        case "notify_dsl":
            // Notifications declared in code: the DAG's for failures, `ok`'s for its success, `bad`'s for its retries and
            // successes. Each appends "RULE EVENT TASK TRY" to notified.txt in the home (a command runs there).
            let line = "echo \"$RULE $NIGHTSHIFT_NOTIFY_EVENT $NIGHTSHIFT_NOTIFY_TASK_ID $NIGHTSHIFT_NOTIFY_TRY_NUMBER\" >> notified.txt"
            return DAG("fixture_notify_dsl", notify: [.command("RULE=dag; " + line)]) {
                TaskDefinition.shell("ok", "true").notify(.command("RULE=ok; " + line, on: [.success]))
                TaskDefinition.shell("bad", "exit 1", retry: .fixed(retries: 1, delay: .zero))
                    .notify(.command("RULE=bad; " + line, on: [.retry, .success]))
            }
        case "redeploy_v1", "redeploy_v2":
            // The redeploy test's two builds of one DAG: `hold` waits for a file; v2 changes `work` and adds `publish`.
            let v2 = name == "redeploy_v2"
            return DAG("fixture_redeploy", params: ["gate": "/dev/null"]) {
                let hold = TaskDefinition.shell(
                    "hold", "for i in $(seq 1 3000); do [ -e {{ params.gate }} ] && exit 0; sleep 0.1; done; exit 1", timeout: .seconds(400))
                let work = TaskDefinition.shell("work", v2 ? "echo work v2" : "echo work v1")
                hold >> work
                if v2 { work >> TaskDefinition.shell("publish", "echo published") }
            }
        default:
            return nil
        }
    }

    /// Definitions validation must reject, by kind.
    package static func invalid(_ kind: String) -> DAG? {
        switch kind {
        case "cycle":
            return DAG("broken_cycle") {
                TaskDefinition.shell("a", "true", after: ["c"])
                TaskDefinition.shell("b", "true", after: ["a"])
                TaskDefinition.shell("c", "true", after: ["b"])
            }
        case "cron":
            return DAG("broken_cron", schedule: .cron("61 * * * *")) { TaskDefinition.shell("a", "true") }
        case "sensor_every":
            return DAG("broken_sensor") {
                TaskDefinition.fileSensor("wait", path: "/tmp/x", every: .minutes(5), timeout: .minutes(1))
            }
        default:
            return nil
        }
    }
}
