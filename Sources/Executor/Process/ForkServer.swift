import CForkServer
import Foundation
import Glibc
import Synchronization

/// A copy of the binary that has done its dynamic loading and relocation once and forks a fresh child per try, so
/// that a try's start-up is a `fork` instead of an `exec` (see `ns_fork_server.h` for the protocol).
///
/// Every try still gets a process of its own: a new pid leading its own process group, its log as stdout and stderr,
/// its `tasks run` arguments as `CommandLine.arguments`, nothing of the previous try's. The server forks before
/// `main`, while it has exactly one thread, so the child starts the Swift runtime, Foundation and the concurrency
/// runtime itself, as an executed process would.
///
/// ```swift
/// let server = try ForkServer.start(executable: "/usr/local/bin/nightshift", environment: ProcessInfo.processInfo.environment)
/// let child = try await server.spawn(arguments: ["tasks", "run", "etl", "load", "--run", runID, "--try", "1"],
///                                    environment: ["NIGHTSHIFT_TRY_NUMBER": "1"], logPath: logPath)
/// let status = await child.exit.value()
/// ```
final class ForkServer: Sendable {
    /// Why a try could not be started through the server (the caller falls back to `posix_spawn`).
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// A try the server forked: its pid (also its process group) and a waiter for its exit status.
    struct Child: Sendable {
        let pid: Int32
        let startTime: UInt64?
        let exit: ExitWaiter
    }

    /// The server's pid.
    let pid: Int32
    /// The executable as it was when the server started: a different file at the same path (a rebuild, a swapped
    /// `current` symlink) means the server runs old code and must be replaced.
    let identity: FileIdentity
    /// The environment the server was started with (every try inherits it).
    let environment: [String: String]
    private let requestFD: Int32
    private let state = Mutex(State())
    /// Serialises request writes and the closing of the request pipe; true once it is closed.
    private let requestClosed = Mutex(false)

    private struct State {
        /// nil until the server says it is ready; then the reason it is unusable, or "" while it is usable.
        var failure: String?
        var ready = false
        var sawReady = false
        var readyWaiters: [CheckedContinuation<Void, Never>] = []
        var nextID: UInt64 = 0
        var starts: [UInt64: CheckedContinuation<Result<Int32, Unavailable>, Never>] = [:]
        /// Statuses of children that ended before anybody asked.
        var statuses: [Int32: Int32] = [:]
        var exitWaiters: [Int32: CheckedContinuation<Int32?, Never>] = [:]
        var gone = false
    }

    /// The identity of a file: device, inode and modification time.
    struct FileIdentity: Equatable, Sendable {
        let device: UInt64
        let inode: UInt64
        let modified: Int64
        let modifiedNanoseconds: Int64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        }
    }

    private init(pid: Int32, requestFD: Int32, reportFD: Int32, identity: FileIdentity, environment: [String: String]) {
        self.pid = pid
        self.requestFD = requestFD
        self.identity = identity
        self.environment = environment
        let thread = Thread { [self] in readReports(reportFD) }
        thread.name = "nightshift-fork-server-\(pid)"
        thread.start()
    }

    /// Starts a server running `executable` with `environment` (which every try inherits).
    /// - Throws: ``Unavailable`` when the executable cannot be started.
    /// - Parameter warm: let the program warm itself up before it serves (see `NS_FORK_SERVER_MODE` in the header).
    /// - Parameter standby: spawn ahead: keep a standby child forked before each request (see `NS_FORK_SERVER_STANDBY`).
    static func start(executable: String, environment: [String: String], warm: Bool, standby: Bool = false) throws -> ForkServer {
        guard let identity = FileIdentity(path: executable) else {
            throw Unavailable(description: "cannot stat \(executable): \(String(cString: strerror(errno)))")
        }
        let requested = environment
        var environment = environment
        if environment["LD_BIND_NOW"] == nil {
            // Bind every symbol once in the server instead of lazily in each child; the children remove it again.
            environment["LD_BIND_NOW"] = "1"
            environment["NS_FORK_SERVER_BIND_NOW"] = "added"
        }
        if warm { environment["NS_FORK_SERVER_MODE"] = "warm" }
        if warm && standby { environment["NS_FORK_SERVER_STANDBY"] = "1" }
        let arguments = [executable, "tasks", "fork-server"]
        let entries = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        var requestFD: Int32 = -1
        var reportFD: Int32 = -1
        let result = withCStrings(arguments) { argv in
            withCStrings(entries) { envp in
                ns_fork_server_spawn(executable, argv, envp, &pid, &requestFD, &reportFD)
            }
        }
        guard result == 0 else {
            throw Unavailable(description: "cannot start the fork server \(executable): \(String(cString: strerror(result)))")
        }
        return ForkServer(pid: pid, requestFD: requestFD, reportFD: reportFD, identity: identity, environment: requested)
    }

    /// Whether the server can take requests (it has not refused and has not gone away).
    var isUsable: Bool { state.withLock { !$0.gone && $0.failure == nil } }
    /// Whether the server never said it was ready (it refused, or is not a Nightshift binary at all).
    var neverReady: Bool { state.withLock { !$0.sawReady } }

    /// Forks a try: `arguments` become its `CommandLine.arguments` after `argv[0]`, `environment` is added to the
    /// server's, stdout and stderr are appended to `logPath` (created with its directories).
    /// - Throws: ``Unavailable`` when the server is gone or refused; the log file's error when it cannot be opened.
    func spawn(arguments: [String], environment: [String: String], logPath: String, executable: String) async throws -> Child {
        await waitUntilReady()
        if let failure = state.withLock({ $0.gone ? ($0.failure ?? "the fork server exited") : $0.failure }) {
            throw Unavailable(description: failure)
        }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int32, Unavailable>, Never>) in
            let id = state.withLock { state -> UInt64? in
                guard !state.gone else { return nil }
                state.nextID += 1
                state.starts[state.nextID] = continuation
                return state.nextID
            }
            guard let id else {
                continuation.resume(returning: .failure(Unavailable(description: "the fork server exited")))
                return
            }
            let message = Self.encode(
                id: id, logPath: logPath, arguments: [executable] + arguments,
                environment: environment.map { "\($0.key)=\($0.value)" })
            if !write(message) {
                let waiter = state.withLock { $0.starts.removeValue(forKey: id) }
                waiter?.resume(returning: .failure(Unavailable(description: "the fork server's request pipe is closed")))
            }
        }
        let pid = try result.get()
        return Child(pid: pid, startTime: ProcessTable.startTime(of: pid), exit: ExitWaiter { [self] in await exitStatus(of: pid) })
    }

    /// Closes the request pipe: the server stops accepting and exits once its running children have ended.
    func stop() {
        requestClosed.withLock { closed in
            if !closed { _ = close(requestFD) }
            closed = true
        }
    }

    // MARK: Internals

    private func waitUntilReady() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.ready || state.gone { return true }
                state.readyWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// How a forked child ended. When the server goes away first, nobody can reap it any more: waits until the
    /// process is gone and reports the status as unknown (`exited(-1)`); the try's own record in the store says more.
    private func exitStatus(of pid: Int32) async -> ExitStatus {
        let raw = await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            let known = state.withLock { state -> Int32?? in
                if let raw = state.statuses.removeValue(forKey: pid) { return .some(raw) }
                if state.gone { return .some(nil) }
                state.exitWaiters[pid] = continuation
                return .none
            }
            if let known { continuation.resume(returning: known) }
        }
        if let raw { return ExitStatus(waitStatus: raw) }
        while ProcessTable.isAlive(pid: pid, startTime: nil) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return .exited(-1)
    }

    private func write(_ message: [UInt8]) -> Bool {
        requestClosed.withLock { closed in
            if closed { return false }
            var offset = 0
            while offset < message.count {
                let written = message.withUnsafeBytes { bytes in
                    Glibc.write(requestFD, bytes.baseAddress! + offset, message.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    static func encode(id: UInt64, logPath: String, arguments: [String], environment: [String]) -> [UInt8] {
        var payload: [UInt8] = []
        for field in [String(id), logPath, String(arguments.count)] + arguments + [String(environment.count)] + environment {
            payload.append(contentsOf: field.utf8)
            payload.append(0)
        }
        let length = UInt32(payload.count)
        return [UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 24)] + payload
    }

    /// The reader thread: applies report lines until the server closes its end.
    private func readReports(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            buffer.append(contentsOf: chunk[0..<count])
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                apply(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
        }
        close(fd)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)  // the server is this process's child
        let (readyWaiters, starts, exitWaiters) = state.withLock { state in
            state.gone = true
            if !state.ready && state.failure == nil { state.failure = "the fork server exited before it was ready (\(ExitStatus(waitStatus: status)))" }
            defer {
                state.readyWaiters = []
                state.starts = [:]
                state.exitWaiters = [:]
            }
            return (state.readyWaiters, state.starts, state.exitWaiters)
        }
        for waiter in readyWaiters { waiter.resume() }
        for waiter in starts.values { waiter.resume(returning: .failure(Unavailable(description: "the fork server exited"))) }
        for waiter in exitWaiters.values { waiter.resume(returning: nil) }
    }

    private func apply(_ line: String) {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard let kind = fields.first else { return }
        switch kind {
        case "R":
            let waiters = state.withLock { state in
                state.ready = true
                state.sawReady = true
                defer { state.readyWaiters = [] }
                return state.readyWaiters
            }
            for waiter in waiters { waiter.resume() }
        case "N":
            let waiters = state.withLock { state in
                state.failure = String(line.dropFirst(2))
                state.ready = true
                defer { state.readyWaiters = [] }
                return state.readyWaiters
            }
            for waiter in waiters { waiter.resume() }
        case "S", "E":
            guard fields.count == 3, let id = UInt64(fields[1]) else { return }
            let waiter = state.withLock { $0.starts.removeValue(forKey: id) }
            if kind == "S", let pid = Int32(fields[2]) {
                waiter?.resume(returning: .success(pid))
            } else {
                waiter?.resume(returning: .failure(Unavailable(description: String(fields[2]))))
            }
        case "X":
            guard fields.count == 3, let pid = Int32(fields[1]), let raw = Int32(fields[2]) else { return }
            let waiter = state.withLock { state in
                guard let waiter = state.exitWaiters.removeValue(forKey: pid) else {
                    state.statuses[pid] = raw
                    return nil as CheckedContinuation<Int32?, Never>?
                }
                return waiter
            }
            waiter?.resume(returning: raw)
        default:
            return
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
