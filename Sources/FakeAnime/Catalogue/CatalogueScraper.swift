public import Foundation
public import HTTPFetch
import Imaging

/// Walks a Jikan-compatible catalogue, downloads and normalises posters, and writes a content-addressed snapshot.
///
/// ```swift
/// let scraper = CatalogueScraper(configuration: .init(baseURL: "http://127.0.0.1:8765/v4", maxPages: 12))
/// let result = try await scraper.scrape(into: home.appendingPathComponent("snapshots"), now: Date())
/// print(result.snapshotID, result.reused ? "(unchanged)" : "(new)")
/// ```
public struct CatalogueScraper: Sendable {
    public struct Configuration: Sendable {
        /// The API base, e.g. `http://127.0.0.1:8765/v4` (pages are `{base}/top/anime?page=N`).
        public var baseURL: String
        /// The most pages walked.
        public var maxPages: Int
        /// Posters are cropped square and resized to this many pixels a side.
        public var posterSize: Int
        /// The HTTP client (timeouts, retries, politeness, conditional requests).
        public var http: HTTPClient

        public init(baseURL: String, maxPages: Int = 20, posterSize: Int = 64, http: HTTPClient = HTTPClient()) {
            self.baseURL = baseURL
            self.maxPages = maxPages
            self.posterSize = posterSize
            self.http = http
        }
    }

    public let configuration: Configuration

    /// A scraper whose conditional-request cache lives in `homeRoot/cache/http`, so re-scrapes from the CLI and from
    /// `anime_scrape` share it (an unchanged catalogue is answered by 304s).
    /// - Parameter perHostInterval: the least time between two requests to one host (politeness).
    public static func forHome(
        _ homeRoot: URL, baseURL: String, maxPages: Int, posterSize: Int, perHostInterval: Duration = .zero
    ) -> CatalogueScraper {
        var http = HTTPClient.Configuration()
        http.cacheDirectory = homeRoot.appendingPathComponent("cache/http").path
        http.perHostInterval = perHostInterval
        return CatalogueScraper(
            configuration: .init(baseURL: baseURL, maxPages: maxPages, posterSize: posterSize, http: HTTPClient(configuration: http)))
    }

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Scrapes the catalogue and writes `root/<id>/` atomically.
    /// - Parameter progress: called with one line per page and per summary, for the try's log.
    /// - Throws: ``ScrapeError`` when a page cannot be fetched or parsed; nothing is written then.
    public func scrape(into root: URL, now: Date, progress: @Sendable (String) -> Void = { _ in }) async throws -> ScrapeResult {
        var entries: [SnapshotEntry] = []
        var skips: [SkipReason: Int] = [:]
        var seen = Set<Int>()
        var pages = 0
        var requests = 0
        var cached = 0
        let base = configuration.baseURL.hasSuffix("/") ? String(configuration.baseURL.dropLast()) : configuration.baseURL
        for page in 1...max(configuration.maxPages, 1) {
            let url = "\(base)/top/anime?page=\(page)"
            let response: HTTPResponse
            do {
                response = try await configuration.http.get(url, headers: ["Accept": "application/json"])
            } catch {
                throw ScrapeError(url: url, reason: "\(error)")
            }
            requests += response.attempts
            if response.fromCache { cached += 1 }
            let parsed: JikanPage
            do {
                parsed = try JSONDecoder().decode(JikanPage.self, from: Data(response.body))
            } catch {
                throw ScrapeError(url: url, reason: "malformed catalogue JSON on page \(page): \(Self.describe(error))")
            }
            pages += 1
            var candidates: [(JikanPage.Item, String, String, String)] = []
            for item in parsed.data {
                guard seen.insert(item.malID).inserted else { skips[.duplicate, default: 0] += 1; continue }
                guard let title = item.title, !TextCleaner.clean(title).isEmpty else { skips[.noTitle, default: 0] += 1; continue }
                guard let synopsis = item.synopsis, !TextCleaner.clean(synopsis).isEmpty else { skips[.noSynopsis, default: 0] += 1; continue }
                guard let poster = item.images?.jpg?.imageURL, !poster.isEmpty else { skips[.noPoster, default: 0] += 1; continue }
                candidates.append((item, title, synopsis, poster))
            }
            let posters = await fetchPosters(candidates.map { ($0.0.malID, $0.3) })
            for (item, title, synopsis, _) in candidates {
                switch posters[item.malID] {
                case .success(let fetched)?:
                    requests += fetched.attempts
                    if fetched.fromCache { cached += 1 }
                    entries.append(
                        SnapshotEntry(
                            malID: item.malID, title: TextCleaner.clean(title), titleRaw: title, synopsis: TextCleaner.clean(synopsis),
                            synopsisRaw: synopsis, genres: (item.genres ?? []).map(\.name), posterPNG: fetched.png))
                case .failure(let error)?:
                    skips[error.reason, default: 0] += 1
                case nil:
                    skips[.posterDownloadFailed, default: 0] += 1
                }
            }
            progress("page \(page): \(parsed.data.count) entries, \(entries.count) kept so far\(response.fromCache ? " (not modified)" : "")")
            if !parsed.pagination.hasNextPage { break }
        }
        let written = try SnapshotWriter.write(entries: entries, skips: skips, source: base, fetchedAt: now, pages: pages, posterSize: configuration.posterSize, root: root)
        return ScrapeResult(
            snapshotID: written.id, directory: written.directory, entries: entries.count, skips: skips, pages: pages, requests: requests,
            notModified: cached, reused: written.reused)
    }

    private struct FetchedPoster: Sendable {
        var png: [UInt8]
        var attempts: Int
        var fromCache: Bool
    }

    private func fetchPosters(_ wanted: [(Int, String)]) async -> [Int: Result<FetchedPoster, SkipReasonError>] {
        let http = configuration.http
        let size = configuration.posterSize
        return await withTaskGroup(of: (Int, Result<FetchedPoster, SkipReasonError>).self) { group in
            for (id, url) in wanted {
                group.addTask {
                    let response: HTTPResponse
                    do {
                        response = try await http.get(url)
                    } catch {
                        return (id, .failure(SkipReasonError(reason: .posterDownloadFailed)))
                    }
                    do {
                        let image = try ImageDecoder.decode(response.body, name: url)
                        let square = image.centerCroppedSquare().resized(width: size, height: size)
                        return (id, .success(FetchedPoster(png: try PNG.encode(square), attempts: response.attempts, fromCache: response.fromCache)))
                    } catch {
                        return (id, .failure(SkipReasonError(reason: .brokenPoster)))
                    }
                }
            }
            var results: [Int: Result<FetchedPoster, SkipReasonError>] = [:]
            for await (id, result) in group { results[id] = result }
            return results
        }
    }

    private struct SkipReasonError: Error { let reason: SkipReason }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context): return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.valueNotFound(_, let context): return "null at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}

/// What a scrape did.
public struct ScrapeResult: Sendable, Equatable {
    /// The snapshot's content address (SHA-256 of the normalised content).
    public var snapshotID: String
    public var directory: URL
    public var entries: Int
    public var skips: [SkipReason: Int]
    public var pages: Int
    /// HTTP attempts made (retries included).
    public var requests: Int
    /// Responses served from the conditional-request cache (304).
    public var notModified: Int
    /// True when a snapshot with this id already existed: the catalogue is unchanged.
    public var reused: Bool
}
