extension CatalogueServerConfiguration {
    /// Faults the server injects, so that a scraper's politeness and error handling can be tested against real sockets.
    ///
    /// Requests are counted from 1 across every route; the rate limit is checked before the server error.
    public struct Faults: Sendable, Equatable {
        /// Every Nth request gets `429 Too Many Requests` with `Retry-After: 1`.
        public var rateLimitEvery: Int?
        /// Every Nth request gets `500 Internal Server Error`.
        public var serverErrorEvery: Int?
        /// Every response is delayed by this much.
        public var slowResponse: Duration?
        /// Posters served as truncated, garbled JPEG bytes (still starting with FF D8, never decodable).
        public var corruptPosterIDs: Set<Int>
        /// Posters that answer 404 although their show is listed.
        public var missingPosterIDs: Set<Int>

        /// No faults unless given.
        public init(rateLimitEvery: Int? = nil, serverErrorEvery: Int? = nil, slowResponse: Duration? = nil,
                    corruptPosterIDs: Set<Int> = [], missingPosterIDs: Set<Int> = []) {
            self.rateLimitEvery = rateLimitEvery
            self.serverErrorEvery = serverErrorEvery
            self.slowResponse = slowResponse
            self.corruptPosterIDs = corruptPosterIDs
            self.missingPosterIDs = missingPosterIDs
        }
    }
}
