import HTTPFetch
import Testing

/// Retries: which failures retry, the backoff schedule with jitter, and Retry-After.
@Suite struct RetryTests {
    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        try await withFixtureServer { base, recorder in
            let sleeps = SleepRecorder()
            let response = try await makeClient(sleeps: sleeps).get(base + "/retry-after")
            #expect(response.status == 200)
            #expect(response.attempts == 2)
            #expect(sleeps.recorded == [.seconds(2)])
            #expect(recorder.hits("/retry-after") == 2)
        }
    }

    @Test func serverErrorsBackOffExponentiallyWithJitter() async throws {
        try await withFixtureServer { base, _ in
            let sleeps = SleepRecorder()
            let client = makeClient(sleeps: sleeps) {
                $0.random = { 0.75 }   // factor 1 + 0.2 · (2 · 0.75 − 1) = 1.1
                $0.jitter = 0.2
                $0.retryBaseDelay = .milliseconds(500)
            }
            let response = try await client.get(base + "/flaky")
            #expect(String(decoding: response.body, as: UTF8.self) == "recovered")
            #expect(response.attempts == 3)
            #expect(sleeps.recorded == [.milliseconds(550), .milliseconds(1100)])
        }
    }

    @Test func persistentServiceUnavailableFailsAfterMaxAttempts() async throws {
        try await withFixtureServer { base, recorder in
            let url = base + "/unavailable"
            let sleeps = SleepRecorder()
            let error = await expectFetchError { _ = try await makeClient(sleeps: sleeps) { $0.maxAttempts = 3 }.get(url) }
            #expect(error == HTTPFetchError(url: url, kind: .status(503), attempts: 3))
            #expect(error?.description == "GET \(url) failed after 3 attempts: HTTP 503")
            #expect(recorder.hits("/unavailable") == 3)
            #expect(sleeps.recorded == [.milliseconds(500), .seconds(1)])
        }
    }

    @Test func notFoundFailsAtOnce() async throws {
        try await withFixtureServer { base, recorder in
            let url = base + "/missing"
            let sleeps = SleepRecorder()
            let error = await expectFetchError { _ = try await makeClient(sleeps: sleeps).get(url) }
            #expect(error == HTTPFetchError(url: url, kind: .status(404), attempts: 1))
            #expect(error?.description == "GET \(url) failed after 1 attempt: HTTP 404")
            #expect(recorder.hits("/missing") == 1)
            #expect(sleeps.recorded.isEmpty)
        }
    }
}
