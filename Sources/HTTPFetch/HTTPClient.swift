import Foundation

/// GETs over libcurl with timeouts, a body cap, retries with backoff, per-host politeness, bounded concurrency
/// and conditional requests (ETag / Last-Modified) backed by a memory or on-disk cache.
///
/// Copies share their cache, limiter and connection pool, so one client can be handed to many tasks.
/// ```swift
/// var configuration = HTTPClient.Configuration()
/// configuration.cacheDirectory = home.appendingPathComponent("http-cache").path
/// let response = try await HTTPClient(configuration: configuration).get("http://127.0.0.1:8765/v4/top/anime?page=1")
/// ```
public struct HTTPClient: Sendable {
    /// The settings this client was created with.
    public let configuration: Configuration
    private let handles: HandlePool
    private let slots: ConcurrencyLimiter
    private let hosts: HostRateLimiter
    private let cache: ResponseCache

    /// Creates a client; nothing is started until the first request.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        handles = HandlePool(capacity: max(1, configuration.maxConcurrent))
        slots = ConcurrencyLimiter(limit: configuration.maxConcurrent)
        hosts = HostRateLimiter()
        cache = ResponseCache(directory: configuration.cacheDirectory)
    }

    /// GET with conditional headers from the cache; a 304 returns the cached body with `fromCache == true`.
    ///
    /// Connection errors, timeouts, 5xx and 429 are retried up to `maxAttempts` tries, waiting the server's
    /// `Retry-After` or an exponential backoff with jitter; other 4xx fail at once.
    /// - Parameters:
    ///   - url: an `http` or `https` URL.
    ///   - headers: extra request headers; an explicit `If-None-Match`/`If-Modified-Since` replaces the cached validators.
    /// - Throws: ``HTTPFetchError`` naming the URL, the reason and the tries made; `CancellationError` if the task is cancelled.
    public func get(_ url: String, headers: [String: String] = [:]) async throws -> HTTPResponse {
        let cached = await cache.lookup(url)
        let request = transferRequest(url, headers: headers, cached: cached)
        return try await send(request) { response, attempts in await finish(url, response: response, cached: cached, attempts: attempts) }
    }

    /// POST of `body` (no cache, no redirects followed for the body's sake: libcurl turns a 301-303 into a GET), with
    /// the same timeouts, retries and backoff as ``get(_:headers:)``: a receiver that answers 5xx or 429, or none at
    /// all, gets the body again (at least once).
    /// - Throws: ``HTTPFetchError`` naming the URL, the reason and the tries made; `CancellationError` if cancelled.
    public func post(_ url: String, body: [UInt8], headers: [String: String] = [:]) async throws -> HTTPResponse {
        var request = transferRequest(url, headers: headers, cached: nil)
        request.postBody = body
        return try await send(request) { response, attempts in
            HTTPResponse(url: response.url, status: response.status, headers: response.headers, body: response.body, fromCache: false, attempts: attempts)
        }
    }

    /// Tries `request` until it answers, retrying what ``RetryRules`` says is worth it; `finish` makes the answer.
    private func send(
        _ request: TransferRequest, finish: (TransferResponse, Int) async -> HTTPResponse
    ) async throws -> HTTPResponse {
        let url = request.url
        let maxAttempts = max(1, configuration.maxAttempts)
        let host = Self.host(of: url)
        var attempt = 0
        while true {
            attempt += 1
            let retryAfter: Duration?
            switch try await performTry(request, host: host) {
            case .failure(let failure):
                guard failure.retryable, attempt < maxAttempts else {
                    throw HTTPFetchError(url: url, kind: failure.kind, attempts: attempt)
                }
                retryAfter = nil
            case .success(let response) where RetryRules.isRetryable(status: response.status):
                guard attempt < maxAttempts else {
                    throw HTTPFetchError(url: url, kind: .status(response.status), attempts: attempt)
                }
                retryAfter = response.headers["retry-after"].flatMap { RetryRules.retryAfter($0, now: Date()) }
            case .success(let response) where (400...499).contains(response.status):
                throw HTTPFetchError(url: url, kind: .status(response.status), attempts: attempt)
            case .success(let response):
                return await finish(response, attempt)
            }
            try await configuration.sleep(RetryRules.delay(beforeAttempt: attempt + 1, retryAfter: retryAfter, configuration: configuration))
        }
    }

    /// One try: a concurrency slot, the host's politeness wait, then the transfer on its own thread.
    private func performTry(_ request: TransferRequest, host: String) async throws -> Result<TransferResponse, TransferFailure> {
        try await slots.acquire()
        do {
            if configuration.perHostInterval > .zero {
                let wait = await hosts.reserve(host: host, interval: configuration.perHostInterval, now: .now)
                if wait > .zero { try await configuration.sleep(wait) }
            }
            let result = try await handles.perform(request)
            await slots.release()
            return result
        } catch {
            await slots.release()
            throw error
        }
    }

    /// Turns a final non-error response into the caller's view, serving a 304 from the cache and
    /// remembering validated 200s.
    private func finish(_ url: String, response: TransferResponse, cached: CachedResponse?, attempts: Int) async -> HTTPResponse {
        if response.status == 304, let cached {
            var headers = cached.metadata.headers
            headers.merge(response.headers) { _, fresh in fresh }
            headers["content-length"] = cached.metadata.headers["content-length"]
            if headers["etag"] != cached.metadata.etag || headers["last-modified"] != cached.metadata.lastModified {
                var refreshed = cached   // new validators for the same body: rewrite the entry (rare)
                refreshed.metadata.headers = headers
                refreshed.metadata.etag = headers["etag"]
                refreshed.metadata.lastModified = headers["last-modified"]
                await cache.store(url, refreshed)
            }
            return HTTPResponse(url: response.url, status: 200, headers: headers, body: cached.body, fromCache: true, attempts: attempts)
        }
        if response.status == 200 {
            let etag = response.headers["etag"]
            let lastModified = response.headers["last-modified"]
            let noStore = response.headers["cache-control"]?.lowercased().contains("no-store") ?? false
            if (etag != nil || lastModified != nil) && !noStore {
                let metadata = CacheMetadata(
                    url: url, finalURL: response.url, etag: etag, lastModified: lastModified, headers: response.headers,
                    bodyLength: response.body.count, bodyChecksum: FNV1a.hash(response.body))
                await cache.store(url, CachedResponse(metadata: metadata, body: response.body))
            } else if cached != nil {
                await cache.remove(url)
            }
        }
        return HTTPResponse(url: response.url, status: response.status, headers: response.headers, body: response.body, fromCache: false, attempts: attempts)
    }

    private func transferRequest(_ url: String, headers: [String: String], cached: CachedResponse?) -> TransferRequest {
        var lines = headers.sorted { $0.key < $1.key }.map { name, value in
            value.isEmpty ? "\(name);" : "\(name): \(value)"   // "Name;" is libcurl's way to send an empty header
        }
        let given = Set(headers.keys.map { $0.lowercased() })
        if let cached, !given.contains("if-none-match"), !given.contains("if-modified-since") {
            if let etag = cached.metadata.etag { lines.append("If-None-Match: \(etag)") }
            if let lastModified = cached.metadata.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        }
        return TransferRequest(
            url: url, headerLines: lines, userAgent: configuration.userAgent, proxy: configuration.proxy,
            connectTimeout: configuration.connectTimeout, totalTimeout: configuration.totalTimeout,
            maxRedirects: configuration.maxRedirects, maxBodyBytes: max(0, configuration.maxBodyBytes))
    }

    /// The politeness key: the URL's lowercased host (and port), or the whole string when it doesn't parse.
    static func host(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else { return url }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
