public import Foundation

/// The Nightshift home directory: `nightshift.db`, `logs/DAG/RUN/TASK/try-N.log`, `scratch/…` and (later) artifacts.
///
/// Chosen by `--home`, else `NIGHTSHIFT_HOME`, else `./.nightshift`.
public struct NightshiftHome: Sendable, Hashable {
    /// The absolute root directory.
    public let root: URL

    public init(_ root: URL) { self.root = root.standardizedFileURL }

    /// Resolves the home from an explicit path, the environment, or the default.
    public static func resolve(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> NightshiftHome {
        let path = explicit ?? environment["NIGHTSHIFT_HOME"] ?? ".nightshift"
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return NightshiftHome(URL(fileURLWithPath: path, relativeTo: cwd).absoluteURL)
    }

    /// The SQLite database.
    /// `file`'s path relative to the home when it lies inside it, else its absolute path.
    public func relativePath(of file: URL) -> String {
        let rootPath = root.resolvingSymlinksInPath().path
        let filePath = file.standardizedFileURL.resolvingSymlinksInPath().path
        if filePath.hasPrefix(rootPath + "/") { return String(filePath.dropFirst(rootPath.count + 1)) }
        return filePath
    }

    public var databasePath: String { root.appendingPathComponent("nightshift.db").path }

    /// The log file of one try.
    public func logPath(dagID: String, runID: String, taskID: String, tryNumber: Int) -> String {
        root.appendingPathComponent("logs").appendingPathComponent(dagID).appendingPathComponent(runID)
            .appendingPathComponent(taskID).appendingPathComponent("try-\(tryNumber).log").path
    }

    /// The scratch directory of one try.
    public func scratchDirectory(dagID: String, runID: String, taskID: String, tryNumber: Int) -> URL {
        root.appendingPathComponent("scratch").appendingPathComponent(dagID).appendingPathComponent(runID)
            .appendingPathComponent(taskID).appendingPathComponent("try-\(tryNumber)")
    }

    /// Opens the home's store, creating the directory and the database as needed.
    /// - Parameter singleConnection: for short-lived processes; see ``StateStore/init(path:busyTimeout:singleConnection:)``.
    public func openStore(singleConnection: Bool = false) throws -> StateStore {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return try StateStore(path: databasePath, singleConnection: singleConnection)
    }
}
