import FakeAnime
import Foundation

/// One page of `GET /v4/top/anime` in the Jikan v4 shape (only the fields the demo catalogue has).
struct TopAnimePage: Encodable {
    struct Genre: Encodable { let name: String }
    struct JPEGImages: Encodable {
        let imageURL: String
        enum CodingKeys: String, CodingKey { case imageURL = "image_url" }
    }
    struct Images: Encodable { let jpg: JPEGImages }
    struct Item: Encodable {
        let malID: Int
        let title: String
        /// `nil` is encoded as JSON `null`, as Jikan does for shows without a synopsis.
        let synopsis: String?
        let genres: [Genre]
        let images: Images

        enum CodingKeys: String, CodingKey { case malID = "mal_id", title, synopsis, genres, images }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(malID, forKey: .malID)
            try container.encode(title, forKey: .title)
            try container.encode(synopsis, forKey: .synopsis)
            try container.encode(genres, forKey: .genres)
            try container.encode(images, forKey: .images)
        }
    }
    struct Items: Encodable {
        let count: Int
        let total: Int
        let perPage: Int
        enum CodingKeys: String, CodingKey { case count, total, perPage = "per_page" }
    }
    struct Pagination: Encodable {
        let currentPage: Int
        let hasNextPage: Bool
        let lastVisiblePage: Int
        let items: Items
        enum CodingKeys: String, CodingKey {
            case currentPage = "current_page", hasNextPage = "has_next_page", lastVisiblePage = "last_visible_page", items
        }
    }

    let data: [Item]
    let pagination: Pagination

    /// Page `page` (from 1) of `shows`; a page past the end is empty, as Jikan's is.
    /// - Parameter posterBase: the server's root, such as `http://127.0.0.1:8765`.
    init(shows: [DemoShow], page: Int, pageSize: Int, posterBase: String) {
        let lastPage = max(1, (shows.count + pageSize - 1) / pageSize)
        let start = min((page - 1) * pageSize, shows.count), end = min(start + pageSize, shows.count)
        data = shows[start..<end].map { show in
            Item(malID: show.malID, title: show.title, synopsis: show.synopsis.isEmpty ? nil : show.synopsis,
                 genres: show.genres.map(Genre.init), images: Images(jpg: JPEGImages(imageURL: "\(posterBase)/posters/\(show.malID).jpg")))
        }
        pagination = Pagination(currentPage: page, hasNextPage: page < lastPage, lastVisiblePage: lastPage,
                                items: Items(count: data.count, total: shows.count, perPage: pageSize))
    }

    /// Stable JSON bytes (sorted keys, so the ETag only changes when the content does).
    func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
