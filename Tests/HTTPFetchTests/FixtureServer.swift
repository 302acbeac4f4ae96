import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Runs the loopback fixture server on an ephemeral port for the duration of `body`, which gets its base URL
/// (`http://127.0.0.1:<port>`) and the recorder; shuts it down gracefully afterwards.
func withFixtureServer<T: Sendable>(_ body: (String, Recorder) async throws -> T) async throws -> T {
    let recorder = Recorder()
    let router = Router()
    router.add(middleware: RecordingMiddleware(recorder: recorder))
    router.get("ok") { _, _ in
        Fixture.text(Fixture.okBody, headers: [.contentType: "text/plain; charset=utf-8", HTTPField.Name("X-Fixture")!: "yes"])
    }
    router.get("echo") { _, _ in Fixture.text("echo") }
    router.get("retry-after") { _, _ in
        recorder.hits("/retry-after") == 1 ? Fixture.text("slow down", status: .tooManyRequests, headers: [.retryAfter: "2"]) : Fixture.text("finally")
    }
    router.get("flaky") { _, _ in
        recorder.hits("/flaky") <= 2 ? Fixture.text("oops", status: .internalServerError) : Fixture.text("recovered")
    }
    router.get("unavailable") { _, _ in Fixture.text("down", status: .serviceUnavailable) }
    router.get("missing") { _, _ in Fixture.text("no such thing", status: .notFound) }
    router.get("big") { _, _ in
        Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: Fixture.bigBytes)))
    }
    router.get("big-chunked") { _, _ in
        Response(status: .ok, body: ResponseBody { writer in
            for _ in 0..<16 { try await writer.write(ByteBuffer(repeating: 0x62, count: Fixture.bigBytes / 16)) }
            try await writer.finish(nil)
        })
    }
    router.get("redirect") { _, _ in Response.redirect(to: "/ok", type: .found) }
    router.get("loop") { _, _ in Response.redirect(to: "/loop", type: .found) }
    router.get("slow") { _, _ in
        try await Task.sleep(for: .seconds(2))
        return Fixture.text("too late")
    }
    router.get("gate") { _, _ in
        let deadline = ContinuousClock.now + .seconds(5)
        while !recorder.gateOpen, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return Fixture.text("gate opened")
    }
    router.get("etag") { request, _ in
        request.headers[.ifNoneMatch] == Fixture.etag
            ? Response(status: .notModified, headers: [.eTag: Fixture.etag])
            : Fixture.text(Fixture.etagBody, headers: [.eTag: Fixture.etag, .contentType: "text/plain"])
    }
    router.get("last-modified") { request, _ in
        request.headers[.ifModifiedSince] == Fixture.lastModified
            ? Response(status: .notModified)
            : Fixture.text(Fixture.lastModifiedBody, headers: [.lastModified: Fixture.lastModified])
    }
    router.get("gzip") { _, _ in
        Response(status: .ok, headers: [.contentEncoding: "gzip", .contentType: "text/plain"],
                 body: .init(byteBuffer: ByteBuffer(bytes: Fixture.gzipBytes)))
    }
    router.get("concurrent") { _, _ in
        recorder.enter()
        defer { recorder.leave() }
        try await Task.sleep(for: .milliseconds(150))
        return Fixture.text("done")
    }

    var logger = Logger(label: "http-fetch-fixture")
    logger.logLevel = .critical
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger)
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port != 0 else {
            await group.triggerGracefulShutdown()
            throw FixtureError.noPort
        }
        do {
            let result = try await body("http://127.0.0.1:\(port)", recorder)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
    }
}

enum FixtureError: Error { case noPort }
