import HTTPTypes
import Hummingbird

/// Delays every response and answers the chosen requests with 429 or 500 before they reach a route.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let injector: FaultInjector
    let delay: Duration?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let delay, delay > .zero { try await Task.sleep(for: delay) }
        switch injector.nextRequest() {
        case .rateLimited:
            var response = CatalogueResponses.error(.tooManyRequests, type: "RateLimitException",
                                                    message: "You are being rate limited by the demo catalogue; retry after 1 second.")
            response.headers[.retryAfter] = "1"
            return response
        case .serverError:
            return CatalogueResponses.error(.internalServerError, type: "UpstreamException",
                                            message: "The demo catalogue failed on purpose (serverErrorEvery).")
        case .none:
            return try await next(request, context)
        }
    }
}
