/// A scrape that cannot go on: the catalogue itself failed (a page could not be fetched or parsed). Broken posters
/// are not errors: they are skipped and counted.
public struct ScrapeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL that failed.
    public let url: String
    /// What went wrong, for people.
    public let reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "scrape failed at \(url): \(reason)" }
}
