import Foundation
import Glibc
import NightshiftTesting
import Store
import Testing

@testable import Executor

/// The local executor with an executable that is not a Nightshift binary: its fork server never says it is ready, so
/// every try is started with `posix_spawn` instead, with the same arguments, environment and log. (Tries forked from
/// a real server are tested with the `nightshift` binary in `SchedulerProcessTests`.)
@Suite("Local executor")
struct LocalExecutorTests {
    /// A script that records its arguments and the try's environment, then exits with `code`.
    private func script(in home: TemporaryHome, code: Int32) throws -> String {
        let path = home.path + "/fake-nightshift"
        try """
        #!/bin/sh
        echo "args: $*" >> \(home.path)/calls.txt
        echo "task: $NIGHTSHIFT_TASK_ID try: $NIGHTSHIFT_TRY_NUMBER server: ${NS_FORK_SERVER_FDS:-none}" >> \(home.path)/calls.txt
        echo "to the log"
        exit \(code)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private func launch(_ home: TemporaryHome, task: String, try number: Int = 1) -> TryLaunch {
        TryLaunch(dagID: "d", runID: "r1", taskID: task, tryNumber: number, logPath: home.path + "/logs/\(task)/try-\(number).log", timeout: .seconds(30))
    }

    @Test("A binary that is not a fork server still runs every try, spawned", arguments: LocalExecutor.Launcher.allCases)
    func notAForkServer(_ launcher: LocalExecutor.Launcher) async throws {
        try await withTemporaryHome("local-executor") { home in
            let executable = try script(in: home, code: 0)
            let executor = LocalExecutor(executable: executable, home: home.home, store: try StateStore(), launcher: launcher)
            #expect(await executor.execute(launch(home, task: "a")) == ExecutedTry(observed: .success, exitStatus: 0))
            #expect(await executor.execute(launch(home, task: "b", try: 2)) == ExecutedTry(observed: .success, exitStatus: 0))
            let calls = try String(contentsOfFile: home.path + "/calls.txt", encoding: .utf8).split(separator: "\n").map(String.init)
            let runs = calls.filter { $0.hasPrefix("args: tasks run") }
            #expect(runs == [
                "args: tasks run d a --run r1 --try 1 --home \(home.path)", "args: tasks run d b --run r1 --try 2 --home \(home.path)",
            ])
            #expect(calls.contains("task: b try: 2 server: none"))
            // The refused server is started once, not once per try.
            #expect(calls.filter { $0 == "args: tasks fork-server" }.count == (launcher == .spawn ? 0 : 1))
            #expect(try String(contentsOfFile: home.path + "/logs/a/try-1.log", encoding: .utf8) == "to the log\n")
        }
    }

    @Test("A failing try reports its exit status", arguments: LocalExecutor.Launcher.allCases)
    func failingTry(_ launcher: LocalExecutor.Launcher) async throws {
        try await withTemporaryHome("local-executor") { home in
            let executor = LocalExecutor(executable: try script(in: home, code: 3), home: home.home, store: try StateStore(), launcher: launcher)
            #expect(await executor.execute(launch(home, task: "a")) == ExecutedTry(observed: .failed(exitStatus: 3, error: "task process exit 3"), exitStatus: 3))
        }
    }

    @Test("A log that cannot be created fails the try naming the path", arguments: LocalExecutor.Launcher.allCases)
    func unwritableLog(_ launcher: LocalExecutor.Launcher) async throws {
        try await withTemporaryHome("local-executor") { home in
            let executor = LocalExecutor(executable: try script(in: home, code: 0), home: home.home, store: try StateStore(), launcher: launcher)
            try "a file, not a directory".write(toFile: home.path + "/logs", atomically: true, encoding: .utf8)
            let result = try #require(await executor.execute(launch(home, task: "a")))
            #expect(result.exitStatus == nil)
            guard case .failed(nil, let error) = result.observed else {
                Issue.record("expected a failure without a process, got \(result.observed)")
                return
            }
            #expect(error.contains(home.path + "/logs/a/try-1.log"))
        }
    }
}
