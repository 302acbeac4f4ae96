import Foundation
import Glibc
import Testing

@testable import Executor

@Suite("Child processes and the process table")
struct ChildProcessTests {
    // MARK: - Exit status

    @Test("Exit codes are reported", arguments: [Int32(0), 3])
    func exitCode(_ code: Int32) async throws {
        let status = try await run(sh("exit \(code)"))
        #expect(status == .exited(code))
        #expect(status.succeeded == (code == 0))
        #expect(status.code == code)
        #expect(status.description == "exit \(code)")
    }

    @Test("A child killed with SIGKILL reports .signaled(9)")
    func killedBySignal() async throws {
        let child = try ChildProcess.spawn(spec("/bin/sleep", ["30"]))
        child.signal(SIGKILL)
        let status = await child.waitForExit()
        #expect(status == .signaled(SIGKILL))
        #expect(status.code == 137)
        #expect(!status.succeeded)
        #expect(status.description == "killed by SIGKILL")
        #expect(ChildProcess.ExitStatus.signaled(40).description == "killed by signal 40")
    }

    @Test("waitForExit can be called by several tasks and again afterwards")
    func waitIsIdempotent() async throws {
        let child = try ChildProcess.spawn(sh("exit 7"))
        async let first = child.waitForExit()
        async let second = child.waitForExit()
        let statuses = await [first, second, child.waitForExit()]
        #expect(statuses == [.exited(7), .exited(7), .exited(7)])
        // Once reaped, signals to the pid are dropped rather than sent to whoever reuses it.
        child.signal(SIGKILL)
    }

    @Test("Raw wait statuses decode like the W* macros")
    func waitStatusDecoding() {
        #expect(ChildProcess.ExitStatus(waitStatus: 0) == .exited(0))
        #expect(ChildProcess.ExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ChildProcess.ExitStatus(waitStatus: 255 << 8) == .exited(255))
        #expect(ChildProcess.ExitStatus(waitStatus: SIGTERM) == .signaled(SIGTERM))
        #expect(ChildProcess.ExitStatus(waitStatus: SIGSEGV | 0x80) == .signaled(SIGSEGV))  // core dumped
    }

    // MARK: - Output, environment, working directory

    @Test("stdout and stderr are appended to the log file, creating its directories")
    func outputAppendsToLogFile() async throws {
        try await withTemporaryDirectory { directory in
            let log = directory + "/logs/run-1/task.log"
            let script = "echo out; echo err >&2"
            let first = try await run(sh(script, output: .appendToFile(log)))
            let second = try await run(sh(script, output: .appendToFile(log)))
            #expect([first, second] == [.exited(0), .exited(0)])
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text == "out\nerr\nout\nerr\n")
        }
    }

    @Test("stdin is /dev/null")
    func stdinIsDevNull() async throws {
        try await withTemporaryDirectory { directory in
            let log = directory + "/stdin.log"
            let status = try await run(sh("cat; echo end", output: .appendToFile(log)))
            #expect(status == .exited(0))
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text == "end\n")
        }
    }

    @Test("The environment and working directory are exactly the spec's")
    func environmentAndWorkingDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let log = directory + "/env.log"
            let work = directory + "/work dir"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: false)
            // A bare name is looked up in the child's PATH.
            let spec = SpawnSpec(
                executable: "sh", arguments: ["-c", #"echo "$NIGHTSHIFT_TEST"; pwd -P; echo "${HOME-unset}""#],
                environment: ["NIGHTSHIFT_TEST": "a b", "PATH": "/usr/bin:/bin"],
                workingDirectory: work, output: .appendToFile(log))
            #expect(try await run(spec) == .exited(0))
            #expect(try String(contentsOfFile: log, encoding: .utf8) == "a b\n\(work)\nunset\n")
        }
    }

    @Test("The /bin/sh fallback for old glibc changes directory without parsing arguments as shell text")
    func shellChdirFallback() async throws {
        try await withTemporaryDirectory { directory in
            let log = directory + "/fallback.log"
            let work = directory + "/it's \"here\" $HOME"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: false)
            let original = SpawnSpec(
                executable: "/bin/sh", arguments: ["-c", #"pwd -P; echo "$0" "$1""#, "$x", "; exit 9"],
                environment: [:], workingDirectory: work, output: .appendToFile(log))
            let wrapped = original.changingDirectoryThroughShell()
            #expect(wrapped.workingDirectory == nil)
            #expect(try await run(wrapped) == .exited(0))
            #expect(try String(contentsOfFile: log, encoding: .utf8) == "\(work)\n$x ; exit 9\n")
        }
    }

    @Test("The child starts with default signal dispositions, an empty mask and only fds 0-2")
    func childHygiene() async throws {
        let leaked = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        #expect(leaked > 2)
        defer { close(leaked) }
        try await withTemporaryDirectory { directory in
            let log = directory + "/fds.log"
            #expect(try await run(sh("ls /proc/$$/fd", output: .appendToFile(log))) == .exited(0))
            let fds = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            #expect(fds == ["0", "1", "2"])
        }
        try await withChild(spec("/bin/sleep", ["30"])) { child in
            let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
            func mask(_ key: String) throws -> UInt64 {
                let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(key + ":") })
                return try #require(UInt64(line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces), radix: 16))
            }
            let defaulted = [SIGTERM, SIGINT, SIGPIPE, SIGCHLD].reduce(UInt64(0)) { $0 | 1 << UInt64($1 - 1) }
            #expect(try mask("SigBlk") == 0)
            #expect(try mask("SigIgn") & defaulted == 0)
        }
    }

    // MARK: - Errors

    @Test("A missing executable throws a SpawnError naming it")
    func missingExecutable() throws {
        let error = try #require(throws: SpawnError.self) { try ChildProcess.spawn(spec("/no/such")) }
        #expect(error.stage == .spawn)
        #expect(error.errnoCode == ENOENT)
        #expect(error.description == "cannot start '/no/such': No such file or directory")
    }

    @Test("A name missing from PATH throws a SpawnError naming it and the PATH")
    func missingInPath() throws {
        let missing = SpawnSpec(executable: "nightshift-no-such-tool", environment: ["PATH": "/usr/bin:/bin"])
        let error = try #require(throws: SpawnError.self) { try ChildProcess.spawn(missing) }
        #expect(error.stage == .lookup(path: "/usr/bin:/bin"))
        #expect(
            error.description
                == "cannot start 'nightshift-no-such-tool': not found in PATH '/usr/bin:/bin': No such file or directory")
    }

    @Test("A missing working directory throws a SpawnError naming it")
    func missingWorkingDirectory() throws {
        var missing = sh("true")
        missing.workingDirectory = "/no/such/dir"
        let error = try #require(throws: SpawnError.self) { try ChildProcess.spawn(missing) }
        #expect(error.stage == .workingDirectory("/no/such/dir"))
        #expect(error.description == "cannot start '/bin/sh': working directory '/no/such/dir': No such file or directory")
    }

    @Test("A log file that cannot be created throws a SpawnError naming it")
    func uncreatableLogFile() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory + "/plain"
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
            let log = file + "/sub/task.log"
            let error = try #require(throws: SpawnError.self) { try ChildProcess.spawn(sh("true", output: .appendToFile(log))) }
            #expect(error.stage == .logFile(log))
            #expect(error.description == "cannot start '/bin/sh': log file '\(log)': Not a directory")
        }
    }

    // MARK: - Process groups

    @Test("newProcessGroup makes the child lead its own group; otherwise it shares ours")
    func processGroups() async throws {
        try await withChild(spec("/bin/sleep", ["30"])) { child in
            #expect(child.processGroup == child.pid)
            #expect(getpgid(child.pid) == child.pid)
            #expect(!ProcessTable.groupIsEmpty(child.processGroup))
        }
        var shared = spec("/bin/sleep", ["30"])
        shared.newProcessGroup = false
        try await withChild(shared) { child in
            #expect(child.processGroup == getpgrp())
            child.signalGroup(SIGKILL)  // only the child: our own group is never signalled
            #expect(await child.waitForExit() == .signaled(SIGKILL))
        }
    }

    @Test("killGroup kills a grandchild in the child's group")
    func killGroupKillsGrandchild() async throws {
        try await withTemporaryDirectory { directory in
            let pidFile = directory + "/grandchild.pid"
            try await withChild(sh("sleep 300 & echo $! > '\(pidFile)'; wait")) { child in
                let grandchild = try #require(
                    await poll {
                        (try? String(contentsOfFile: pidFile, encoding: .utf8))
                            .flatMap { $0.hasSuffix("\n") ? Int32($0.dropLast()) : nil }
                    })
                #expect(ProcessTable.isAlive(pid: grandchild, startTime: nil))
                #expect(ProcessTable.hasLiveMembers(child.processGroup))

                await ProcessTable.killGroup(child.processGroup, grace: .seconds(2))

                #expect(await child.waitForExit() == .signaled(SIGTERM))
                // Reparented to init (or a subreaper), it is reaped asynchronously; a zombie is not alive.
                #expect(await poll { ProcessTable.isAlive(pid: grandchild, startTime: nil) ? nil : true } == true)
                #expect(!ProcessTable.hasLiveMembers(child.processGroup))
            }
        }
    }

    @Test("killGroup escalates to SIGKILL when SIGTERM is ignored")
    func killGroupEscalates() async throws {
        try await withTemporaryDirectory { directory in
            let readyFile = directory + "/ready"
            try await withChild(sh("trap '' TERM; touch '\(readyFile)'; while :; do sleep 1; done")) { child in
                #expect(await poll { FileManager.default.fileExists(atPath: readyFile) ? true : nil } == true)
                let start = ContinuousClock.now
                await ProcessTable.killGroup(child.processGroup, grace: .milliseconds(200))
                #expect(ContinuousClock.now - start >= .milliseconds(200))
                #expect(await child.waitForExit() == .signaled(SIGKILL))
            }
        }
    }

    @Test("killGroup refuses our own group and groups 0 and 1")
    func killGroupRefusesOwnGroup() async {
        await ProcessTable.killGroup(getpgrp(), grace: .zero)
        await ProcessTable.killGroup(0, grace: .zero)
        await ProcessTable.killGroup(1, grace: .zero)
        #expect(!ProcessTable.groupIsEmpty(getpgrp()))  // still here
    }

    // MARK: - Process table

    @Test("startTime parses a real pid, including a comm with spaces and parentheses, and detects reuse")
    func startTimeAndReuse() async throws {
        #expect(ProcessTable.startTime(of: getpid()) != nil)
        #expect(ProcessTable.startTime(of: -1) == nil)
        try await withTemporaryDirectory { directory in
            let odd = directory + "/x) (y z"
            try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: odd)
            try await withChild(spec(odd, ["30"])) { child in
                let startTime = try #require(child.startTime)
                #expect(ProcessTable.startTime(of: child.pid) == startTime)
                #expect(ProcessTable.stat(of: child.pid)?.processGroup == child.pid)
                #expect(ProcessTable.isAlive(pid: child.pid, startTime: startTime))
                #expect(ProcessTable.isAlive(pid: child.pid, startTime: nil))
                #expect(!ProcessTable.isAlive(pid: child.pid, startTime: startTime + 1))
            }
        }
    }

    @Test("An executable still open for writing (ETXTBSY) is retried briefly, then named in the error")
    func textFileBusy() async throws {
        try await withTemporaryDirectory { directory in
            let script = directory + "/busy"
            try "#!/bin/sh\nexit 0\n".write(toFile: script, atomically: false, encoding: .utf8)
            #expect(chmod(script, 0o755) == 0)
            let writer = open(script, O_WRONLY | O_CLOEXEC)
            try #require(writer >= 0)
            // Held open for writing throughout: every attempt meets ETXTBSY, and the error says so.
            do {
                let child = try ChildProcess.spawn(spec(script))
                _ = await child.waitForExit()
                Issue.record("spawned \(script) while it was open for writing")
            } catch {
                #expect("\(error)" == "cannot start '\(script)': Text file busy")
            }
            // Released 10 ms into the retries (as a forked process's copy of the writer's descriptor is at its exec):
            // the spawn goes through.
            let closer = Thread {
                usleep(10_000)
                close(writer)
            }
            closer.start()
            let child = try ChildProcess.spawn(spec(script))
            #expect(await child.waitForExit() == .exited(0))
        }
    }

    @Test("stat lines are split after the last ')'")
    func statParsing() throws {
        let fields3to22 = "S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654"
        let line = "4242 (a) b) (c ) \(fields3to22) 12345 678 18446744073709551615\n"
        let stat = try #require(ProcessTable.Stat(Substring(line)))
        #expect(stat == ProcessTable.Stat(state: "S", processGroup: 4242, startTime: 987_654))
        #expect(ProcessTable.Stat("4242 (sleep) Z 1 4242") == nil)
        #expect(ProcessTable.Stat("garbage") == nil)
    }

    @Test("A zombie (exited, not yet waited for) is not alive")
    func zombieIsNotAlive() async throws {
        let child = try ChildProcess.spawn(sh("exit 0"))
        #expect(await poll { ProcessTable.stat(of: child.pid)?.state == "Z" ? true : nil } == true)
        #expect(!ProcessTable.isAlive(pid: child.pid, startTime: child.startTime))
        #expect(!ProcessTable.groupIsEmpty(child.processGroup))  // zombies still count for kill(2)
        #expect(!ProcessTable.hasLiveMembers(child.processGroup))
        #expect(await child.waitForExit() == .exited(0))
        #expect(ProcessTable.startTime(of: child.pid) == nil)
        #expect(ProcessTable.groupIsEmpty(child.processGroup))
    }
}

// MARK: - Helpers

/// A spec running `executable` with the test process's environment, in a new process group.
private func spec(_ executable: String, _ arguments: [String] = [], output: SpawnSpec.Output = .inherit) -> SpawnSpec {
    SpawnSpec(
        executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment,
        output: output)
}

/// A spec running `/bin/sh -c script`.
private func sh(_ script: String, output: SpawnSpec.Output = .inherit) -> SpawnSpec {
    spec("/bin/sh", ["-c", script], output: output)
}

/// Spawns `spec` and waits for it to end.
private func run(_ spec: SpawnSpec) async throws -> ChildProcess.ExitStatus {
    try await withChild(spec) { await $0.waitForExit() }
}

/// Spawns `spec`, runs `body`, then kills whatever is left of the child's group and reaps the child.
private func withChild<Result>(
    _ spec: SpawnSpec, _ body: (ChildProcess) async throws -> Result
) async throws -> Result {
    let child = try ChildProcess.spawn(spec)
    func cleanUp() async {
        if spec.newProcessGroup, ProcessTable.hasLiveMembers(child.processGroup) {
            child.signalGroup(SIGKILL)
        } else {
            child.signal(SIGKILL)
        }
        _ = await child.waitForExit()
    }
    do {
        let result = try await body(child)
        await cleanUp()
        return result
    } catch {
        await cleanUp()
        throw error
    }
}

/// Evaluates `condition` every 10 ms until it returns a value, for at most `limit`.
private func poll<Value>(for limit: Duration = .seconds(2), _ condition: () -> Value?) async -> Value? {
    let deadline = ContinuousClock.now + limit
    while true {
        if let value = condition() { return value }
        guard ContinuousClock.now < deadline else { return nil }
        try? await Task.sleep(for: .milliseconds(10))
    }
}

/// Runs `body` with a fresh directory (symlinks resolved), removed afterwards.
private func withTemporaryDirectory(_ body: (String) async throws -> Void) async throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try await body(url.resolvingSymlinksInPath().path)
}
