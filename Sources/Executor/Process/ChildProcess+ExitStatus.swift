import Glibc

extension ChildProcess {
    /// How a child process ended, as reported by `waitpid`.
    ///
    /// ```swift
    /// let status = await child.waitForExit()
    /// if !status.succeeded { logger.info("Task try failed", metadata: ["exit.status": "\(status)"]) }
    /// ```
    ///
    /// Nested rather than top-level because Swift Testing exports its own `ExitStatus`, which would make the name
    /// ambiguous in every test file that imports both.
    public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
        /// The process called `exit` with this code (0...255).
        ///
        /// `-1` means the status was lost: someone else reaped the child (for example because `SIGCHLD` is set to `SIG_IGN`).
        case exited(Int32)
        /// The process was terminated by this signal number.
        case signaled(Int32)

        /// Creates a status from the raw `status` word that `waitpid` filled in.
        ///
        /// Only terminal statuses are expected (no `WUNTRACED`/`WCONTINUED`); a stop status is read as an exit.
        init(waitStatus raw: Int32) {
            let termSignal = raw & 0x7f
            if termSignal == 0 || termSignal == 0x7f {
                self = .exited((raw >> 8) & 0xff)
            } else {
                self = .signaled(termSignal)
            }
        }

        /// Whether the process exited with code 0.
        public var succeeded: Bool {
            self == .exited(0)
        }

        /// The shell-style code: the exit code, or 128 + the signal number when the process was signalled.
        public var code: Int32 {
            switch self {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        }

        /// A short phrase such as `exit 3` or `killed by SIGKILL`.
        public var description: String {
            switch self {
            case .exited(-1): "exit status unknown (reaped elsewhere)"
            case .exited(let code): "exit \(code)"
            case .signaled(let signal): "killed by \(Self.signalName(signal))"
            }
        }

        /// The conventional name of a common signal (`SIGTERM`), or `signal 42` for the others.
        static func signalName(_ signal: Int32) -> String {
            switch signal {
            case SIGHUP: "SIGHUP"
            case SIGINT: "SIGINT"
            case SIGQUIT: "SIGQUIT"
            case SIGILL: "SIGILL"
            case SIGTRAP: "SIGTRAP"
            case SIGABRT: "SIGABRT"
            case SIGBUS: "SIGBUS"
            case SIGFPE: "SIGFPE"
            case SIGKILL: "SIGKILL"
            case SIGUSR1: "SIGUSR1"
            case SIGSEGV: "SIGSEGV"
            case SIGUSR2: "SIGUSR2"
            case SIGPIPE: "SIGPIPE"
            case SIGALRM: "SIGALRM"
            case SIGTERM: "SIGTERM"
            case SIGXCPU: "SIGXCPU"
            case SIGXFSZ: "SIGXFSZ"
            case SIGSYS: "SIGSYS"
            default: "signal \(signal)"
            }
        }
    }
}
