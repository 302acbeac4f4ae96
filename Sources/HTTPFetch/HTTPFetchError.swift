/// Why a GET failed, with the URL and the number of tries it took.
///
/// `description` is the sentence a user reads, e.g.
/// `GET http://127.0.0.1:8080/x failed after 4 attempts: HTTP 503`.
public struct HTTPFetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure itself.
    public enum Kind: Sendable, Equatable {
        /// A libcurl failure: its `CURLcode` and `curl_easy_strerror` text, plus the error buffer's detail when there is one.
        case curl(code: Int32, message: String)
        /// A 4xx other than 429 (at once), or a 5xx/429 still failing after the last attempt.
        case status(Int)
        /// The body (after decoding) or its announced Content-Length exceeded the configured limit in bytes.
        case bodyTooLarge(limit: Int)
        /// The connection or the whole transfer took longer than the configured timeout.
        case timedOut(after: Duration)
        /// The server redirected more times than the configured limit.
        case tooManyRedirects(limit: Int)
        /// The URL could not be parsed or uses a scheme other than http/https.
        case invalidURL
    }

    /// The URL that was requested.
    public let url: String
    /// What went wrong.
    public let kind: Kind
    /// How many tries were made before giving up.
    public let attempts: Int

    /// Creates an error; ``HTTPClient`` builds these, fakes may too.
    public init(url: String, kind: Kind, attempts: Int) {
        self.url = url
        self.kind = kind
        self.attempts = attempts
    }

    /// `GET <url> failed after <n> attempt(s): <reason>`.
    public var description: String {
        "GET \(url) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(kind)"
    }
}

extension HTTPFetchError.Kind: CustomStringConvertible {
    /// The reason alone, e.g. `HTTP 503` or `curl error 7 (Couldn't connect to server)`.
    public var description: String {
        switch self {
        case .curl(let code, let message): "curl error \(code): \(message)"
        case .status(let status): "HTTP \(status)"
        case .bodyTooLarge(let limit): "body larger than the limit of \(limit) bytes"
        case .timedOut(let after): "timed out after \(after)"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .invalidURL: "invalid URL (only http and https are fetched)"
        }
    }
}
