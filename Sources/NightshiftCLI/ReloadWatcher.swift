import Foundation
import Logging
import ServiceLifecycle
import Store
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Notices that the scheduler's binary was rebuilt (or a SIGHUP, which `scheduler --reload` sends) and asks the process
/// to re-execute itself. The new image is the same process: the tries that are running stay its children, and it adopts
/// them at start exactly as after a crash, so a redeploy loses no run. A new build is checked first (`dags check`
/// must pass): a build whose DAG list is invalid is refused with the reason, and the running definition stays.
final class ReloadWatcher: Service, Sendable {
    let executable: String
    let home: NightshiftHome
    let logger: Logger
    /// How often the binary's file is looked at.
    let interval: Duration
    /// The binary's identity when this process started it: anything else at the path is a new build.
    let original: [Int]?
    private let state = Mutex<(reason: String?, onReload: (@Sendable () async -> Void)?)>((nil, nil))

    /// - Parameter original: the identity of `executable` read as early as possible in the process (a build that lands
    ///   between the start and this read would otherwise be taken for the running one).
    init(executable: String, original: [Int]?, home: NightshiftHome, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.executable = executable
        self.original = original
        self.home = home
        self.logger = logger
        self.interval = interval
    }

    /// Called once when a reload is decided (the runner shuts the service group down, leaving tries running).
    var onReload: (@Sendable () async -> Void)? {
        get { state.withLock { $0.onReload } }
        set { state.withLock { $0.onReload = newValue } }
    }

    /// Why the process should re-execute itself, once it should.
    var reloadReason: String? { state.withLock { $0.reason } }

    /// The path this process was started by, made absolute: what it re-executes and what it watches for a new build.
    /// The invoked path rather than `/proc/self/exe`, so a deploy that swaps a symlink (`current -> releases/v2/my-jobs`)
    /// is seen as a new build; `/proc/self/exe` (less " (deleted)" after a rebuild replaced the file) when the process was
    /// started through `PATH`.
    static let executablePath: String = {
        let invoked = CommandLine.arguments.first ?? ""
        if invoked.contains("/") {
            return URL(fileURLWithPath: invoked, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL.path
        }
        var path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? invoked
        if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
        return path
    }()

    /// The identity of a file's current contents: device, inode, size and modification time.
    static func identity(of path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
    }

    func run() async throws {
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler { [self] in
            Task { await self.requestReload(reason: "SIGHUP") }
        }
        hangup.resume()
        defer { hangup.cancel() }
        var candidate: [Int]?
        var refused: [Int]?
        while !Task.isCancelled, !Task.isShuttingDownGracefully, reloadReason == nil {
            try? await Task.sleep(for: interval)
            guard let now = Self.identity(of: executable), now != original, now != refused else {
                candidate = nil
                continue
            }
            // Wait until the file has stopped changing (the linker is done) before trying it.
            guard now == candidate else {
                candidate = now
                continue
            }
            if let problem = await Self.check(executable: executable, home: home) {
                logger.error("New build refused; the running definition stays", metadata: ["binary": "\(executable)", "reason": "\(problem)"])
                refused = now
                continue
            }
            await requestReload(reason: "a new build of \(executable)")
        }
        // Returning before the group has begun its shutdown would count as a service failing: wait for it.
        try? await gracefulShutdown()
    }

    func requestReload(reason: String) async {
        let callback = state.withLock { current -> (@Sendable () async -> Void)? in
            guard current.reason == nil else { return nil }
            current.reason = reason
            return current.onReload
        }
        guard let callback else { return }
        logger.info("Reloading: leaving running tries for the new image to adopt", metadata: ["reason": "\(reason)"])
        await callback()
    }

    /// Runs `EXECUTABLE dags check` and returns what is wrong with the build, or nil when it can take over.
    static func check(executable: String, home: NightshiftHome) async -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["dags", "check", "--home", home.root.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return "cannot run it: \(error)"
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return "`dags check` exited \(process.terminationStatus): \(text)"
        }
        return nil
    }

    /// Replaces this process's image with `executable` and the same arguments. Returns only if `execv` failed.
    static func reexec(executable: String, reason: String, logger: Logger) {
        logger.info("Re-executing", metadata: ["binary": "\(executable)", "reason": "\(reason)"])
        setenv("NIGHTSHIFT_RELOADED_BECAUSE", reason, 1)
        let arguments = [executable] + CommandLine.arguments.dropFirst()
        var pointers = arguments.map { strdup($0) }
        pointers.append(nil)
        execv(executable, pointers)
        for pointer in pointers { free(pointer) }
    }

    /// Sends SIGHUP to the scheduler whose heartbeat the store holds; returns its pid.
    static func requestReload(store: StateStore, home: NightshiftHome) async throws -> Int32 {
        guard let beat = try await store.lastHeartbeat() else {
            throw CLIError.failure("no scheduler has run on \(home.root.path): nothing to reload")
        }
        let age = Date().timeIntervalSince(beat.at)
        guard age < 30, kill(beat.pid, 0) == 0 else {
            throw CLIError.failure(
                "no scheduler is running on \(home.root.path): the last one (pid \(beat.pid)) beat \(Int(age)) s ago; start one with `scheduler`")
        }
        guard kill(beat.pid, SIGHUP) == 0 else {
            throw CLIError.failure("cannot signal the scheduler (pid \(beat.pid)): \(String(cString: strerror(errno)))")
        }
        return beat.pid
    }
}
