/// One show of the demo catalogue, as the catalogue server serves it.
public struct DemoShow: Sendable, Codable, Equatable {
    /// The catalogue id (unique, increasing, with gaps, like MyAnimeList ids).
    public let malID: Int
    /// The title, unique within the catalogue.
    public let title: String
    /// English prose of 2–5 sentences; empty for a few shows, and some end with a credit such as "[Written by MAL Rewrite]".
    public let synopsis: String
    /// Jikan genre names; the first one decides the grammar and the poster's palette.
    public let genres: [String]

    /// Creates a show.
    public init(malID: Int, title: String, synopsis: String, genres: [String]) {
        self.malID = malID
        self.title = title
        self.synopsis = synopsis
        self.genres = genres
    }
}
