import Foundation

/// The files `nightshift init` writes: a package whose executable runs the whole Nightshift CLI over its own DAGs.
struct StarterTemplate {
    enum Dependency {
        case path(String)
        case url(String, from: String)

        /// How SwiftPM names the dependency in `.product(name:package:)`: the last path component.
        var identity: String {
            switch self {
            case .path(let path): return URL(fileURLWithPath: path).lastPathComponent.lowercased()
            case .url(let url, _):
                var last = URL(string: url)?.lastPathComponent ?? url
                if last.hasSuffix(".git") { last.removeLast(4) }
                return last.lowercased()
            }
        }

        var packageLine: String {
            switch self {
            case .path(let path): return ".package(path: \(Self.quoted(path)))"
            case .url(let url, let from): return ".package(url: \(Self.quoted(url)), from: \(Self.quoted(from)))"
            }
        }

        var summary: String {
            switch self {
            case .path(let path): return "at \(path)"
            case .url(let url, let from): return "from \(url) \(from)"
            }
        }

        static func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
    }

    let name: String
    let module: String
    let dependency: Dependency

    var files: [(path: String, text: String)] {
        [
            ("Package.swift", packageManifest),
            (".gitignore", ".build/\n.nightshift/\nPackage.resolved\n"),
            ("Sources/\(module)/\(module).swift", dagsFile),
            ("Sources/\(module)/main.swift", mainFile),
            ("Tests/\(module)Tests/\(module)Tests.swift", testFile),
        ]
    }

    var packageManifest: String {
        let package = Dependency.quoted(dependency.identity)
        return """
            // swift-tools-version:6.1
            import PackageDescription

            let package = Package(
                name: "\(name)",
                platforms: [.macOS(.v15)],
                products: [.executable(name: "\(name)", targets: ["\(module)"])],
                dependencies: [\(dependency.packageLine)],
                targets: [
                    // The executable is the whole Nightshift CLI over this package's DAGs; each task try runs as a child
                    // process of it. Add `.product(name: "FakeAnimeDAGs", package: \(package))` to run the anime pipeline too.
                    .executableTarget(
                        name: "\(module)",
                        dependencies: [
                            .product(name: "Workflow", package: \(package)),
                            .product(name: "NightshiftCLI", package: \(package)),
                        ]),
                    .testTarget(
                        name: "\(module)Tests",
                        dependencies: [
                            "\(module)",
                            .product(name: "Workflow", package: \(package)),
                            .product(name: "NightshiftTesting", package: \(package)),
                        ]),
                ]
            )

            """
    }

    var dagsFile: String {
        """
        import Foundation
        import Workflow

        /// This package's DAGs and pools. Add a DAG here and to `dags`; `swift run \(name) dags list` shows them.
        enum \(module) {
            /// Greets in a shell task, counts the words in a Swift task (XCom and a metric), then reports whatever happened.
            static let hello = DAG(
                "hello_nightly", description: "A shell task and a Swift task passing an XCom value, with a retry and a timeout",
                schedule: .cron("0 3 * * *"), retry: .fixed(retries: 1, delay: .seconds(5)), executionTimeout: .seconds(600),
                tags: ["starter"], params: ["name": "world"]
            ) {
                let greet = TaskDefinition.shell("greet", "echo 'hello {{ params.name }} on {{ ds }}' | tee greeting.txt")
                let count = TaskDefinition("count", timeout: .seconds(60)) { ctx in
                    let name = ctx.params["name"]?.stringValue ?? "world"
                    let words = "hello \\(name)".split(separator: " ").count
                    ctx.log.info("the greeting has \\(words) words")
                    try await ctx.push(words, key: "words")
                    try await ctx.record("words", step: 0, value: Double(words))
                }
                let report = TaskDefinition("report", triggerRule: .allDone) { ctx in
                    let words = try await ctx.pull(Int.self, from: "count", key: "words") ?? 0
                    ctx.log.info("report for \\(ctx.dagID) run \\(ctx.runID): \\(words) words")
                }
                greet >> count
                count >> report
            }

            static let dags: [DAG] = [hello]

            /// Named pools with their slot counts; tasks without a pool share `default`.
            static let pools: [String: Int] = [:]
        }

        """
    }

    var mainFile: String {
        """
        import NightshiftCLI

        // Every Nightshift command over this package's DAGs: standalone, scheduler, serve, dags, runs, tasks, schedule, db.
        // Called without `await`: the scheduler then forks each task try from a warm copy of this binary.
        Nightshift.main(dags: \(module).dags, pools: \(module).pools)

        """
    }

    var testFile: String {
        """
        import NightshiftTesting
        import Testing
        import Workflow
        @testable import \(module)

        @Suite struct \(module)Tests {
            @Test func helloNightlyRunsToSuccess() async throws {
                let run = try await DAGTester.run(\(module).hello, conf: ["name": "night shift"])
                #expect(run.state == .success)
                #expect(run.states == ["greet": .success, "count": .success, "report": .success])
                #expect(try await run.xcom(Int.self, task: "count", key: "words") == 3)
                #expect(try run.log(of: "greet").contains("hello night shift on"))
                #expect(try run.log(of: "report").contains("3 words"))
            }

            @Test func countAloneUsesTheDefaultParam() async throws {
                let run = try await DAGTester.runTask("count", of: \(module).hello)
                #expect(run.states["count"] == .success)
                #expect(try await run.xcom(Int.self, task: "count", key: "words") == 2)
                #expect(try await run.metric("words", task: "count") == [0: 2])
            }
        }

        """
    }
}
