@testable import Dashboard
import Hashing
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NightshiftTesting
import Store
import Testing
import Workflow

@Suite struct FileSafetyTests {
    /// A published batch with one entry whose title and synopsis carry the XSS payload, and a secret next to the archive.
    static func publish(_ fixture: Fixture) async throws {
        let root = fixture.home.url
        let batchDirectory = root.appendingPathComponent("archive/b1")
        try FileManager.default.createDirectory(at: batchDirectory, withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4e, 0x47]).write(to: batchDirectory.appendingPathComponent("0.png"))
        try Data("secret".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: batchDirectory.appendingPathComponent("link.png").path,
            withDestinationPath: root.appendingPathComponent("secret.txt").path)
        let now = Date()
        let entry = ArchiveEntryRecord(
            batch: "b1", entry: 0, title: "Title \(Fixture.xss)", synopsis: "Synopsis \(Fixture.xss)", poster: "archive/b1/0.png",
            posterDisplay: "archive/b1/0.png", seed: 7, modelVersions: ["titles": "v1 \(Fixture.xss)"], snapshotID: "abc123", dagID: "xss_dag",
            runID: "manual__1", createdAt: now)
        try await fixture.store.publishBatch(
            ArchiveBatchRecord(batch: "b1", dagID: "xss_dag", runID: "manual__1", snapshotID: "abc123", modelVersions: ["titles": "v1"],
                entries: 1, createdAt: now),
            entries: [entry], moveIntoPlace: {})
    }

    @Test func archivePageShowsAnEscapedEntryWithLineage() async throws {
        try await Fixture.with { fixture, client in
            try await Self.publish(fixture)
            for uri in ["/", "/?batch=b1&entry=0"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(!html.contains(Fixture.xss))
                #expect(html.contains("Title \(Fixture.escaped)"))
                #expect(html.contains("Synopsis \(Fixture.escaped)"))
                #expect(html.contains("src=\"/archive/b1/0.png\""))
                #expect(html.contains("href=\"/dags/xss_dag/runs/manual__1\""))
                #expect(html.contains("Latest batch"))
            }
            #expect(try await client.execute(uri: "/?batch=b1&entry=9", method: .get).status == .notFound)
            let image = try await client.execute(uri: "/archive/b1/0.png", method: .get)
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
        }
    }

    @Test(arguments: [
        "/archive/../secret.txt", "/archive/b1/../../secret.txt", "/archive/%2e%2e/secret.txt", "/archive/b1/%2E%2E/%2e%2e/secret.txt",
        "/archive/%2e%2e%2fsecret.txt", "/archive/b1/..%2F..%2Fsecret.txt", "/archive//etc/passwd", "/archive/%2Fetc%2Fpasswd",
        "/archive/b1/link.png", "/archive/b1", "/archive/b1/missing.png",
    ])
    func archivePathsOutsideTheRootAre404(_ uri: String) async throws {
        try await Fixture.with { fixture, client in
            try await Self.publish(fixture)
            let response = try await client.execute(uri: uri, method: .get)
            #expect(response.status == .notFound, "\(uri)")
            #expect(!String(buffer: response.body).contains("secret"))
        }
    }

    @Test func logsOutsideTheLogRootAreNotServed() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let outside = fixture.home.url.appendingPathComponent("secret.txt").path
            try "top secret".write(toFile: outside, atomically: true, encoding: .utf8)
            let link = fixture.home.home.logPath(dagID: "xss_dag", runID: "manual__1", taskID: "load", tryNumber: 1)
            try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
            try await fixture.addTry(runID: "manual__1", taskID: "load", logPath: link, state: "failed", at: Date())
            try await fixture.addTry(runID: "manual__1", taskID: "report", logPath: outside, state: "failed", at: Date())
            let (cookie, _) = try await fixture.login(client)
            for task in ["load", "report"] {
                let page = try await client.execute(uri: "/dags/xss_dag/runs/manual__1/tasks/\(task)/tries/1", method: .get,
                    headers: [.cookie: cookie])
                #expect(page.status == .ok)
                #expect(!String(buffer: page.body).contains("top secret"))
                #expect(String(buffer: page.body).contains("No log file for this try"))
                let api = try await client.execute(uri: "/api/v1/dags/xss_dag/runs/manual__1/tasks/\(task)/tries/1/log", method: .get,
                    headers: [.cookie: cookie])
                #expect(api.status == .notFound)
            }
        }
    }

    @Test func attachmentsAreServedOnlyFromInsideTheHome() async throws {
        try await Fixture.with { fixture, client in
            try await fixture.seedRun()
            let directory = fixture.home.url.appendingPathComponent("artifacts")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data([0x89, 0x50, 0x4e, 0x47]).write(to: directory.appendingPathComponent("sheet.png"))
            for (name, path) in [("sheet", "artifacts/sheet.png"), ("escape", "../../etc/passwd"), ("absolute", "/etc/passwd")] {
                try await fixture.store.addAttachment(AttachmentRecord(
                    dagID: "xss_dag", runID: "manual__1", taskID: "extract", tryNumber: 1, name: name, path: path, mediaType: "image/png",
                    createdAt: Date()))
            }
            let ids = try await fixture.store.attachments(runID: "manual__1").map { $0.id! }
            let (cookie, _) = try await fixture.login(client)
            let page = String(buffer: try await client.execute(uri: "/dags/xss_dag/runs/manual__1", method: .get, headers: [.cookie: cookie]).body)
            #expect(page.contains("<img class=\"attachment\" src=\"/dags/xss_dag/runs/manual__1/attachments/\(ids[0])\""))
            let good = try await client.execute(uri: "/dags/xss_dag/runs/manual__1/attachments/\(ids[0])", method: .get, headers: [.cookie: cookie])
            #expect(good.status == .ok)
            #expect(good.headers[.contentType] == "image/png")
            for id in ids.dropFirst() + [999] {
                let response = try await client.execute(uri: "/dags/xss_dag/runs/manual__1/attachments/\(id)", method: .get,
                    headers: [.cookie: cookie])
                #expect(response.status == .notFound, "attachment \(id)")
            }
            #expect(try await client.execute(uri: "/dags/xss_dag/runs/manual__1/attachments/\(ids[0])", method: .get).status == .seeOther)
        }
    }

    @Test func resolveRejectsTraversalSegments() throws {
        let root = URL(fileURLWithPath: "/tmp")
        for segments in [[".."], ["%2e%2e"], ["a", "..", "b"], ["%2Fetc"], [""], ["."], ["a%00b"]] {
            #expect(SafeFiles.resolve(root: root, segments: segments.map { Substring($0) }) == nil, "\(segments)")
        }
    }
}

@Suite struct SecurityUnitTests {
    @Test func sha256AndPBKDF2MatchPublishedVectors() {
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array(String(repeating: "a", count: 1000).utf8)
        #expect(SHA256.hash(long).hex == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // RFC 7914 §11 / RFC 6070-style vectors for PBKDF2-HMAC-SHA-256.
        #expect(SHA256.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 1).hex
            == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        #expect(SHA256.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096).hex
            == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        // RFC 4231 test case 2 for HMAC-SHA-256.
        #expect(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hex
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func credentialsAreGeneratedOnceStoredHashedAndPrivate() throws {
        let home = try TemporaryHome("credentials")
        defer { home.remove() }
        let directory = home.url.appendingPathComponent("dashboard")
        let (first, announcement) = try AdminCredentials.load(directory: directory, environment: [:], iterations: 10)
        let password = try #require(announcement.password)
        let token = try #require(announcement.token)
        #expect(first.checkPassword(password))
        #expect(!first.checkPassword(password + "x"))
        #expect(first.checkToken(token))
        let file = directory.appendingPathComponent("admin.json").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains(password))
        #expect(!text.contains(token))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        let (second, again) = try AdminCredentials.load(directory: directory, environment: [:], iterations: 10)
        #expect(again.password == nil && again.token == nil)
        #expect(second.checkPassword(password))
        let (third, _) = try AdminCredentials.load(directory: directory, environment: ["NIGHTSHIFT_ADMIN_PASSWORD": "new one"], iterations: 10)
        #expect(third.checkPassword("new one"))
        #expect(!third.checkPassword(password))
    }

    @Test func loginTargetsStayOnTheSite() {
        #expect(Dashboard.localTarget("/dags/x?y=1") == "/dags/x?y=1")
        #expect(Dashboard.localTarget("//evil.example") == "/dags")
        #expect(Dashboard.localTarget("https://evil.example") == "/dags")
        #expect(Dashboard.localTarget("/\\evil.example") == "/dags")
        #expect(Dashboard.localTarget(nil) == "/dags")
    }

    @Test func graphLayoutPutsTasksInLayersByLongestPath() {
        let layout = GraphLayout(
            tasks: [("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["b", "c"]), ("e", ["a", "d"])], order: ["a", "b", "c", "d", "e"])
        let x = Dictionary(uniqueKeysWithValues: layout.nodes.map { ($0.id, $0.x) })
        #expect(x["a"]! < x["b"]!)
        #expect(x["b"] == x["c"])
        #expect(x["c"]! < x["d"]!)
        #expect(x["d"]! < x["e"]!)
        #expect(layout.edges.count == 6)
    }
}
