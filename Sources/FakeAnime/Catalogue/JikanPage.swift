/// One page of a Jikan-compatible `GET {base}/top/anime?page=N` response (only the fields the scraper reads).
struct JikanPage: Decodable {
    struct Genre: Decodable { let name: String }
    struct ImageURLs: Decodable {
        let imageURL: String?
        enum CodingKeys: String, CodingKey { case imageURL = "image_url" }
    }
    struct Images: Decodable { let jpg: ImageURLs? }
    struct Item: Decodable {
        let malID: Int
        let title: String?
        let synopsis: String?
        let genres: [Genre]?
        let images: Images?
        enum CodingKeys: String, CodingKey { case malID = "mal_id", title, synopsis, genres, images }
    }
    struct Pagination: Decodable {
        let hasNextPage: Bool
        enum CodingKeys: String, CodingKey { case hasNextPage = "has_next_page" }
    }

    let data: [Item]
    let pagination: Pagination
}
