/// A deterministic, made-up anime catalogue: the offline default the scraper reads from the project's own loopback server.
///
/// Titles and synopses come from a per-genre grammar (recurring characters, places and phrases), so a word-level
/// language model has real structure to learn; posters are drawn procedurally per genre, so a small GAN does too.
/// The same `(shows, seed)` always gives the same catalogue, byte for byte, and a longer catalogue extends a shorter
/// one with the same seed: `DemoCatalogue(shows: 40).shows == DemoCatalogue(shows: 41).shows.prefix(40)`.
public struct DemoCatalogue: Sendable {
    /// The shows in catalogue order (malIDs increasing, with gaps).
    public let shows: [DemoShow]
    /// The seed everything was drawn from.
    public let seed: UInt64
    /// Position in `shows` by malID.
    private let positions: [Int: Int]
    /// Index in `DemoGenre.all` of each show's first genre.
    private let genreIndexes: [Int]

    /// About one synopsis in `emptyEvery` is empty (exactly one per block of that many shows).
    static let emptyEvery = 33

    /// Generates a catalogue.
    /// - Parameters:
    ///   - shows: how many shows (at least 0). Every genre appears once there are 10 or more.
    ///   - seed: the seed of every random choice.
    public init(shows count: Int = 300, seed: UInt64 = 1) {
        precondition(count >= 0, "DemoCatalogue needs a show count of 0 or more, got \(count)")
        let genres = DemoGenre.all
        var shows: [DemoShow] = []
        var genreIndexes: [Int] = []
        var writers: [DemoTextWriter] = []
        var originals: [Int] = []
        var titles: Set<String> = []
        var malID = 0
        var genreBlock: [Int] = []
        var emptyAt = -1
        shows.reserveCapacity(count)

        for position in 0..<count {
            // Genres come in shuffled blocks, one of each per block, so the mix is balanced at any length.
            if position % genres.count == 0 {
                var block = SplitMix64(seed: seed, stream: 0x6E_0000_0000 + UInt64(position / genres.count))
                genreBlock = Array(genres.indices)
                block.shuffle(&genreBlock)
            }
            if position % Self.emptyEvery == 0 {
                var block = SplitMix64(seed: seed, stream: 0x65_0000_0000 + UInt64(position / Self.emptyEvery))
                emptyAt = position + block.int(below: Self.emptyEvery)
            }
            var random = SplitMix64(seed: seed, stream: UInt64(position))
            malID += 1 + random.int(below: 40) + (random.chance(0.1) ? random.int(below: 2_000) : 0)

            let title: String, synopsis: String, showGenres: [String], genreIndex: Int, writer: DemoTextWriter
            if position >= 5, random.chance(0.08), !originals.isEmpty {
                let base = originals[random.int(below: originals.count)]
                writer = writers[base]
                genreIndex = genreIndexes[base]
                showGenres = shows[base].genres
                title = writer.sequelTitles(of: shows[base].title, random: &random).first { !titles.contains($0) }
                    ?? "\(shows[base].title) (\(malID))"
                synopsis = writer.sequelSynopsis(of: shows[base].title, random: &random)
            } else {
                genreIndex = genreBlock[position % genres.count]
                let genre = genres[genreIndex]
                writer = DemoTextWriter(genre: genre, random: &random)
                var candidate = writer.title(random: &random)
                for _ in 0..<8 where titles.contains(candidate) { candidate = writer.title(random: &random) }
                title = titles.contains(candidate)
                    ? writer.sequelTitles(of: candidate, random: &random).first { !titles.contains($0) } ?? "\(candidate) (\(malID))"
                    : candidate
                synopsis = writer.synopsis(random: &random)
                var names = [genre.name]
                if random.chance(0.55) { names.append(random.pick(genre.companions)) }
                if random.chance(0.2) {
                    let extra = random.pick(genre.companions)
                    if !names.contains(extra) { names.append(extra) }
                }
                showGenres = names
                originals.append(position)
            }
            titles.insert(title)
            writers.append(writer)
            genreIndexes.append(genreIndex)
            shows.append(DemoShow(malID: malID, title: title, synopsis: Self.decorate(synopsis, empty: position == emptyAt, random: &random),
                                  genres: showGenres))
        }
        self.shows = shows
        self.seed = seed
        self.genreIndexes = genreIndexes
        positions = Dictionary(uniqueKeysWithValues: shows.enumerated().map { ($1.malID, $0) })
    }

    /// Empties the synopsis, or adds the credit lines real catalogues carry, so the scraper's cleaning has work to do.
    private static func decorate(_ synopsis: String, empty: Bool, random: inout SplitMix64) -> String {
        if empty { return "" }
        let roll = random.unit()
        if roll < 0.12 { return synopsis + "\n\n[Written by MAL Rewrite]" }
        if roll < 0.18 { return synopsis + " (Source: Demo Press)" }
        if roll < 0.21 { return synopsis + "\n\n(Source: Demo Press)" }
        return synopsis
    }

    /// The show with `id`, if the catalogue has one.
    public func show(id: Int) -> DemoShow? {
        positions[id].map { shows[$0] }
    }

    /// The genres every demo show draws from, in a fixed order.
    public static let genreNames: [String] = DemoGenre.all.map(\.name)

    /// Draws the poster of show `id`: its genre's palette and motif, a character and a title band.
    ///
    /// The same id, seed and size always give the same pixels. An id that is not in the catalogue still gets a
    /// poster (an untitled one in a genre picked from the id), so callers decide themselves what is missing.
    /// - Precondition: `width` and `height` are positive.
    public func poster(for id: Int, width: Int = 225, height: Int = 318) -> PosterCanvas {
        let position = positions[id]
        let genreIndex = position.map { genreIndexes[$0] } ?? ((id % DemoGenre.all.count) + DemoGenre.all.count) % DemoGenre.all.count
        var random = SplitMix64(seed: seed, stream: 0x70_0000_0000 ^ UInt64(bitPattern: Int64(id)))
        return DemoPosterPainter.paint(title: position.map { shows[$0].title } ?? "", style: DemoPosterStyle.forGenre(at: genreIndex),
                                       width: width, height: height, random: &random)
    }
}
