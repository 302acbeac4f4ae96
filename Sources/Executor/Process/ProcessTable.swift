import Foundation
import Glibc

/// Questions about processes and process groups answered from `/proc` and `kill(2)`, for processes this process may
/// not have spawned itself (for example task processes adopted after a scheduler restart).
public enum ProcessTable {
    /// The fields of `/proc/PID/stat` that Nightshift needs.
    struct Stat: Equatable {
        /// Field 3: `R`, `S`, `D`, `T`, `Z` (zombie), `X` (dead), ….
        var state: Character
        /// Field 5: the process group id.
        var processGroup: Int32
        /// Field 22: clock ticks since boot at which the process started.
        var startTime: UInt64

        /// Whether the process has ended (zombie or dead) and only waits to be reaped.
        var hasEnded: Bool {
            state == "Z" || state == "X"
        }

        /// Creates a record from already-known fields.
        init(state: Character, processGroup: Int32, startTime: UInt64) {
            self.state = state
            self.processGroup = processGroup
            self.startTime = startTime
        }

        /// Parses the text of `/proc/PID/stat`, or returns `nil` if it is malformed.
        ///
        /// Field 2 (`comm`, in parentheses) may itself contain spaces and parentheses, so the fixed fields are read
        /// after the last `)`.
        init?(_ text: Substring) {
            guard let close = text.lastIndex(of: ")") else { return nil }
            // After ")": field 3 (state) is at index 0, so field n is at index n - 3.
            let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 19, fields[0].count == 1, let state = fields[0].first,
                let processGroup = Int32(fields[2]),
                let startTime = UInt64(fields[19].prefix { $0 != "\n" })
            else { return nil }
            self.state = state
            self.processGroup = processGroup
            self.startTime = startTime
        }
    }

    /// Field 22 (`starttime`) of `/proc/PID/stat`: when `pid` started, in clock ticks since boot.
    /// - Parameter pid: any process id.
    /// - Returns: the start time, or `nil` if there is no such process (or `/proc` is unreadable).
    public static func startTime(of pid: Int32) -> UInt64? {
        stat(of: pid)?.startTime
    }

    /// Whether `pid` names a running process and, when `startTime` is given, the same process as before.
    ///
    /// A zombie (ended, not yet reaped by its parent, such as a spawned `ChildProcess` nobody has waited for yet)
    /// is not alive. A process whose start time differs is a later process that reused the pid: also not alive.
    /// - Parameters:
    ///   - pid: the process id to check.
    ///   - startTime: the start time recorded when the process was spawned (`ChildProcess.startTime`), or `nil` to
    ///     skip the reuse check.
    public static func isAlive(pid: Int32, startTime: UInt64?) -> Bool {
        guard let stat = stat(of: pid), !stat.hasEnded else { return false }
        if let startTime, stat.startTime != startTime { return false }
        return true
    }

    /// Whether no process at all is left in process group `pgid` (`kill(-pgid, 0)` fails with `ESRCH`).
    ///
    /// Zombies still count as members for `kill`, so a group whose leader has ended but was not reaped yet is not
    /// empty here; `killGroup(_:grace:)` ignores zombies instead.
    /// - Parameter pgid: a process group id (greater than 1).
    public static func groupIsEmpty(_ pgid: Int32) -> Bool {
        guard pgid > 1 else { return false }
        return kill(-pgid, 0) == -1 && errno == ESRCH
    }

    /// Ends every process in group `pgid`: sends `SIGTERM` (and `SIGCONT`, so stopped members see it), waits up to
    /// `grace` for the group's members to end, checking every 20 ms, then sends `SIGKILL` to the group if any member
    /// is still running.
    ///
    /// Members are found by scanning `/proc` for processes whose process group is `pgid` and that are not zombies.
    /// Cancelling the calling task cuts the grace period short. Group ids 0 and 1 and the caller's own group are
    /// refused (the call does nothing), since signalling them would reach the orchestrator itself or every process.
    /// - Parameters:
    ///   - pgid: the process group id, usually `ChildProcess.processGroup` of a child spawned with `newProcessGroup`.
    ///   - grace: how long the members get to exit after `SIGTERM`.
    public static func killGroup(_ pgid: Int32, grace: Duration) async {
        guard pgid > 1, pgid != getpgrp() else { return }
        guard kill(-pgid, SIGTERM) == 0 else { return }
        _ = kill(-pgid, SIGCONT)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while hasLiveMembers(pgid) {
            guard clock.now < deadline, !Task.isCancelled else {
                _ = kill(-pgid, SIGKILL)
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether some process that is not a zombie belongs to group `pgid`, according to `/proc`.
    static func hasLiveMembers(_ pgid: Int32) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries {
            guard let pid = Int32(entry), let stat = stat(of: pid) else { continue }
            if stat.processGroup == pgid && !stat.hasEnded {
                return true
            }
        }
        return false
    }

    /// Reads and parses `/proc/PID/stat`, or returns `nil` if the process does not exist.
    static func stat(of pid: Int32) -> Stat? {
        guard pid > 0 else { return nil }
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += buffer[..<count]
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return Stat(Substring(String(decoding: bytes, as: UTF8.self)))
    }
}
