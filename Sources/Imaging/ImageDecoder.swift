/// Decodes PNG or JPEG bytes, whichever the magic bytes say.
public enum ImageDecoder {
    /// The formats `decode` recognises.
    public enum Format: String, Sendable, Equatable {
        /// Starts with the 8-byte PNG signature.
        case png
        /// Starts with FF D8 FF (SOI and the next marker).
        case jpeg
    }

    /// The format announced by the first bytes of `data`, or nil.
    public static func sniff(_ data: [UInt8]) -> Format? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// Sniffs the magic bytes (PNG or JPEG) and decodes; anything else is an ImagingError naming the file.
    /// - Throws: `ImagingError` with reason "empty file", "not a PNG or JPEG file", or the codec's message.
    public static func decode(_ data: [UInt8], name: String) throws(ImagingError) -> RGBImage {
        guard !data.isEmpty else { throw ImagingError(name: name, reason: "empty file") }
        switch sniff(data) {
        case .png: return try PNG.decode(data, name: name)
        case .jpeg: return try JPEG.decode(data, name: name)
        case nil:
            let pngPrefix: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], jpegPrefix: [UInt8] = [0xFF, 0xD8, 0xFF]
            if data.count < pngPrefix.count, pngPrefix.starts(with: data) || jpegPrefix.starts(with: data) {
                throw ImagingError(name: name, reason: "truncated")
            }
            throw ImagingError(name: name, reason: "not a PNG or JPEG file")
        }
    }
}
