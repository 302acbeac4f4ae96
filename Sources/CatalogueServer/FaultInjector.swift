import Synchronization

/// Counts requests and decides which ones get an injected fault.
final class FaultInjector: Sendable {
    enum Decision: Equatable, Sendable { case none, rateLimited, serverError }

    private let faults: CatalogueServerConfiguration.Faults
    private let count = Mutex(0)

    init(_ faults: CatalogueServerConfiguration.Faults) { self.faults = faults }

    /// Counts one request and returns its fault: a rate limit on every `rateLimitEvery`th, otherwise a server error on
    /// every `serverErrorEvery`th.
    func nextRequest() -> Decision {
        let number = count.withLock { value in
            value += 1
            return value
        }
        if let every = faults.rateLimitEvery, number % every == 0 { return .rateLimited }
        if let every = faults.serverErrorEvery, number % every == 0 { return .serverError }
        return .none
    }
}
