internal import CTurboJPEG

/// JPEG through the TurboJPEG API (`tj*`), which reports errors as return codes and never exits the process.
public enum JPEG {
    /// Decodes a baseline or progressive JPEG (gray, YCbCr or RGB; not CMYK) to RGB8.
    ///
    /// Warnings are errors: decoding stops at the first one ("Premature end of JPEG file", "Corrupt JPEG data: bad
    /// Huffman code", …) so no partially decoded image is ever returned. The one exception is junk bytes right
    /// before the end-of-image marker ("extraneous bytes before marker 0xd9"), common in real files: every
    /// scanline has been decoded by then.
    /// - Parameters:
    ///   - data: the whole file.
    ///   - name: the file or source the bytes came from, quoted in errors.
    /// - Throws: `ImagingError` with `tjGetErrorStr2`'s text, or a size-limit reason checked before allocation.
    public static func decode(_ data: [UInt8], name: String) throws(ImagingError) -> RGBImage {
        guard !data.isEmpty else { throw ImagingError(name: name, reason: "empty file") }
        let result: Result<RGBImage, ImagingError> = data.withUnsafeBufferPointer { jpeg in
            guard let handle = TurboJPEGHandle(.decompress) else {
                return .failure(ImagingError(name: name, reason: "cannot create a TurboJPEG decompressor"))
            }
            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
            guard tjDecompressHeader3(handle.raw, jpeg.baseAddress, UInt(jpeg.count), &width, &height, &subsampling, &colorspace) == 0 else {
                return .failure(ImagingError(name: name, reason: handle.errorMessage))
            }
            if let violation = ImageLimits.violation(width: Int(width), height: Int(height)) {
                return .failure(ImagingError(name: name, reason: violation))
            }
            var reason: String?
            let pixels = [UInt8](unsafeUninitializedCapacity: Int(width) * Int(height) * 3) { buffer, initialized in
                buffer.initialize(repeating: 0)
                initialized = buffer.count
                let raw = handle.raw, target = buffer.baseAddress
                let decode = { (flags: Int32) in
                    tjDecompress2(raw, jpeg.baseAddress, UInt(jpeg.count), target,
                                  width, 0, height, Int32(TJPF_RGB.rawValue), flags)
                }
                guard decode(TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0 else { return }
                reason = handle.errorMessage
                guard handle.lastErrorIsWarning, let message = reason, isHarmless(message) else { return }
                // A lenient pass stops at nothing; its first warning is the same harmless one, after which only EOI follows.
                if decode(TJFLAG_LIMITSCANS) == 0 || (handle.lastErrorIsWarning && isHarmless(handle.errorMessage)) {
                    reason = nil
                } else {
                    reason = handle.errorMessage
                }
            }
            if let reason { return .failure(ImagingError(name: name, reason: reason)) }
            return .success(RGBImage(width: Int(width), height: Int(height), pixels: pixels))
        }
        return try result.get()
    }

    /// Encodes `image` as a baseline JPEG: 4:4:4 chroma at `quality` ≥ 90, else 4:2:0.
    /// - Parameter quality: 1…100 (clamped).
    /// - Throws: `ImagingError` (operation `.encode`) for an empty image or when TurboJPEG fails.
    public static func encode(_ image: RGBImage, quality: Int = 90) throws(ImagingError) -> [UInt8] {
        try encode(image, quality: quality, progressive: false)
    }

    /// Encodes `image` as a JPEG, progressive when asked: 4:4:4 chroma at `quality` ≥ 90, else 4:2:0.
    /// - Parameter quality: 1…100 (clamped).
    /// - Throws: `ImagingError` (operation `.encode`) for an empty image or when TurboJPEG fails.
    public static func encode(_ image: RGBImage, quality: Int = 90, progressive: Bool) throws(ImagingError) -> [UInt8] {
        let name = "\(image.width)×\(image.height) image as JPEG"
        guard image.width > 0, image.height > 0 else { throw ImagingError(name: name, reason: "the image is empty", operation: .encode) }
        guard image.width <= 65_535, image.height <= 65_535 else {
            throw ImagingError(name: name, reason: "JPEG allows at most 65535 pixels a side", operation: .encode)
        }
        guard let handle = TurboJPEGHandle(.compress) else {
            throw ImagingError(name: name, reason: "cannot create a TurboJPEG compressor", operation: .encode)
        }
        let quality = min(max(quality, 1), 100)
        let subsampling = Int32((quality >= 90 ? TJSAMP_444 : TJSAMP_420).rawValue)
        let capacity = Int(tjBufSize(Int32(image.width), Int32(image.height), subsampling))
        var output = [UInt8](repeating: 0, count: capacity)
        var size: UInt = UInt(capacity)
        let flags = TJFLAG_NOREALLOC | (progressive ? TJFLAG_PROGRESSIVE : 0)
        let status = output.withUnsafeMutableBufferPointer { out in
            image.pixels.withUnsafeBufferPointer { pixels in
                var destination = out.baseAddress
                return tjCompress2(handle.raw, pixels.baseAddress, Int32(image.width), 0, Int32(image.height),
                                   Int32(TJPF_RGB.rawValue), &destination, &size, subsampling, Int32(quality), flags)
            }
        }
        guard status == 0 else { throw ImagingError(name: name, reason: handle.errorMessage, operation: .encode) }
        output.removeLast(capacity - Int(size))
        return output
    }

    private static func isHarmless(_ warning: String) -> Bool {
        warning.contains("extraneous bytes before marker 0xd9")
    }
}
