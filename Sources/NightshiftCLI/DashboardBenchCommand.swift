import ArgumentParser
import Dashboard
import Foundation
import Logging
import ServiceLifecycle
import Store
import Workflow

extension BenchCommand {
    /// Seeds a temporary home with a long history and times the dashboard's heaviest pages, rendered in-process
    /// (server time: store reads and HTML, without the socket).
    struct DashboardBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dashboard",
            abstract: "Seed N runs of an 8-task DAG (plus the project's DAGs); print median render times of the heaviest pages and of every page and API listing requested over loopback.")
        @Option(help: "Runs of the 8-task DAG to seed.") var runs = 10_000
        @Option(help: "Renders per page; the median is reported.") var `repeat` = 21
        @Option(help: "Keep the seeded home at this path instead of a temporary one (reused when it already holds the runs).")
        var home: String?
        @Option(help: "Entries of a published archive batch to seed (for the public page; 0: none).") var archiveEntries = 24
        @Flag(help: "Print JSON for scripts.") var json = false

        /// The 8-task DAG: a fan-out/fan-in with a chain, like a small ETL.
        static let dag = DAG("bench_dashboard", description: "benchmark: 8 tasks, long history", schedule: .cron("0 * * * *"), tags: ["bench"]) {
            let tasks = (1...8).map { TaskDefinition.shell("task_\($0)", argv: ["true"]) }
            tasks[0] >> [tasks[1], tasks[2], tasks[3]]
            [tasks[1], tasks[2]] >> tasks[4]
            tasks[3] >> tasks[5]
            [tasks[4], tasks[5]] >> tasks[6]
            tasks[6] >> tasks[7]
        }

        func run() async throws {
            guard (1...1_000_000).contains(runs) else { throw CLIError.usage("invalid --runs '\(runs)': use 1 to 1000000") }
            guard `repeat` >= 1 else { throw CLIError.usage("invalid --repeat '\(`repeat`)': must be at least 1") }
            let registry = try CLI.bag()
            let bag = try DAGBag(Array(registry.dags.values) + [Self.dag], pools: registry.pools)
            let root = home.map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightshift-bench-dashboard-\(UUID().uuidString)")
            defer { if home == nil { try? FileManager.default.removeItem(at: root) } }
            let nightshiftHome = NightshiftHome(root)
            let store = try nightshiftHome.openStore()
            try await store.register(bag, now: Date(timeIntervalSince1970: 1_700_000_000))
            let seedStart = Date()
            let existing = try await store.runCount(dagID: Self.dag.id, state: nil)
            if existing < runs { try await store.seedHistory(of: Self.dag, from: existing, to: runs) }
            if archiveEntries > 0, try await store.archiveBatches(limit: 1).isEmpty {
                try await Self.seedArchive(store, entries: archiveEntries)
            }
            let seedSeconds = Date().timeIntervalSince(seedStart)
            let dashboard = try Dashboard(
                configuration: .init(
                    home: nightshiftHome, bag: bag, host: "127.0.0.1", port: 0, passwordIterations: 1,
                    environment: ["NIGHTSHIFT_ADMIN_PASSWORD": "bench"]),
                store: store, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            let pages: [(String, () async throws -> String)] = [
                ("archive_page", { try await dashboard.renderArchivePage() }),
                ("dag_list", { try await dashboard.renderDAGList() }),
                ("dag_page", { try await dashboard.renderDAGPage(dagID: Self.dag.id) }),
                ("dag_page_100_runs", { try await dashboard.renderDAGPage(dagID: Self.dag.id, limit: 100) }),
                ("dag_page_oldest", { try await dashboard.renderDAGPage(dagID: Self.dag.id, limit: 25, offset: max(0, runs - 25)) }),
            ]
            var results: [(String, Double, Int)] = []
            for (name, render) in pages {
                _ = try await render()  // warm caches and statements
                var times: [Double] = []
                var size = 0
                for _ in 0..<`repeat` {
                    let start = ContinuousClock.now
                    size = try await render().utf8.count
                    let elapsed = ContinuousClock.now - start
                    times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                }
                results.append((name, times.sorted()[times.count / 2], size))
            }
            let requests = try await Self.timeRequests(dashboard, store: store, runs: runs, repeat: `repeat`)
            if json {
                CLI.printJSON(.object([
                    "runs": .number(Double(runs)), "tasks_per_run": 8, "repeat": .number(Double(`repeat`)), "seed_s": .number(seedSeconds),
                    "median_ms": .object(Dictionary(uniqueKeysWithValues: results.map { ($0.0, JSONValue.number($0.1)) })),
                    "request_median_ms": .object(Dictionary(uniqueKeysWithValues: requests.map { ($0.0, JSONValue.number($0.1)) })),
                ]))
            } else {
                print(String(
                    format: "store holds %d runs × 8 tasks (seeding took %.1f s); median of %d renders (server time, no socket):", runs,
                    seedSeconds, `repeat`))
                for (name, median, size) in results {
                    let label = name.padding(toLength: 18, withPad: " ", startingAt: 0)
                    print("  " + label + String(format: "%8.2f ms  (%d KB of HTML)", median, size / 1024))
                }
                print("every page and API listing over loopback, logged in (a new connection each; median of \(`repeat`)):")
                for (path, median, size) in requests {
                    print(String(format: "  %8.2f ms  %6d KB  ", median, size / 1024) + path)
                }
            }
        }

        /// Serves the dashboard on a loopback port, logs in through the form and times a GET of every page and API
        /// listing (newest and oldest pages of the long history, the newest run, its task list, a log) end to end.
        static func timeRequests(_ dashboard: Dashboard, store: StateStore, runs: Int, repeat count: Int) async throws -> [(String, Double, Int)] {
            let ready = AsyncStream.makeStream(of: Int.self)
            let app = dashboard.buildApplication { port in ready.continuation.yield(port) }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                defer { group.cancelAll() }
                var iterator = ready.stream.makeAsyncIterator()
                guard let port = await iterator.next() else { throw CLIError.failure("the dashboard did not start") }
                var client = LoopbackHTTP(port: port)
                let form = try client.send("GET", "/login")
                let login = try client.send(
                    "POST", "/login", form: ["csrf": LoopbackHTTP.csrf(in: form.body) ?? "", "username": "admin", "password": "bench", "next": "/dags"])
                guard login.status == 303, client.cookies["nightshift_session"] != nil else {
                    throw CLIError.failure("bench dashboard: logging in failed with status \(login.status)")
                }
                let newest = try await store.runs(dagID: dag.id, limit: 1).first?.runID ?? "none"
                let run = newest.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? newest
                let d = dag.id
                let paths = [
                    "/", "/dags", "/dags/\(d)", "/dags/\(d)?limit=100", "/dags/\(d)?offset=\(max(0, runs - 25))", "/dags/\(d)/trigger",
                    "/dags/\(d)/runs/\(run)", "/dags/\(d)/runs/\(run)/tasks/task_1/tries/1", "/audit", "/health", "/metrics",
                    "/api/v1/dags", "/api/v1/dags/\(d)", "/api/v1/runs", "/api/v1/dags/\(d)/runs?limit=100",
                    "/api/v1/dags/\(d)/runs?limit=100&offset=\(max(0, runs - 100))", "/api/v1/dags/\(d)/runs/\(run)",
                    "/api/v1/dags/\(d)/runs/\(run)/tasks", "/api/v1/dags/\(d)/runs/\(run)/tasks/task_1/tries/1/log",
                    "/api/v1/live/dags", "/api/v1/live/dags/\(d)", "/api/v1/live/dags/\(d)/runs/\(run)",
                ]
                var results: [(String, Double, Int)] = []
                for path in paths {
                    let first = try client.send("GET", path)
                    // A seeded try has no log file: its log request answers 404 with a sentence, which is still a full request.
                    guard first.status == 200 || (path.hasSuffix("/log") && first.status == 404) else {
                        throw CLIError.failure("bench dashboard: GET \(path) answered \(first.status)")
                    }
                    var times: [Double] = []
                    for _ in 0..<count {
                        let start = ContinuousClock.now
                        _ = try client.send("GET", path)
                        let elapsed = ContinuousClock.now - start
                        times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    }
                    results.append((path, times.sorted()[times.count / 2], first.body.utf8.count))
                }
                return results
            }
        }

        /// A published batch of `entries` fake anime with text only (the posters are not drawn: the page is measured,
        /// not the images).
        static func seedArchive(_ store: StateStore, entries: Int) async throws {
            let now = Date()
            let versions = ["titles": "bench-1", "synopses": "bench-1", "posters": "bench-1"]
            let records = (0..<entries).map { index in
                ArchiveEntryRecord(
                    batch: "bench", entry: index, title: "Benchmark Show \(index)",
                    synopsis: String(repeating: "A quiet town, a strange signal and a summer that refuses to end. ", count: 4),
                    poster: "archive/bench/\(index).png", posterDisplay: "archive/bench/\(index)-display.png", seed: Int64(index),
                    modelVersions: versions, snapshotID: String(repeating: "0", count: 64), dagID: "bench_dashboard", runID: "bench", createdAt: now)
            }
            try await store.publishBatch(
                ArchiveBatchRecord(
                    batch: "bench", dagID: "bench_dashboard", runID: "bench", snapshotID: String(repeating: "0", count: 64), modelVersions: versions,
                    entries: entries, createdAt: now),
                entries: records, moveIntoPlace: {})
        }
    }
}
