import Foundation
import Hummingbird
import Logging
import NightshiftTesting
import ServiceLifecycle
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Notifications through the real scheduler: a loopback webhook gets one POST per failure with the documented fields;
/// a webhook that never answers does not hold the scheduler; `notify` refuses bad input and `notify test` reports.
@Suite(.serialized) struct NotifyTests {
    /// The bodies a receiver got.
    final class Received: Sendable {
        private let bodies = Mutex<[Data]>([])
        func append(_ body: Data) { bodies.withLock { $0.append(body) } }
        var count: Int { bodies.withLock { $0.count } }
        /// Each body as a JSON object.
        var objects: [[String: Any]] {
            bodies.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? ["unparsed": true] }
        }
    }

    /// A loopback HTTP server that records every POST body to `/hook`.
    static func withReceiver<T: Sendable>(_ body: (String, Received) async throws -> T) async throws -> T {
        let received = Received()
        let router = Router()
        router.post("hook") { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            received.append(Data(buffer.readableBytesView))
            return Response(status: .noContent)
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                let result = try await body("http://127.0.0.1:\(port)/hook", received)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// A TCP port that accepts connections and never answers: a webhook that hangs.
    static func silentListener() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(bound == 0 && listen(fd, 64) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aFailedTaskSendsOnePostWithTheDocumentedFields() async throws {
        try await Self.withReceiver { url, received in
            let cli = try CLIHarness()
            defer { cli.cleanup() }
            let added = try await cli.nightshift("notify", "add", "--on", "failure", "--webhook", url, "--dag", "example_params", "--json")
            #expect(added.exitCode == 0, "\(added.stderr)")
            // A success notification for another DAG must not fire for this one.
            #expect(try await cli.nightshift("notify", "add", "--on", "success", "--webhook", url, "--dag", "example_etl").exitCode == 0)
            let scheduler = try cli.startScheduler()
            let runID = try await cli.trigger("example_params", conf: #"{"fail_task": "sleep_3", "sleep_ms": 0}"#)
            let run = try await cli.waitForRun(runID)
            #expect(run["state"] as? String == "failed")
            let arrived = await eventually(timeout: .seconds(15)) { received.count > 0 }
            #expect(arrived, "the webhook got the failure")
            try await Task.sleep(for: .milliseconds(500))
            await cli.stop(scheduler)
            let posts = received.objects
            #expect(posts.count == 1, "one POST per failure: \(posts)")
            let post = try #require(posts.first)
            #expect(post["event"] as? String == "failure")
            #expect(post["dag_id"] as? String == "example_params")
            #expect(post["run_id"] as? String == runID)
            #expect(post["task_id"] as? String == "sleep_3")
            #expect(post["try_number"] as? Int == 1)
            #expect(post["state"] as? String == "failed")
            #expect((post["error"] as? String)?.isEmpty == false)
            #expect((post["url"] as? String)?.hasPrefix("http://127.0.0.1:8080/dags/example_params/runs/") == true)
            let tail = post["log_tail"] as? [String] ?? []
            #expect(tail.contains { $0.contains("failing on purpose (params.fail_task)") }, "\(tail)")
            #expect(tail.count <= 20)
        }
    }

    @Test func aWebhookThatNeverAnswersDoesNotHoldTheScheduler() async throws {
        let (fd, port) = try Self.silentListener()
        defer { close(fd) }
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        #expect(try await cli.nightshift("notify", "add", "--on", "success", "--webhook", "http://127.0.0.1:\(port)/hook").exitCode == 0)
        let scheduler = try cli.startScheduler()
        // Each of example_etl's five successes sends a POST that waits 10 s per try, 4 tries: 40 s or more each.
        let started = Date()
        let result = try await cli.nightshift("dags", "trigger", "example_etl", "--wait", "--json")
        let took = Date().timeIntervalSince(started)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(took < 30, "the run went on while its notifications hung (\(took) s; one hung delivery alone takes 40 s)")
        #expect(scheduler.process.isRunning)
        // The deliveries were really attempted: connections wait on the silent port.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var connections: [Int32] = []
        let attempted = await eventually(timeout: .seconds(10)) {
            while case let client = accept(fd, nil, nil), client >= 0 { connections.append(client) }
            return !connections.isEmpty
        }
        connections.forEach { _ = close($0) }
        #expect(attempted, "the scheduler tried to deliver")
        await cli.stop(scheduler)
    }

    @Test(arguments: [
        (["--on", "failed", "--webhook", "http://x.example"], "invalid --on 'failed': use one of failure, retry, success, run_timeout"),
        (["--on", "failure", "--webhook", "ftp://x.example"], "invalid --webhook 'ftp://x.example': use an http or https URL"),
        (["--on", "failure"], "give exactly one of --webhook URL and --command CMD"),
        (["--on", "failure", "--webhook", "http://x.example", "--command", "true"], "give exactly one of --webhook URL and --command CMD"),
        (["--on", "failure", "--command", "true", "--format", "slack"], "--format slack is for webhooks"),
        (["--on", "failure", "--webhook", "http://x.example", "--format", "xml"], "invalid --format 'xml': use json or slack"),
        (["--on", "failure", "--webhook", "http://x.example", "--dag", "nope"], "unknown DAG id 'nope'"),
    ])
    func badInputExits2AndAddsNothing(_ arguments: [String], _ message: String) async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let result = try await cli.nightshift(["notify", "add"] + arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try await cli.nightshift("notify", "list", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func listTestAndRemove() async throws {
        try await Self.withReceiver { url, received in
            let cli = try CLIHarness()
            defer { cli.cleanup() }
            #expect(try await cli.nightshift("notify", "add", "--on", "retry", "--webhook", url, "--format", "slack").exitCode == 0)
            let marker = cli.home.path + "/notified"
            #expect(try await cli.nightshift("notify", "add", "--on", "run_timeout", "--command", "echo \"$NIGHTSHIFT_NOTIFY_EVENT\" > \(marker)").exitCode == 0)
            let list = try await cli.nightshift("notify", "list", "--json")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(items.map { $0["on"] as? String } == ["retry", "run_timeout"])
            #expect(items.map { $0["kind"] as? String } == ["webhook", "command"])

            let sent = try await cli.nightshift("notify", "test", "1")
            #expect(sent.exitCode == 0, "\(sent.stderr)")
            let slack = try #require(received.objects.first)
            #expect((slack["text"] as? String)?.hasPrefix("Nightshift: task `sample_task` of `example_dag` failed and will be retried (try 1)") == true)
            #expect(try await cli.nightshift("notify", "test", "2").exitCode == 0)
            #expect(try String(contentsOfFile: marker, encoding: .utf8) == "run_timeout\n")

            #expect(try await cli.nightshift("notify", "remove", "1").exitCode == 0)
            let unknown = try await cli.nightshift("notify", "remove", "1")
            #expect(unknown.exitCode == 2)
            #expect(unknown.stderr.contains("unknown notification id 1; ids: 2"))
            // A receiver that is not there: not delivered, exit 1 with the reason.
            #expect(try await cli.nightshift("notify", "add", "--on", "failure", "--command", "exit 3").exitCode == 0)
            let failed = try await cli.nightshift("notify", "test", "3")
            #expect(failed.exitCode == 1)
            #expect(failed.stderr.contains("notification 3 was not delivered: command exit 3"), "\(failed.stderr)")
            let events = try await cli.nightshift("events", "list", "--json")
            #expect(events.stdout.contains("notify_add") && events.stdout.contains("notify_remove"))
        }
    }

    @Test func notificationsDeclaredInTheDAGAndItsTasksAreSent() async throws {
        let cli = try CLIHarness(synthetic: "fixture:notify_dsl")
        defer { cli.cleanup() }
        let scheduler = try cli.startScheduler()
        let runID = try await cli.trigger("fixture_notify_dsl")
        let run = try await cli.waitForRun(runID, timeout: .seconds(60))
        #expect(run["state"] as? String == "failed")
        let file = cli.home.path + "/notified.txt"
        func lines() -> Set<String> {
            Set(((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        }
        // The DAG's rule (failures) fires for `bad`'s last try only; `ok`'s rule for its success; `bad`'s for its retry.
        let expected: Set<String> = ["ok success ok 1", "bad retry bad 1", "dag failure bad 2"]
        let arrived = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { lines() == expected }
        #expect(arrived, "\(lines())")
        try await Task.sleep(for: .milliseconds(500))
        #expect(lines() == expected, "nothing more: no failure notice for `ok`, no success notice for `bad`")
        let listed = try await cli.nightshift("notify", "list")
        #expect(listed.stdout.contains("DAG fixture_notify_dsl"), "\(listed.stdout)")
        #expect(listed.stdout.contains("retry, success") && listed.stdout.contains("task fixture_notify_dsl.bad"), "\(listed.stdout)")
        await cli.stop(scheduler)
    }
}
