import CForkServer
import Foundation
import Store
import Synchronization
import Workflow

/// What a warm fork server does once, on its only thread, before it forks tries: everything a try's process would
/// otherwise do first for itself. Each child inherits the result (copy-on-write), so its own start is what is left:
/// the concurrency runtime, its store connection, its task.
///
/// Nothing here may start a thread: the server checks that it still has exactly one before it serves, and refuses
/// (its tries are then spawned) if not.
enum ForkServerWarmUp {
    static func run() {
        let environment = ProcessInfo.processInfo.environment
        // The DAG list, built by main.swift before it called Nightshift.main, validated once: a try finds it validated.
        _ = try? CLI.bag()
        // Conf parsing, timestamps (time zone data), log lines and paths, as a try's first steps use them. Not the
        // store: opening a GRDB connection starts a dispatch thread.
        let home = NightshiftHome.resolve(nil, environment: environment)
        _ = try? JSONValue.parse(#"{"params": {"region": "eu", "count": 3, "ratio": 0.5, "on": true, "none": null, "list": [1, "a"]}}"#)
        _ = String(format: "%.3f", 0.25)
        TaskLogger.standardOutput.info("fork server warmed up")  // the server's stdout is /dev/null
        _ = home.scratchDirectory(dagID: "dag", runID: "run", taskID: "task", tryNumber: 1).path
        _ = home.logPath(dagID: "dag", runID: "run", taskID: "task", tryNumber: 1)
    }

    /// A standby (spawn-ahead): a child forked before any try asked for it. Opens the store of the server's home (which
    /// starts GRDB's threads, as the server itself may not) and runs through the reads a try's claim makes, then waits
    /// until the server assigns it a try (on this cooperative thread: nothing else runs in this process meanwhile); the
    /// try's `tasks run` takes that connection (``standbyStore(for:)``) instead of opening its own.
    static func standBy() async {
        let home = NightshiftHome.resolve(nil, environment: ProcessInfo.processInfo.environment)
        if let store = try? home.openStore(singleConnection: true) {
            try? await store.warmUpForTries()
            prepared.withLock { $0 = (home.databasePath, store) }
        }
        _ = ns_fork_server_await_assignment()
    }

    private static let prepared = Mutex<(path: String, store: StateStore)?>(nil)

    /// The connection a standby opened ahead, when it is to the database of `home` (taken once), else nil.
    static func standbyStore(for home: NightshiftHome) -> StateStore? {
        prepared.withLock { prepared in
            guard let (path, store) = prepared, path == home.databasePath else { return nil }
            prepared = nil
            return store
        }
    }

    /// The arguments (after `argv[0]`) the server forked this process with.
    static func childArguments() -> [String] {
        var count: Int32 = 0
        guard let argv = ns_fork_server_child_arguments(&count) else { return [] }
        return (1..<Int(max(count, 1))).compactMap { argv[$0].map { String(cString: $0) } }
    }
}
