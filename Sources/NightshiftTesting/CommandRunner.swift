public import Foundation
import Synchronization

/// Runs the built `nightshift` binary (or any program) and collects its output, draining both pipes while it runs
/// (waiting first would deadlock once a child writes more than a pipe buffer).
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

public enum CommandRunner {
    /// The `nightshift` executable next to the test bundle in the build directory.
    public static var nightshiftBinary: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("nightshift").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/nightshift").path
    }

    /// Runs `nightshift ARGS` to its end.
    public static func nightshift(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await run(nightshiftBinary, arguments, environment: environment)
    }

    /// Runs `executable ARGS` to its end with extra `environment`.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        let process = try start(executable, arguments, environment: environment)
        return await process.finish()
    }

    /// Starts a program; call ``RunningCommand/finish()`` to collect it.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let running = RunningCommand(process: process, out: out, err: err)
        // waitUntilExit() spins a run loop with no sources (a busy loop on Linux); the handler costs nothing.
        running.exited.enter()
        process.terminationHandler = { [running] _ in running.exited.leave() }
        try process.run()
        running.startDraining()
        return running
    }
}

/// A started program whose output is collected in the background.
public final class RunningCommand: @unchecked Sendable {
    // Mutable state is guarded by `buffers`; `process` is only signalled and waited on.
    public let process: Process
    private let out: Pipe
    private let err: Pipe
    private let buffers = Mutex<(Data, Data)>((Data(), Data()))
    private let drained = DispatchGroup()
    let exited = DispatchGroup()

    init(process: Process, out: Pipe, err: Pipe) {
        self.process = process
        self.out = out
        self.err = err
    }

    func startDraining() {
        for (index, pipe) in [out, err].enumerated() {
            drained.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                buffers.withLock { if index == 0 { $0.0 = data } else { $0.1 = data } }
                drained.leave()
            }
        }
    }

    public var pid: Int32 { process.processIdentifier }

    /// Waits for the program to exit and for its output.
    public func finish() async -> CommandResult {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [self] in
                exited.wait()
                drained.wait()
                continuation.resume()
            }
        }
        let (stdout, stderr) = buffers.withLock { (String(decoding: $0.0, as: UTF8.self), String(decoding: $0.1, as: UTF8.self)) }
        return CommandResult(exitCode: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

/// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether it held. Never a blind sleep.
public func eventually(timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool)
    async rethrows -> Bool
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
