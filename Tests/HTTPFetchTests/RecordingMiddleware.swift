import Hummingbird

/// Records each request before routing, so handlers can branch on the hit count.
struct RecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let recorder: Recorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = recorder.record(request)   // handlers read the hit count back through the recorder
        return try await next(request, context)
    }
}
