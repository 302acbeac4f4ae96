extension HTTPClient {
    /// Timeouts, limits, retry policy, politeness and caching for an ``HTTPClient``.
    ///
    /// Time is injected: `sleep` serves both the retry backoff and the per-host politeness wait, and `random`
    /// supplies the jitter sample, so tests can record delays exactly.
    public struct Configuration: Sendable {
        /// The longest a connection may take to establish (`CURLOPT_CONNECTTIMEOUT_MS`).
        public var connectTimeout: Duration = .seconds(10)
        /// The longest one try may take, connection included (`CURLOPT_TIMEOUT_MS`); `.zero` means no limit.
        public var totalTimeout: Duration = .seconds(60)
        /// The most redirects followed before failing with ``HTTPFetchError/Kind/tooManyRedirects(limit:)``.
        public var maxRedirects: Int = 5
        /// The largest body accepted, after content decoding; the transfer is aborted beyond it.
        public var maxBodyBytes: Int = 20 << 20
        /// The User-Agent sent with every request (a `User-Agent` in the per-call headers wins).
        public var userAgent: String = "Nightshift/0.1 (+https://github.com/nightshift; workflow orchestrator)"
        /// A proxy URL such as `http://proxy:3128` or `socks5h://127.0.0.1:1080`; nil uses none (and ignores the environment).
        public var proxy: String? = nil
        /// Tries per request for retryable failures (connection errors, timeouts, 5xx, 429); at least 1.
        public var maxAttempts: Int = 4
        /// The first backoff delay; try n waits base·2ⁿ⁻², capped at ``retryMaxDelay``.
        public var retryBaseDelay: Duration = .milliseconds(500)
        /// The longest backoff or Retry-After wait.
        public var retryMaxDelay: Duration = .seconds(30)
        /// The jitter fraction: a backoff delay d becomes d·(1 + jitter·(2r − 1)) with r from ``random``.
        public var jitter: Double = 0.2
        /// The jitter sample in 0..<1.
        public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }
        /// Waits for a duration; used for retry backoff and per-host politeness.
        public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        /// The minimum time between the starts of two tries to one host (politeness); `.zero` disables it.
        public var perHostInterval: Duration = .zero
        /// The most transfers in flight at once over the client (and its copies); at least 1.
        public var maxConcurrent: Int = 4
        /// Where validators (ETag, Last-Modified) and cached bodies persist across processes; nil keeps them in memory only.
        public var cacheDirectory: String? = nil

        /// The defaults listed on each property.
        public init() {}
    }
}
