/// Why a catalogue entry did not make it into a snapshot.
public enum SkipReason: String, Sendable, Codable, CaseIterable, Hashable {
    case noTitle = "no_title"
    case noSynopsis = "no_synopsis"
    case noPoster = "no_poster"
    case posterDownloadFailed = "poster_download_failed"
    case brokenPoster = "broken_poster"
    case duplicate = "duplicate"
}
