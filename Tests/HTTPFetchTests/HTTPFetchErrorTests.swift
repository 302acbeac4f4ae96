import HTTPFetch
import Testing

/// Every error kind reads as one sentence naming the URL and the tries.
@Suite struct HTTPFetchErrorTests {
    static let url = "http://127.0.0.1:8080/x"

    @Test(arguments: [
        (HTTPFetchError.Kind.curl(code: 7, message: "Couldn't connect to server"), "curl error 7: Couldn't connect to server"),
        (.status(503), "HTTP 503"),
        (.bodyTooLarge(limit: 1024), "body larger than the limit of 1024 bytes"),
        (.timedOut(after: .seconds(2)), "timed out after 2.0 seconds"),
        (.tooManyRedirects(limit: 5), "more than 5 redirects"),
        (.invalidURL, "invalid URL (only http and https are fetched)"),
    ])
    func descriptionNamesURLAttemptsAndReason(kind: HTTPFetchError.Kind, reason: String) {
        let error = HTTPFetchError(url: Self.url, kind: kind, attempts: 4)
        #expect(error.description == "GET \(Self.url) failed after 4 attempts: \(reason)")
    }

    @Test func singleAttemptIsSingular() {
        let error = HTTPFetchError(url: Self.url, kind: .status(404), attempts: 1)
        #expect(error.description == "GET \(Self.url) failed after 1 attempt: HTTP 404")
    }
}
