import HTTPFetch
import Synchronization
import Testing

/// An injectable `sleep` that records each requested delay; it returns at once unless `realSleep` is set.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    private let realSleep: Bool

    init(realSleep: Bool = false) {
        self.realSleep = realSleep
    }

    var recorded: [Duration] { delays.withLock { $0 } }

    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] delay in
            delays.withLock { $0.append(delay) }
            if realSleep { try await Task.sleep(for: delay) }
        }
    }
}

/// A client whose sleeps are recorded and whose jitter sample is fixed (0.5: the jitter factor is exactly 1).
func makeClient(
    sleeps: SleepRecorder = SleepRecorder(), _ adjust: (inout HTTPClient.Configuration) -> Void = { _ in }
) -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    configuration.totalTimeout = .seconds(10)
    configuration.random = { 0.5 }
    configuration.sleep = sleeps.sleep
    adjust(&configuration)
    return HTTPClient(configuration: configuration)
}

/// Runs `body` expecting an ``HTTPFetchError`` and returns it; records an issue when it succeeds or throws anything else.
func expectFetchError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> HTTPFetchError? {
    do {
        try await body()
        Issue.record("expected an HTTPFetchError, got a response", sourceLocation: sourceLocation)
    } catch let error as HTTPFetchError {
        return error
    } catch {
        Issue.record("expected an HTTPFetchError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
