@testable import Dashboard
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NightshiftTesting
import Store
import Testing
import Workflow

/// A dashboard over a fresh home and file store, with a DAG whose texts carry an XSS payload.
struct Fixture: Sendable {
    static let xss = "<script>alert(1)</script>"
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    static let password = "correct horse battery"
    static let token = "ns_test_token_0123456789"

    static let dag = DAG(
        "xss_dag", description: "Loads rows \(xss)", schedule: .cron("0 3 * * *"), retry: .fixed(retries: 2, delay: .seconds(5)),
        tags: ["demo"],
        params: [
            "name": .string(xss), "count": 3, "flag": true, "level": Param(2, minimum: 1, maximum: 5, description: "How deep \(xss)"),
            "mode": Param("fast", oneOf: ["fast", "slow"]),
        ]
    ) {
        let a = TaskDefinition("extract") { _ in }
        let b = TaskDefinition.shell("load", "echo loading", timeout: .seconds(30))
        let c = TaskDefinition("report", triggerRule: .allDone) { _ in }
        a >> b
        b >> c
    }

    let home: TemporaryHome
    let store: StateStore
    let dashboard: Dashboard

    /// Runs `body` with the router-mode test client of a fresh dashboard.
    static func with(
        pages: [DashboardPage] = [], _ body: @escaping @Sendable (Fixture, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withTemporaryHome("dashboard") { home in
            let store = try home.home.openStore()
            let bag = try DAGBag([dag])
            try await store.register(bag, now: Date())
            let dashboard = try Dashboard(
                configuration: .init(
                    home: home.home, bag: bag, passwordIterations: 50,
                    environment: ["NIGHTSHIFT_ADMIN_PASSWORD": password, "NIGHTSHIFT_API_TOKEN": token], pages: pages),
                store: store)
            let fixture = Fixture(home: home, store: store, dashboard: dashboard)
            let app = Application(router: dashboard.buildRouter())
            try await app.test(.router) { client in try await body(fixture, client) }
        }
    }

    /// A run of the fixture DAG with an XCom, a metric series and a finished try with a log file.
    @discardableResult
    func seedRun(_ runID: String = "manual__1", logText: String = "hello from the log\n") async throws -> DAGRunRecord {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let run = try await store.createRun(
            of: Self.dag, runID: runID, logicalDate: at, interval: DateInterval(start: at, end: at), type: .manual, conf: [:], actor: "test", now: at)
        let log = home.home.logPath(dagID: Self.dag.id, runID: runID, taskID: "extract", tryNumber: 1)
        try FileManager.default.createDirectory(atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try logText.write(toFile: log, atomically: true, encoding: .utf8)
        try await addTry(runID: runID, taskID: "extract", logPath: log, state: "success", at: at)
        try await store.pushXCom(dagID: Self.dag.id, runID: runID, taskID: "extract", key: "rows", json: JSONValue.string(Self.xss).jsonText, now: at)
        for step in 0..<5 {
            try await store.recordMetric(TaskMetricRecord(
                dagID: Self.dag.id, runID: runID, taskID: "extract", tryNumber: 1, name: "loss", step: step, value: 1 / Double(step + 1),
                recordedAt: at.timeIntervalSince1970))
        }
        return run
    }

    /// Inserts a try row and moves the instance to `state` (what the scheduler and the child would have written).
    func addTry(runID: String, taskID: String, logPath: String, state: String, at: Date) async throws {
        try await store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO task_tries (dag_id, run_id, task_id, try_number, state, host, start_date, end_date, duration_s, exit_status, log_path)
                    VALUES (?, ?, ?, 1, ?, 'test', ?, ?, 1.5, 0, ?)
                    """,
                arguments: [Self.dag.id, runID, taskID, state, at.timeIntervalSince1970, at.timeIntervalSince1970 + 1.5, logPath])
            try db.execute(
                sql: "UPDATE task_instances SET state = ?, try_number = 1, start_date = ?, end_date = ? WHERE run_id = ? AND task_id = ?",
                arguments: [state, at.timeIntervalSince1970, at.timeIntervalSince1970 + 1.5, runID, taskID])
        }
    }

    /// Logs in through the form: returns the session cookie header and the session's CSRF token.
    func login(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let form = try await client.execute(uri: "/login", method: .get)
        let loginCookie = try #require(Self.cookie(form, named: "nightshift_login"))
        let csrf = try #require(Self.hiddenCSRF(String(buffer: form.body)))
        let body = "csrf=\(csrf)&password=\(Self.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&next=%2Fdags"
        let response = try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "nightshift_login=\(loginCookie)"],
            body: ByteBuffer(string: body))
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/dags")
        let session = try #require(Self.cookie(response, named: "nightshift_session"))
        let page = try await client.execute(uri: "/dags", method: .get, headers: [.cookie: "nightshift_session=\(session)"])
        let token = try #require(Self.hiddenCSRF(String(buffer: page.body)))
        return ("nightshift_session=\(session)", token)
    }

    static func cookie(_ response: TestResponse, named name: String) -> String? {
        for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    static func hiddenCSRF(_ html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let token = html[range.upperBound...].prefix { $0 != "\"" }
        return token.isEmpty ? nil : String(token)
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        return ByteBuffer(string: fields.map { "\(encode($0.key))=\(encode($0.value))" }.joined(separator: "&"))
    }

    /// The `{"error": {"message": …}}` of a JSON error response.
    static func errorMessage(_ response: TestResponse) throws -> String? {
        try JSONValue.parse(String(buffer: response.body)).objectValue?["error"]?.objectValue?["message"]?.stringValue
    }
}

