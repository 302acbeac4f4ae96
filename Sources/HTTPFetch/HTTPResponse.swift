/// A completed GET: the final URL, status, lowercased headers and the (decoded) body.
public struct HTTPResponse: Sendable, Equatable {
    /// The final URL after redirects.
    public var url: String
    /// The HTTP status; a 304 answered from the cache reports 200 with ``fromCache`` set.
    public var status: Int
    /// Response headers with lowercased names; repeated headers are joined with ", ".
    public var headers: [String: String]
    /// The body, after content decoding (gzip, deflate…).
    public var body: [UInt8]
    /// Whether the body came from the conditional-request cache (the server answered 304).
    public var fromCache: Bool
    /// How many tries the request took (1 when the first one succeeded).
    public var attempts: Int

    /// Creates a response; ``HTTPClient`` builds these, tests and fakes may too.
    public init(url: String, status: Int, headers: [String: String], body: [UInt8], fromCache: Bool, attempts: Int) {
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.fromCache = fromCache
        self.attempts = attempts
    }
}
