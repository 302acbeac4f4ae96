import FakeAnime
import Foundation
import Testing

/// The demo catalogue's shows: deterministic, unique, in every genre, and written in a grammar with real structure.
@Suite struct DemoCatalogueTextTests {
    static let catalogue = DemoCatalogue()
    static let trailers = ["\n\n[Written by MAL Rewrite]", " (Source: Demo Press)", "\n\n(Source: Demo Press)"]

    /// The synopsis without its credit line.
    static func prose(_ synopsis: String) -> String {
        for trailer in trailers where synopsis.hasSuffix(trailer) { return String(synopsis.dropLast(trailer.count)) }
        return synopsis
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0 == "'" || $0 == "-") }.map(String.init)
    }

    @Test func sameSeedGivesTheSameShows() {
        #expect(DemoCatalogue(shows: 300, seed: 1).shows == Self.catalogue.shows)
        #expect(DemoCatalogue(shows: 120, seed: 42).shows == DemoCatalogue(shows: 120, seed: 42).shows)
    }

    @Test func differentSeedGivesDifferentShows() {
        let other = DemoCatalogue(shows: 300, seed: 2).shows
        #expect(other != Self.catalogue.shows)
        #expect(Set(other.map(\.title)).intersection(Self.catalogue.shows.map(\.title)).count < 150)
    }

    @Test func aLongerCatalogueExtendsAShorterOne() {
        #expect(Array(DemoCatalogue(shows: 41, seed: 5).shows.prefix(40)) == DemoCatalogue(shows: 40, seed: 5).shows)
    }

    @Test(arguments: [0, 1, 7])
    func smallCataloguesHaveTheRequestedSize(_ count: Int) {
        #expect(DemoCatalogue(shows: count, seed: 3).shows.count == count)
    }

    @Test func defaultCatalogueHasThreeHundredUniqueShows() {
        let shows = Self.catalogue.shows
        #expect(shows.count == 300)
        #expect(Set(shows.map(\.title)).count == shows.count)
        #expect(Set(shows.map(\.malID)).count == shows.count)
        #expect(shows.allSatisfy { !$0.title.isEmpty && !$0.genres.isEmpty && Set($0.genres).count == $0.genres.count })
    }

    @Test func malIDsIncreaseWithGaps() {
        let ids = Self.catalogue.shows.map(\.malID)
        #expect(ids.first.map { $0 >= 1 } == true)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        #expect(ids.last! - ids.first! > ids.count * 2, "ids are not contiguous")
    }

    @Test func everyGenreAppearsAsFirstGenre() {
        let first = Set(Self.catalogue.shows.map { $0.genres[0] })
        #expect(first == Set(DemoCatalogue.genreNames))
        #expect(DemoCatalogue.genreNames.count >= 10)
        #expect(Set(DemoCatalogue(shows: 10, seed: 9).shows.map { $0.genres[0] }).count == 10)
    }

    @Test func aboutThreePercentOfSynopsesAreEmpty() {
        let empty = Self.catalogue.shows.filter { $0.synopsis.isEmpty }.count
        #expect((6...12).contains(empty), "\(empty) empty synopses of 300")
    }

    @Test func someSynopsesCarryCreditsForTheCleanerToRemove() {
        let synopses = Self.catalogue.shows.map(\.synopsis)
        let written = synopses.filter { $0.hasSuffix("\n\n[Written by MAL Rewrite]") }.count
        let source = synopses.filter { $0.hasSuffix("(Source: Demo Press)") }.count
        #expect(written >= 15 && written <= 60)
        #expect(source >= 5 && source <= 40)
    }

    @Test func titlesUseSeveralTemplatesIncludingSequels() {
        let titles = Self.catalogue.shows.map(\.title)
        #expect(titles.contains { $0.hasPrefix("My ") && $0.hasSuffix("!") && $0.contains(" Is a") })
        #expect(titles.contains { $0.contains("'s ") })
        #expect(titles.contains { $0.contains(" of the ") })
        let sequels = titles.filter { $0.hasSuffix(" II") || $0.hasSuffix(" 2nd Season") || $0.contains(": ") }
        #expect(sequels.count >= 5)
        // A sequel's title starts with an earlier title, and it shares that show's genres.
        for sequel in Self.catalogue.shows where sequel.title.hasSuffix(" II") {
            let base = String(sequel.title.dropLast(3))
            let original = Self.catalogue.shows.first { $0.title == base }
            #expect(original != nil, "no original for '\(sequel.title)'")
            #expect(original?.genres == sequel.genres)
            #expect(original.map { $0.malID < sequel.malID } == true)
        }
    }

    @Test func synopsesAreTwoToFiveGrammaticalSentences() {
        for show in Self.catalogue.shows where !show.synopsis.isEmpty {
            let text = Self.prose(show.synopsis)
            #expect(!text.contains("{") && !text.contains("}") && !text.contains("  ") && !text.contains("\n"), "\(text)")
            #expect(text.last.map { ".?!".contains($0) } == true, "\(text)")
            let pieces = text.replacingOccurrences(of: "! ", with: ". ").replacingOccurrences(of: "? ", with: ". ").components(separatedBy: ". ")
            #expect((2...5).contains(pieces.count), "\(pieces.count) sentences: \(text)")
            #expect(pieces.allSatisfy { $0.first?.isUppercase == true }, "\(text)")
            #expect(!text.contains(" a a") && !text.contains(" a e") && !text.contains(" a i"), "\(text)")
        }
    }

    @Test func synopsesMentionTheirGenresRecurringCharacters() {
        // Each genre's protagonists recur: the same few names open many synopses.
        var namesByGenre: [String: [String: Int]] = [:]
        for show in Self.catalogue.shows where !show.synopsis.isEmpty {
            for word in Self.prose(show.synopsis).split(separator: " ") where word.first?.isUppercase == true {
                namesByGenre[show.genres[0], default: [:]][String(word), default: 0] += 1
            }
        }
        for (genre, counts) in namesByGenre {
            #expect(counts.values.filter { $0 >= 3 }.count >= 5, "\(genre) has few recurring capitalised words")
        }
    }

    @Test func frequentWordsCoverMostTokens() {
        let tokens = Self.catalogue.shows.flatMap { Self.words(Self.prose($0.synopsis)) + Self.words($0.title) }
        var counts: [String: Int] = [:]
        for token in tokens { counts[token, default: 0] += 1 }
        let top50 = counts.values.sorted(by: >).prefix(50).reduce(0, +)
        #expect(tokens.count > 10_000)
        #expect(Double(top50) / Double(tokens.count) > 0.4, "top 50 words cover \(top50) of \(tokens.count)")
        #expect(counts.count < 2_000, "vocabulary of \(counts.count) words")
        #expect(counts.count > 600, "vocabulary of \(counts.count) words")
    }

    @Test func aGenresSynopsesShareGenreWords() {
        // Content words (not among the 60 commonest overall) are shared far more within a genre than across genres.
        let shows = Self.catalogue.shows.filter { !$0.synopsis.isEmpty }
        var overall: [String: Int] = [:]
        for show in shows { for word in Self.words(Self.prose(show.synopsis)) { overall[word, default: 0] += 1 } }
        let common = Set(overall.sorted { $0.value > $1.value }.prefix(60).map(\.key))
        let bags = shows.map { Set(Self.words(Self.prose($0.synopsis))).subtracting(common) }
        var within: [Double] = [], across: [Double] = []
        for i in shows.indices {
            for j in shows.indices where j > i && j < i + 40 {
                let union = bags[i].union(bags[j]).count
                guard union > 0 else { continue }
                let jaccard = Double(bags[i].intersection(bags[j]).count) / Double(union)
                if shows[i].genres[0] == shows[j].genres[0] { within.append(jaccard) } else { across.append(jaccard) }
            }
        }
        let meanWithin = within.reduce(0, +) / Double(within.count), meanAcross = across.reduce(0, +) / Double(across.count)
        #expect(meanWithin > 3 * meanAcross, "within \(meanWithin), across \(meanAcross)")
    }

    @Test func showLookupByID() throws {
        let show = try #require(Self.catalogue.shows.dropFirst(17).first)
        #expect(Self.catalogue.show(id: show.malID) == show)
        #expect(Self.catalogue.show(id: -5) == nil)
    }

    @Test func showsRoundTripThroughJSON() throws {
        let shows = Array(Self.catalogue.shows.prefix(10))
        let decoded = try JSONDecoder().decode([DemoShow].self, from: try JSONEncoder().encode(shows))
        #expect(decoded == shows)
    }
}
