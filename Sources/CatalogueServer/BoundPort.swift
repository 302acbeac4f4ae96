import Synchronization

/// The port the server actually bound (known only once it listens, when the configuration asked for port 0).
final class BoundPort: Sendable {
    private let value = Mutex(0)

    var port: Int { value.withLock { $0 } }

    func set(_ port: Int) { value.withLock { $0 = port } }
}
