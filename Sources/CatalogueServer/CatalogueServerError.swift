/// Why the demo catalogue server could not start or serve.
public struct CatalogueServerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// A configuration field is out of range.
        case invalidConfiguration(field: String, value: String, expected: String)
        /// The server stopped before it was listening (the port was taken, for example).
        case notStarted(host: String, port: Int)
    }

    /// What went wrong, with the field, value or address involved.
    public let kind: Kind

    /// Creates an error.
    public init(_ kind: Kind) { self.kind = kind }

    static func invalidConfiguration(field: String, value: String, expected: String) -> Self {
        .init(.invalidConfiguration(field: field, value: value, expected: expected))
    }

    public var description: String {
        switch kind {
        case let .invalidConfiguration(field, value, expected):
            "catalogue server: invalid \(field) '\(value)': expected \(expected)"
        case let .notStarted(host, port):
            "catalogue server: stopped before listening on \(host):\(port == 0 ? "(ephemeral)" : "\(port)")"
        }
    }
}
