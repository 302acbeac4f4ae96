public import Foundation
public import Logging
public import ServiceLifecycle
public import Store

/// Applies a retention to the store beside a scheduler: when it starts and then every `interval` (a day), removes the
/// finished runs older than `retention` with everything of theirs (``StateStore/clean(home:olderThan:dryRun:actor:now:batchSize:)``).
/// A failed clean is logged and tried again at the next interval; it never stops the scheduler.
public final class RetentionService: Service, Sendable {
    let store: StateStore
    let home: NightshiftHome
    let retention: TimeInterval
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        store: StateStore, home: NightshiftHome, retention: TimeInterval, interval: Duration = .seconds(86_400), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.home = home
        self.retention = retention
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await cleanOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// One clean, logged; errors are logged, not thrown.
    @discardableResult
    public func cleanOnce() async -> CleanReport? {
        let current = now()
        do {
            let report = try await store.clean(
                home: home, olderThan: current.addingTimeInterval(-retention), dryRun: false, actor: "retention", now: current)
            logger.info("Retention applied", metadata: [
                "older_than_s": "\(Int(retention))", "runs": "\(report.runs)", "tries": "\(report.tries)", "events": "\(report.events)",
                "files": "\(report.files)", "bytes": "\(report.fileBytes)",
            ])
            return report
        } catch {
            logger.error("Retention failed; trying again at the next interval", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
