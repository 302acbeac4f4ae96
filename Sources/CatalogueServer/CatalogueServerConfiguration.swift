/// Where and how the demo catalogue server listens, and which faults it injects.
public struct CatalogueServerConfiguration: Sendable {
    /// The TCP port; 0 (the default) asks the system for a free one, reported through `onReady`.
    public var port: Int
    /// Shows per `/v4/top/anime` page (Jikan serves 25).
    public var pageSize: Int
    /// Faults to inject, none by default.
    public var faults: Faults

    /// The address the server binds: loopback only, always. The demo catalogue is never exposed to a network.
    public var host: String { "127.0.0.1" }

    /// Creates a configuration; the defaults serve on an ephemeral loopback port, 25 shows a page, without faults.
    public init(port: Int = 0, pageSize: Int = 25, faults: Faults = Faults()) {
        self.port = port
        self.pageSize = pageSize
        self.faults = faults
    }

    /// Checks every field.
    /// - Throws: `CatalogueServerError` naming the first bad field and its value.
    func validate() throws(CatalogueServerError) {
        guard (0...65_535).contains(port) else { throw .invalidConfiguration(field: "port", value: "\(port)", expected: "0…65535") }
        guard pageSize >= 1 else { throw .invalidConfiguration(field: "pageSize", value: "\(pageSize)", expected: "at least 1") }
        if let every = faults.rateLimitEvery, every < 1 {
            throw .invalidConfiguration(field: "faults.rateLimitEvery", value: "\(every)", expected: "at least 1")
        }
        if let every = faults.serverErrorEvery, every < 1 {
            throw .invalidConfiguration(field: "faults.serverErrorEvery", value: "\(every)", expected: "at least 1")
        }
        if let delay = faults.slowResponse, delay < .zero {
            throw .invalidConfiguration(field: "faults.slowResponse", value: "\(delay)", expected: "zero or more")
        }
    }
}
