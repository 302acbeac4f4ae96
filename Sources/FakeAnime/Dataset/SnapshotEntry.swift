/// One show in a dataset snapshot: cleaned and raw text, genres, and the poster as a PNG at the training size.
public struct SnapshotEntry: Sendable, Equatable {
    public var malID: Int
    public var title: String
    public var titleRaw: String
    public var synopsis: String
    public var synopsisRaw: String
    public var genres: [String]
    public var posterPNG: [UInt8]

    public init(malID: Int, title: String, titleRaw: String, synopsis: String, synopsisRaw: String, genres: [String], posterPNG: [UInt8]) {
        self.malID = malID
        self.title = title
        self.titleRaw = titleRaw
        self.synopsis = synopsis
        self.synopsisRaw = synopsisRaw
        self.genres = genres
        self.posterPNG = posterPNG
    }
}
