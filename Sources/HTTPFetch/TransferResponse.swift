/// What one try received (any status; the client decides what it means).
struct TransferResponse: Sendable, Equatable {
    var status: Int
    /// The effective URL after redirects.
    var url: String
    /// Lowercased names; the headers of the last response only (redirect hops are dropped).
    var headers: [String: String]
    var body: [UInt8]
}
