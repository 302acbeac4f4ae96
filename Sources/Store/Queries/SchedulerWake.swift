import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes a running scheduler (possibly another process) so a new or cleared run starts at once instead of on its next
/// poll: SIGUSR1 to the pid of the last heartbeat, when that heartbeat is fresh and the process really is a Nightshift
/// scheduler. Shared by the CLI and the dashboard.
public enum SchedulerWake {
    /// Signals the scheduler of `store`'s home, if one is alive; does nothing otherwise.
    public static func poke(store: StateStore) async {
        guard let beat = try? await store.lastHeartbeat(), Date().timeIntervalSince(beat.at) < 30 else { return }
        let pid = beat.pid
        // Only signal a process that really is a nightshift scheduler: SIGUSR1 would end any other process.
        guard let cmdline = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
            cmdline.contains("nightshift"), cmdline.contains("scheduler") || cmdline.contains("standalone")
        else { return }
        kill(pid, SIGUSR1)
    }
}
