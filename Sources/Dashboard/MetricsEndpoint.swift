public import Hummingbird
public import Logging
import NIOCore
import Telemetry

/// `/metrics` alone, for a process without the dashboard (`nightshift scheduler --metrics-port`): what the process
/// recorded through swift-metrics (its pass, try and hand-off histograms), in the Prometheus text format.
public enum MetricsEndpoint {
    /// The content type of the Prometheus text exposition format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The HTTP application serving `GET /metrics` (a ServiceLifecycle `Service`).
    /// - Parameter onServerRunning: called with the bound port once the server listens.
    public static func application(
        host: String, port: Int, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(string: Telemetry.text())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }
}
