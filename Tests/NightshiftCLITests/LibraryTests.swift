import Foundation
import NightshiftTesting
import Testing
import Workflow
@testable import NightshiftCLI

/// Nightshift as a library: the entry point over a DAG list handed in, and `init`'s starter package.
@Suite(.serialized) struct LibraryTests {
    @Test func emptyDAGListSaysSo() async throws {
        CommandEnvironment.install(.init(dags: [], pools: [:], extensions: [], commandName: "my-jobs"))
        let error = #expect(throws: CLIError.self) { try CLI.bag() }
        #expect(error?.exitCode == 1)
        #expect(error?.message.hasPrefix("no DAGs: the list handed to Nightshift.main(dags:) is empty") == true)
        #expect(await Nightshift.run(["dags", "list", "--home", NSTemporaryDirectory() + "nightshift-empty-\(UUID())"]) == 1)
    }

    @Test func invalidUserDAGListsFailAtStartNamingTheDAG() async throws {
        let good = DAG("mine") { TaskDefinition.shell("a", "true") }
        let cases: [([DAG], String)] = [
            ([good, DAG("mine") { TaskDefinition.shell("b", "true") }], "invalid DAG definition: DAG 'mine'"),
            ([DAG("loop") {
                TaskDefinition.shell("a", "true", after: ["b"])
                TaskDefinition.shell("b", "true", after: ["a"])
            }], "invalid DAG definition: DAG 'loop': cycle"),
            ([DAG("late", schedule: .cron("0 25 * * *")) { TaskDefinition.shell("a", "true") }], "invalid DAG definition: DAG 'late'"),
        ]
        for (dags, message) in cases {
            CommandEnvironment.install(.init(dags: dags, pools: [:], extensions: [], commandName: "my-jobs"))
            let error = #expect(throws: CLIError.self) { try CLI.bag() }
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
            #expect(await Nightshift.run(["runs", "list", "--home", NSTemporaryDirectory() + "nightshift-bad-\(UUID())"]) == 1)
        }
        CommandEnvironment.install(.init(dags: [good], pools: [:], extensions: [], commandName: "my-jobs"))
        #expect(try CLI.bag().ids == ["mine"])
    }

    @Test func moduleNamesFromPackageNames() throws {
        #expect(try InitCommand.moduleName(for: "my-jobs") == "MyJobs")
        #expect(try InitCommand.moduleName(for: "nightly_reports2") == "NightlyReports2")
        #expect(throws: CLIError.self) { try InitCommand.moduleName(for: "9lives") }
        #expect(throws: CLIError.self) { try InitCommand.moduleName(for: "---") }
    }

    @Test func initWritesAStarterPackageAgainstThisCheckout() async throws {
        try await withTemporaryHome("init") { home in
            let target = home.url.appendingPathComponent("my-jobs").path
            let result = try await CommandRunner.nightshift(["init", target])
            #expect(result.exitCode == 0, "\(result.stderr)")
            let manifest = try String(contentsOfFile: target + "/Package.swift", encoding: .utf8)
            let checkout = try #require(InitCommand.checkoutOfThisBinary(), "the test binary is built inside the checkout")
            #expect(manifest.contains(".package(path: \"\(checkout.path)\")"))
            #expect(manifest.contains(".product(name: \"NightshiftCLI\", package: \"\(checkout.lastPathComponent.lowercased())\")"))
            #expect(manifest.contains(".executable(name: \"my-jobs\", targets: [\"MyJobs\"])"))
            for file in ["Sources/MyJobs/MyJobs.swift", "Sources/MyJobs/main.swift", "Tests/MyJobsTests/MyJobsTests.swift", ".gitignore"] {
                #expect(FileManager.default.fileExists(atPath: target + "/" + file), "\(file)")
            }
            #expect(try String(contentsOfFile: target + "/Sources/MyJobs/main.swift", encoding: .utf8)
                .contains("\nNightshift.main(dags: MyJobs.dags, pools: MyJobs.pools)"))
            #expect(result.stdout.contains("swift run my-jobs standalone"))

            // A second init into the same, now non-empty, directory writes nothing and says why.
            let again = try await CommandRunner.nightshift(["init", target])
            #expect(again.exitCode == 2)
            #expect(again.stderr.contains("'\(target)' already exists and is not an empty directory"))
            let badPath = try await CommandRunner.nightshift(["init", home.url.appendingPathComponent("other").path, "--nightshift-path", "/tmp"])
            #expect(badPath.exitCode == 2)
            #expect(badPath.stderr.contains("invalid --nightshift-path '/tmp': no Nightshift Package.swift at /tmp"))
            let url = try await CommandRunner.nightshift(["init", home.url.appendingPathComponent("by-url").path, "--nightshift-url",
                                                          "https://git.example.org/team/nightshift.git", "--from", "1.2.0"])
            #expect(url.exitCode == 0, "\(url.stderr)")
            let byURL = try String(contentsOfFile: home.url.appendingPathComponent("by-url/Package.swift").path, encoding: .utf8)
            #expect(byURL.contains(".package(url: \"https://git.example.org/team/nightshift.git\", from: \"1.2.0\")"))
            #expect(byURL.contains("package: \"nightshift\""))
        }
    }

    @Test func dagsCheckPrintsFingerprintsAndRejectsABrokenList() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanup() }
        let ok = try await cli.nightshift("dags", "check", "--json")
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [[String: String]])
        #expect(rows.map { $0["dag_id"] } == ["anime_nightly", "anime_scrape", "example_etl", "example_mapping", "example_params", "example_sensor"])
        #expect(rows.allSatisfy { ($0["fingerprint"] ?? "").count >= 8 })
        #expect(!FileManager.default.fileExists(atPath: cli.home.path + "/nightshift.db"), "check touches no state")
        let broken = try await CommandRunner.nightshift(["dags", "check"], environment: cli.environment.merging(
            ["NIGHTSHIFT_SYNTHETIC_DAGS": "invalid:cycle"]) { _, new in new })
        #expect(broken.exitCode == 1)
        #expect(broken.stderr.contains("invalid DAG definition: DAG 'broken_cycle': cycle"), "\(broken.stderr)")
    }
}
