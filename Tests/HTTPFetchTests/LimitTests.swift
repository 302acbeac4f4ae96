@testable import HTTPFetch
import Testing

/// Politeness per host and the bound on transfers in flight.
@Suite struct LimitTests {
    @Test func perHostIntervalSpacesRequestStarts() async throws {
        try await withFixtureServer { base, recorder in
            let sleeps = SleepRecorder(realSleep: true)
            let client = makeClient(sleeps: sleeps) { $0.perHostInterval = .milliseconds(200) }
            let before = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { _ = try await client.get(base + "/echo") } }
                try await group.waitForAll()
            }
            // The limiter reserved starts at t, t + 200 ms and t + 400 ms (t ≥ before): the two later tries waited…
            let waits = sleeps.recorded
            try #require(waits.count == 2)
            #expect(waits.allSatisfy { $0 > .zero && $0 <= .milliseconds(400) })
            // …so, on the clock the server shares with us, the second and third arrivals came at least 200 and 400 ms
            // after `before` (a lower bound only: load can delay requests, never hurry them).
            let starts = recorder.requests(to: "/echo").map(\.at).sorted()
            try #require(starts.count == 3)
            #expect(starts[1] - before >= .milliseconds(200))
            #expect(starts[2] - before >= .milliseconds(400))
        }
    }

    @Test func hostLimiterReservesSlotsOneIntervalApart() async {
        let limiter = HostRateLimiter()
        let t0 = ContinuousClock.now
        let interval = Duration.milliseconds(200)
        #expect(await limiter.reserve(host: "a", interval: interval, now: t0) == .zero)
        #expect(await limiter.reserve(host: "a", interval: interval, now: t0) == .milliseconds(200))
        #expect(await limiter.reserve(host: "a", interval: interval, now: t0 + .milliseconds(50)) == .milliseconds(350))
        #expect(await limiter.reserve(host: "b", interval: interval, now: t0 + .milliseconds(50)) == .zero)
        #expect(await limiter.reserve(host: "a", interval: interval, now: t0 + .seconds(5)) == .zero)
    }

    @Test func politenessKeyIsHostAndPort() {
        #expect(HTTPClient.host(of: "http://Example.COM/a?b=1") == "example.com")
        #expect(HTTPClient.host(of: "http://127.0.0.1:8080/x") == "127.0.0.1:8080")
    }

    @Test func maxConcurrentBoundsTransfersInFlight() async throws {
        try await withFixtureServer { base, recorder in
            let client = makeClient { $0.maxConcurrent = 2 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await client.get(base + "/concurrent") } }
                try await group.waitForAll()
            }
            #expect(recorder.hits("/concurrent") == 6)
            #expect(recorder.maxInFlight == 2)
        }
    }
}
