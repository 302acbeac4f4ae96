/// Why one try produced no response, and whether trying again may help.
struct TransferFailure: Error, Sendable, Equatable {
    var kind: HTTPFetchError.Kind
    var retryable: Bool
}
