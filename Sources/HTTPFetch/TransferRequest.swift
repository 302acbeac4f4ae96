/// What one try sends: the URL, its header lines and the limits taken from the configuration.
struct TransferRequest: Sendable {
    var url: String
    /// Header lines as `Name: value`, in order.
    var headerLines: [String]
    var userAgent: String
    var proxy: String?
    var connectTimeout: Duration
    var totalTimeout: Duration
    var maxRedirects: Int
    var maxBodyBytes: Int
    /// A POST's body (nil: a GET).
    var postBody: [UInt8]? = nil
}
