import FakeAnime
import Testing

/// Demo posters: deterministic, smooth drawings with per-genre palettes, at any size.
@Suite struct DemoCataloguePosterTests {
    static let catalogue = DemoCatalogue(shows: 60, seed: 1)

    /// Mean absolute difference between horizontally adjacent channel values.
    static func meanHorizontalStep(_ poster: PosterCanvas) -> Double {
        var total = 0, count = 0
        for y in 0..<poster.height {
            for x in 0..<(poster.width - 1) {
                let a = (y * poster.width + x) * 3
                for channel in 0..<3 { total += abs(Int(poster.pixels[a + channel]) - Int(poster.pixels[a + 3 + channel])) }
                count += 3
            }
        }
        return Double(total) / Double(count)
    }

    static func meanColor(_ poster: PosterCanvas) -> (Double, Double, Double) {
        var sums = (0, 0, 0)
        for index in stride(from: 0, to: poster.pixels.count, by: 3) {
            sums.0 += Int(poster.pixels[index])
            sums.1 += Int(poster.pixels[index + 1])
            sums.2 += Int(poster.pixels[index + 2])
        }
        let n = Double(poster.pixels.count / 3)
        return (Double(sums.0) / n, Double(sums.1) / n, Double(sums.2) / n)
    }

    @Test func defaultPosterSizeAndLayout() throws {
        let id = try #require(Self.catalogue.shows.first).malID
        let poster = Self.catalogue.poster(for: id)
        #expect(poster.width == 225 && poster.height == 318)
        #expect(poster.pixels.count == 225 * 318 * 3)
        let small = Self.catalogue.poster(for: id, width: 64, height: 64)
        #expect(small.width == 64 && small.height == 64 && small.pixels.count == 64 * 64 * 3)
    }

    @Test func sameSeedSamePixelsDifferentSeedDifferentPixels() throws {
        let id = try #require(Self.catalogue.shows.dropFirst(3).first).malID
        #expect(Self.catalogue.poster(for: id, width: 64, height: 64) == DemoCatalogue(shows: 60, seed: 1).poster(for: id, width: 64, height: 64))
        let other = DemoCatalogue(shows: 60, seed: 2)
        let otherID = try #require(other.shows.dropFirst(3).first).malID
        #expect(Self.catalogue.poster(for: id, width: 64, height: 64) != other.poster(for: otherID, width: 64, height: 64))
    }

    @Test func postersOfDifferentShowsDiffer() {
        let posters = Self.catalogue.shows.prefix(12).map { Self.catalogue.poster(for: $0.malID, width: 64, height: 64) }
        #expect(Set(posters.map(\.pixels)).count == posters.count)
    }

    @Test func postersAreSmoothNotNoise() {
        for show in Self.catalogue.shows.prefix(20) {
            let full = Self.meanHorizontalStep(Self.catalogue.poster(for: show.malID))
            let small = Self.meanHorizontalStep(Self.catalogue.poster(for: show.malID, width: 64, height: 64))
            #expect(full < 12, "\(show.genres[0]) poster \(show.malID): mean step \(full)")
            #expect(small < 20, "\(show.genres[0]) 64×64 poster \(show.malID): mean step \(small)")
            // Not blank either: the figure, motif and band make edges.
            #expect(full > 0.5)
        }
    }

    @Test func postersHaveATitleBandOfOneColourAtTheTopOrBottom() {
        for show in Self.catalogue.shows.prefix(10) {
            let poster = Self.catalogue.poster(for: show.malID)
            // The band's left margin is one colour across several rows at the very top or the very bottom.
            func uniformMargin(rows: ClosedRange<Int>) -> Bool {
                let reference = poster[2, rows.lowerBound]
                return rows.allSatisfy { y in (0..<5).allSatisfy { x in poster[x, y] == reference } }
            }
            #expect(uniformMargin(rows: 1...30) || uniformMargin(rows: 287...316), "poster \(show.malID) has no band")
        }
    }

    @Test func genresHaveDistinctPalettes() {
        var means: [String: [(Double, Double, Double)]] = [:]
        for show in DemoCatalogue(shows: 40, seed: 11).shows {
            means[show.genres[0], default: []].append(Self.meanColor(DemoCatalogue(shows: 40, seed: 11).poster(for: show.malID, width: 48, height: 64)))
        }
        let genres = means.keys.sorted()
        #expect(genres.count == 10)
        let average = genres.map { genre in
            let colors = means[genre]!
            return (colors.map(\.0).reduce(0, +) / Double(colors.count), colors.map(\.1).reduce(0, +) / Double(colors.count),
                    colors.map(\.2).reduce(0, +) / Double(colors.count))
        }
        for i in genres.indices {
            for j in genres.indices where j > i {
                let a = average[i], b = average[j]
                let distance = ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)).squareRoot()
                #expect(distance > 12, "\(genres[i]) and \(genres[j]) palettes are \(distance) apart")
            }
        }
    }

    @Test func unknownIDsStillGetAPoster() {
        let poster = Self.catalogue.poster(for: 999_999_999, width: 32, height: 32)
        #expect(poster.width == 32 && poster == Self.catalogue.poster(for: 999_999_999, width: 32, height: 32))
    }
}
