import HTTPFetch
import Testing

/// Plain fetches against the loopback fixture: bodies, headers, redirects, limits and failures.
@Suite struct FetchTests {
    @Test func okReturnsBodyAndLowercasedHeaders() async throws {
        try await withFixtureServer { base, _ in
            let response = try await makeClient().get(base + "/ok")
            #expect(response.status == 200)
            #expect(response.url == base + "/ok")
            #expect(String(decoding: response.body, as: UTF8.self) == Fixture.okBody)
            #expect(response.headers["x-fixture"] == "yes")
            #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(response.fromCache == false)
            #expect(response.attempts == 1)
        }
    }

    @Test func customHeaderAndUserAgentReachTheServer() async throws {
        try await withFixtureServer { base, recorder in
            _ = try await makeClient { $0.userAgent = "NightshiftTests/1.0" }.get(base + "/echo", headers: ["X-Request-ID": "abc-123"])
            _ = try await makeClient().get(base + "/echo")
            let seen = recorder.requests(to: "/echo")
            try #require(seen.count == 2)
            #expect(seen[0].headers["x-request-id"] == "abc-123")
            #expect(seen[0].headers["user-agent"] == "NightshiftTests/1.0")
            #expect(seen[1].headers["user-agent"] == HTTPClient.Configuration().userAgent)
        }
    }

    @Test func redirectsAreFollowedToTheFinalURL() async throws {
        try await withFixtureServer { base, _ in
            let response = try await makeClient().get(base + "/redirect")
            #expect(response.url == base + "/ok")
            #expect(String(decoding: response.body, as: UTF8.self) == Fixture.okBody)
        }
    }

    @Test func redirectLoopFailsWithTooManyRedirects() async throws {
        try await withFixtureServer { base, recorder in
            let url = base + "/loop"
            let error = await expectFetchError { _ = try await makeClient { $0.maxRedirects = 3 }.get(url) }
            #expect(error == HTTPFetchError(url: url, kind: .tooManyRedirects(limit: 3), attempts: 1))
            #expect(recorder.hits("/loop") == 4)
            #expect(error?.description == "GET \(url) failed after 1 attempt: more than 3 redirects")
        }
    }

    @Test(arguments: ["/big", "/big-chunked"])
    func bodyBeyondTheCapIsAborted(path: String) async throws {
        try await withFixtureServer { base, _ in
            let url = base + path
            let error = await expectFetchError { _ = try await makeClient { $0.maxBodyBytes = 10_000 }.get(url) }
            #expect(error == HTTPFetchError(url: url, kind: .bodyTooLarge(limit: 10_000), attempts: 1))
            #expect(error?.description.contains(url) == true)
        }
    }

    @Test func bodyAtTheCapIsAccepted() async throws {
        try await withFixtureServer { base, _ in
            let response = try await makeClient { $0.maxBodyBytes = Fixture.bigBytes }.get(base + "/big-chunked")
            #expect(response.body.count == Fixture.bigBytes)
        }
    }

    @Test func gzipEncodedBodyIsDecoded() async throws {
        try await withFixtureServer { base, recorder in
            let response = try await makeClient().get(base + "/gzip")
            #expect(String(decoding: response.body, as: UTF8.self) == Fixture.gzipPlain)
            #expect(response.headers["content-encoding"] == "gzip")
            #expect(recorder.requests(to: "/gzip").first?.headers["accept-encoding"]?.contains("gzip") == true)
        }
    }

    @Test func slowResponseTimesOut() async throws {
        try await withFixtureServer { base, _ in
            let url = base + "/slow"
            let error = await expectFetchError {
                _ = try await makeClient { $0.totalTimeout = .milliseconds(300); $0.maxAttempts = 1 }.get(url)
            }
            #expect(error == HTTPFetchError(url: url, kind: .timedOut(after: .milliseconds(300)), attempts: 1))
            #expect(error?.description == "GET \(url) failed after 1 attempt: timed out after 0.3 seconds")
        }
    }

    @Test func connectionRefusedIsACurlErrorWithCodeAndText() async throws {
        let url = "http://127.0.0.1:1/nothing-listens-here"
        let sleeps = SleepRecorder()
        let error = await expectFetchError { _ = try await makeClient(sleeps: sleeps) { $0.maxAttempts = 2 }.get(url) }
        let fetchError = try #require(error)
        guard case .curl(let code, let message) = fetchError.kind else {
            Issue.record("expected a curl error, got \(fetchError.kind)")
            return
        }
        #expect(code == 7)
        #expect(message.hasPrefix("Couldn't connect to server"))
        #expect(fetchError.attempts == 2)
        #expect(sleeps.recorded == [.milliseconds(500)])
        #expect(fetchError.description.hasPrefix("GET \(url) failed after 2 attempts: curl error 7: Couldn't connect to server"))
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "http://[::1/broken", "no scheme at all"])
    func unsupportedOrMalformedURLIsInvalid(url: String) async throws {
        let sleeps = SleepRecorder()
        let error = await expectFetchError { _ = try await makeClient(sleeps: sleeps).get(url) }
        #expect(error == HTTPFetchError(url: url, kind: .invalidURL, attempts: 1))
        #expect(sleeps.recorded.isEmpty)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withFixtureServer { base, recorder in
            defer { recorder.openGate() }
            let fetch = Task { try await makeClient().get(base + "/gate") }
            while recorder.hits("/gate") == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let cancelled = ContinuousClock.now
            fetch.cancel()
            let result = await fetch.result
            // The response is held until the gate opens (after this), so only an abort can end the wait; libcurl's
            // progress callback notices the flag within about a second (10 s leaves room for a loaded machine).
            #expect(ContinuousClock.now - cancelled < .seconds(10))
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }
}
