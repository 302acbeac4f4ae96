@testable import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Failed logins are throttled per user and per client address: five go through, then each key is locked for 1 s,
/// 2 s, 4 s, … from its latest failure, and a locked attempt is refused without checking the password.
@Suite struct LoginThrottleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func locksExponentiallyAfterFiveFailuresAndASuccessClears() {
        let throttle = LoginThrottle()
        let keys = LoginThrottle.keys(user: "admin", address: "10.0.0.7")
        for attempt in 1...4 {
            #expect(throttle.recordFailure(keys, now: t0.addingTimeInterval(Double(attempt))) == nil, "failure \(attempt) is free")
        }
        #expect(throttle.retryAfter(keys, now: t0.addingTimeInterval(4)) == nil)
        #expect(throttle.recordFailure(keys, now: t0.addingTimeInterval(5)) == 1)
        #expect(throttle.retryAfter(keys, now: t0.addingTimeInterval(5.5)) == 0.5)
        #expect(throttle.retryAfter(keys, now: t0.addingTimeInterval(6)) == nil, "the lock ends")
        #expect(throttle.recordFailure(keys, now: t0.addingTimeInterval(6)) == 2)
        #expect(throttle.recordFailure(keys, now: t0.addingTimeInterval(8)) == 4)
        // The same user from another address is locked too (per user), and another user from this address (per address).
        #expect(throttle.retryAfter(LoginThrottle.keys(user: "admin", address: "10.0.0.8"), now: t0.addingTimeInterval(9)) == 3)
        #expect(throttle.retryAfter(LoginThrottle.keys(user: "ops", address: "10.0.0.7"), now: t0.addingTimeInterval(9)) == 3)
        #expect(throttle.retryAfter(LoginThrottle.keys(user: "ops", address: "10.0.0.9"), now: t0.addingTimeInterval(9)) == nil)
        for step in 0..<20 { throttle.recordFailure(keys, now: t0.addingTimeInterval(20 + Double(step))) }
        #expect(throttle.retryAfter(keys, now: t0.addingTimeInterval(39)) == LoginThrottle.maxDelay, "capped at 15 minutes")
        throttle.recordSuccess(keys)
        #expect(throttle.retryAfter(keys, now: t0.addingTimeInterval(40)) == nil)
        #expect(throttle.recordFailure(keys, now: t0.addingTimeInterval(41)) == nil, "a success starts the count again")
    }

    @Test func failuresAreForgottenAfterAnHour() {
        let throttle = LoginThrottle()
        let keys = LoginThrottle.keys(user: "admin", address: "10.0.0.7")
        for attempt in 1...4 { throttle.recordFailure(keys, now: t0.addingTimeInterval(Double(attempt))) }
        #expect(throttle.recordFailure(keys, now: t0.addingTimeInterval(3605)) == nil, "an hour later the count starts again")
    }

    @Test func theSixthWrongPasswordIs429AndEvenTheRightOneWaits() async throws {
        try await Fixture.with { fixture, client in
            // The throttle's clock stands still, so a loaded machine cannot let the lock run out mid-test.
            fixture.dashboard.loginThrottle.freeze(at: t0)
            for _ in 1...5 {
                #expect(try await CredentialUpgradeTests.login(client, password: "guess") == .unauthorized)
            }
            let form = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(Fixture.cookie(form, named: "nightshift_login"))
            let csrf = try #require(Fixture.hiddenCSRF(String(buffer: form.body)))
            let refused = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "nightshift_login=\(loginCookie)"],
                body: Fixture.form(["csrf": csrf, "password": Fixture.password]))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1", "\(refused.headers)")
            #expect(String(buffer: refused.body).contains("Too many failed logins"))
            #expect(Fixture.cookie(refused, named: "nightshift_session") == nil, "no session while locked, even with the right password")
            fixture.dashboard.loginThrottle.freeze(at: t0.addingTimeInterval(1.5))
            #expect(try await CredentialUpgradeTests.login(client, password: Fixture.password) == .seeOther, "after the lock the password works")
        }
    }
}
