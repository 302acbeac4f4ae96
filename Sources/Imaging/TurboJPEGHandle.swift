internal import CTurboJPEG

/// Owns one TurboJPEG compressor or decompressor and destroys it when it goes out of scope.
struct TurboJPEGHandle: ~Copyable {
    enum Kind { case compress, decompress }

    let raw: tjhandle

    /// nil when TurboJPEG cannot allocate a handle.
    init?(_ kind: Kind) {
        guard let handle = kind == .compress ? tjInitCompress() : tjInitDecompress() else { return nil }
        raw = handle
    }

    deinit { tjDestroy(raw) }

    /// `tjGetErrorStr2` for the last call on this handle.
    var errorMessage: String {
        guard let text = tjGetErrorStr2(raw) else { return "unknown TurboJPEG error" }
        return String(cString: text)
    }

    /// Whether the last error was a warning (`TJERR_WARNING`) rather than a fatal error.
    var lastErrorIsWarning: Bool { tjGetErrorCode(raw) == Int32(TJERR_WARNING.rawValue) }
}
