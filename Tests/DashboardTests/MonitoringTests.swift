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

@Suite struct MonitoringViewTests {
    @Test func everyViewEscapesUserText() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun(logText: "line one\n\(Fixture.xss)\n")
            let (cookie, _) = try await fixture.login(client)
            for uri in ["/dags", "/dags/xss_dag", "/dags/xss_dag/trigger", "/dags/xss_dag/runs/manual__1",
                "/dags/xss_dag/runs/manual__1/tasks/extract/tries/1"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .ok, "\(uri)")
                let html = String(buffer: response.body)
                #expect(!html.contains(Fixture.xss), "\(uri) shows the payload unescaped")
                #expect(html.contains(Fixture.escaped), "\(uri) does not show the payload as text")
                #expect(!html.contains("<script>"), "\(uri) has an inline script")
            }
        }
    }

    @Test func dagListShowsScheduleRunsAndControls() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let (cookie, _) = try await fixture.login(client)
            let html = String(buffer: try await client.execute(uri: "/dags", method: .get, headers: [.cookie: cookie]).body)
            #expect(html.contains("every day at 03:00 UTC"))
            #expect(html.contains("data-key=\"run:manual__1\""))
            #expect(html.contains("/dags/xss_dag/trigger"))
            #expect(html.contains("action=\"/dags/xss_dag/pause\""))
            #expect(html.contains("data-live=\"/api/v1/live/dags\""))
        }
    }

    @Test func dagPageHasGridGraphDurationsAndDefinition() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let (cookie, _) = try await fixture.login(client)
            let html = String(buffer: try await client.execute(uri: "/dags/xss_dag", method: .get, headers: [.cookie: cookie]).body)
            #expect(html.contains("class=\"grid\""))
            #expect(html.contains("href=\"/dags/xss_dag/runs/manual__1/tasks/extract/tries/1\""))
            #expect(html.contains("extract · success · 1 try · 1.50 s"))
            #expect(html.contains("<svg class=\"graph\""))
            #expect(html.contains("class=\"node st-success\""))
            #expect(html.contains("Definition"))
            #expect(html.contains("all_done"))
            #expect(try await client.execute(uri: "/dags/xss_dag?limit=0", method: .get, headers: [.cookie: cookie]).status == .badRequest)
        }
    }

    @Test func runPageShowsInstancesGanttXComMetricsAndActions() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let (cookie, _) = try await fixture.login(client)
            let html = String(buffer: try await client.execute(uri: "/dags/xss_dag/runs/manual__1", method: .get, headers: [.cookie: cookie]).body)
            #expect(html.contains("<svg class=\"gantt\""))
            #expect(html.contains("<svg class=\"metric\""))
            #expect(html.contains("extract · loss"))
            #expect(html.contains("XCom"))
            #expect(html.contains("action=\"/dags/xss_dag/runs/manual__1/clear\""))
            #expect(html.contains("action=\"/dags/xss_dag/runs/manual__1/mark\""))
            #expect(try await client.execute(uri: "/dags/xss_dag/runs/nope", method: .get, headers: [.cookie: cookie]).status == .notFound)
        }
    }

    @Test func tryPageShowsTheLogAndTailsARunningTry() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let at = Date()
            let log = fixture.home.home.logPath(dagID: "xss_dag", runID: "manual__1", taskID: "load", tryNumber: 1)
            try FileManager.default.createDirectory(atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "first\n".write(toFile: log, atomically: true, encoding: .utf8)
            try await fixture.addTry(runID: "manual__1", taskID: "load", logPath: log, state: "running", at: at)
            let (cookie, _) = try await fixture.login(client)
            let html = String(buffer: try await client.execute(uri: "/dags/xss_dag/runs/manual__1/tasks/load/tries/1", method: .get,
                headers: [.cookie: cookie]).body)
            #expect(html.contains("data-running=\"true\""))
            #expect(html.contains("data-tail=\"/api/v1/dags/xss_dag/runs/manual__1/tasks/load/tries/1/log\""))
            let handle = try #require(FileHandle(forWritingAtPath: log))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("second\n".utf8))
            try handle.close()
            let tail = try await client.execute(uri: "/api/v1/dags/xss_dag/runs/manual__1/tasks/load/tries/1/log?offset=6", method: .get,
                headers: [.cookie: cookie])
            let json = try JSONValue.parse(String(buffer: tail.body)).objectValue ?? [:]
            #expect(json["text"] == "second\n")
            #expect(json["next_offset"]?.doubleValue == 13)
            #expect(json["running"] == .bool(true))
            #expect(try await client.execute(uri: "/dags/xss_dag/runs/manual__1/tasks/load/tries/9", method: .get,
                headers: [.cookie: cookie]).status == .notFound)
        }
    }

    @Test func triggerFormValidatesAndCreatesARun() async throws {
        try await Fixture.with { fixture, client in
            let (cookie, csrf) = try await fixture.login(client)
            let form = String(buffer: try await client.execute(uri: "/dags/xss_dag/trigger", method: .get, headers: [.cookie: cookie]).body)
            #expect(form.contains("type=\"number\""))
            #expect(form.contains("type=\"checkbox\""))
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let bad = try await client.execute(
                uri: "/dags/xss_dag/trigger", method: .post, headers: headers, body: Fixture.form(["csrf": csrf, "param.count": "many"]))
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("&#39;many&#39; is not a number"))
            #expect(try await fixture.store.runs(dagID: "xss_dag").isEmpty)
            let good = try await client.execute(
                uri: "/dags/xss_dag/trigger", method: .post, headers: headers, body: Fixture.form(["csrf": csrf, "param.count": "7",
                    "param.name": "x"]))
            #expect(good.status == .seeOther)
            let run = try #require(try await fixture.store.runs(dagID: "xss_dag").first)
            #expect(run.confObject == ["count": 7, "name": "x"])
            #expect(good.headers[.location]?.hasPrefix("/dags/xss_dag/runs/\(run.runID)") == true)
            // The run id (colons, a plus sign) survives the trip through the link and the router.
            let location = try #require(good.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Triggered."))
        }
    }

    @Test func triggerFormFollowsTheDeclaredParams() async throws {
        try await Fixture.with { fixture, client in
            let (cookie, csrf) = try await fixture.login(client)
            let form = String(buffer: try await client.execute(uri: "/dags/xss_dag/trigger", method: .get, headers: [.cookie: cookie]).body)
            #expect(form.contains(#"<input type="number" step="1" min="1" max="5" required id="p-level" name="param.level" value="2">"#))
            #expect(form.contains(#"<select id="p-mode" name="param.mode"><option value="fast" selected>fast</option><option value="slow">slow</option></select>"#))
            #expect(form.contains("How deep \(Fixture.escaped)"), "the description, escaped")
            #expect(form.contains("(integer, 1 to 5, default"))
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            for (field, value, message) in [
                ("param.level", "9", "param &#39;level&#39; must be at most 5, got 9"),
                ("param.count", "2.5", "param &#39;count&#39; must be an integer, got number 2.5"),
                ("param.mode", "lazy", "param &#39;mode&#39; must be one of &quot;fast&quot;, &quot;slow&quot;, got &quot;lazy&quot;"),
            ] {
                let bad = try await client.execute(
                    uri: "/dags/xss_dag/trigger", method: .post, headers: headers, body: Fixture.form(["csrf": csrf, field: value]))
                #expect(bad.status == .badRequest)
                #expect(String(buffer: bad.body).contains(message), "\(field)=\(value)")
            }
            #expect(try await fixture.store.runs(dagID: "xss_dag").isEmpty)
            let good = try await client.execute(
                uri: "/dags/xss_dag/trigger", method: .post, headers: headers,
                body: Fixture.form(["csrf": csrf, "param.level": "4", "param.mode": "slow"]))
            #expect(good.status == .seeOther)
            #expect(try await fixture.store.runs(dagID: "xss_dag").first?.confObject == ["level": 4, "mode": "slow"])
        }
    }

    @Test func clearWithDownstreamAndMarkFromTheRunPage() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            try await fixture.store.writer.write { db in
                try db.execute(sql: "UPDATE task_instances SET state = 'failed' WHERE task_id = 'load'")
                try db.execute(sql: "UPDATE task_instances SET state = 'upstream_failed' WHERE task_id = 'report'")
                try db.execute(sql: "UPDATE dag_runs SET state = 'failed'")
            }
            let (cookie, csrf) = try await fixture.login(client)
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let cleared = try await client.execute(
                uri: "/dags/xss_dag/runs/manual__1/clear", method: .post, headers: headers,
                body: Fixture.form(["csrf": csrf, "task": "load", "downstream": "true"]))
            #expect(cleared.status == .seeOther)
            var states = Dictionary(uniqueKeysWithValues: try await fixture.store.taskInstances(runID: "manual__1").map { ($0.taskID, $0.state) })
            #expect(states == ["extract": .success, "load": .scheduled, "report": .scheduled])
            let marked = try await client.execute(
                uri: "/dags/xss_dag/runs/manual__1/mark", method: .post, headers: headers,
                body: Fixture.form(["csrf": csrf, "task": "load", "state": "success"]))
            #expect(marked.status == .seeOther)
            states = Dictionary(uniqueKeysWithValues: try await fixture.store.taskInstances(runID: "manual__1").map { ($0.taskID, $0.state) })
            #expect(states["load"] == .success)
            #expect(try await fixture.store.run("manual__1")?.state == .running)
            let unknown = try await client.execute(
                uri: "/dags/xss_dag/runs/manual__1/mark", method: .post, headers: headers,
                body: Fixture.form(["csrf": csrf, "task": "nope", "state": "success"]))
            #expect(unknown.status == .notFound)
        }
    }
}
