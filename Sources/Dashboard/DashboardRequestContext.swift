public import Hummingbird
import NIOCore

/// The request context of the dashboard: what the security middleware learnt about the caller.
public struct DashboardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's session, when it sent a valid session cookie.
    var session: Session?
    /// True when the caller authenticated with the API bearer token.
    var bearer = false
    /// The URL-encoded form of a POST, parsed once by the middleware (which checked its CSRF token).
    var form: FormData = FormData()
    /// The peer's IP address (no port), for login throttling and logs; "unknown" where the transport has none.
    let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension DashboardRequestContext {
    /// A path parameter, percent-decoded (the router matches raw path segments; links encode ids).
    /// - Throws: a 400 when the route has no such parameter.
    func parameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}

import Foundation
