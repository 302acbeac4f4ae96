internal import CPNG

/// PNG through libpng's simplified API (`png_image_*`), which keeps its `setjmp` inside libpng: a corrupt file
/// comes back as an error code and message, never a `longjmp` across Swift frames.
public enum PNG {
    /// Decodes any 8- or 16-bit PNG (gray, gray+alpha, RGB, RGBA, palette with or without `tRNS`, Adam7-interlaced)
    /// to RGB8. Alpha is composited on white in sRGB space: `(c·a + 255·(255 − a)) / 255`, rounded.
    /// 16-bit samples without a `gAMA`/`sRGB` chunk are taken as sRGB-encoded and scaled to 8 bits.
    /// - Parameters:
    ///   - data: the whole file.
    ///   - name: the file or source the bytes came from, quoted in errors.
    /// - Throws: `ImagingError` with libpng's message for corrupt or truncated data, or a size-limit reason when the
    ///   header declares more than `ImageLimits` allow. libpng warnings (e.g. an ancillary chunk's bad CRC or an
    ///   incorrect sRGB profile) do not fail the decode: the image is complete when they occur.
    public static func decode(_ data: [UInt8], name: String) throws(ImagingError) -> RGBImage {
        guard !data.isEmpty else { throw ImagingError(name: name, reason: "empty file") }
        let result: Result<RGBImage, ImagingError> = data.withUnsafeBytes { raw in
            var image = png_image()
            image.version = png_uint_32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else {
                let reason = message(of: image, fallback: "not a PNG file")
                png_image_free(&image)
                return .failure(ImagingError(name: name, reason: reason))
            }
            let width = Int(image.width), height = Int(image.height)
            if let violation = ImageLimits.violation(width: width, height: height) {
                png_image_free(&image)
                return .failure(ImagingError(name: name, reason: violation))
            }
            let hasAlpha = image.format & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
            let channels = hasAlpha ? 4 : 3
            image.format = png_uint_32(hasAlpha ? PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA : PNG_FORMAT_RGB)
            image.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB)
            var failure: String?
            let decoded = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, initialized in
                // finish_read frees libpng's state whether it succeeds or not.
                let ok = png_image_finish_read(&image, nil, buffer.baseAddress, 0, nil)
                if ok == 0 || image.warning_or_error & png_uint_32(PNG_IMAGE_ERROR) != 0 {
                    failure = message(of: image, fallback: "corrupt PNG data")
                    buffer.initialize(repeating: 0)
                } else if hasAlpha {
                    compositeOnWhite(buffer, pixelCount: width * height)
                }
                initialized = buffer.count
            }
            if let failure { return .failure(ImagingError(name: name, reason: failure)) }
            if !hasAlpha { return .success(RGBImage(width: width, height: height, pixels: decoded)) }
            return .success(RGBImage(width: width, height: height, pixels: Array(decoded[0..<(width * height * 3)])))
        }
        return try result.get()
    }

    /// Encodes `image` as an 8-bit RGB PNG (non-interlaced, libpng's default compression).
    /// - Throws: `ImagingError` (operation `.encode`) for an empty image or when libpng fails.
    public static func encode(_ image: RGBImage) throws(ImagingError) -> [UInt8] {
        let name = "\(image.width)×\(image.height) image as PNG"
        guard image.width > 0, image.height > 0 else { throw ImagingError(name: name, reason: "the image is empty", operation: .encode) }
        guard image.width <= Int(Int32.max) / 3, image.height <= Int(Int32.max) else {
            throw ImagingError(name: name, reason: "the image is too large for PNG", operation: .encode)
        }
        // zlib's worst case for stored blocks plus one IDAT header per 8 KiB and the fixed chunks; retried if short.
        let raw = (image.width * 3 + 1) * image.height
        var capacity = raw + raw / 8 + raw / 64 + 11 + 12 * (raw / 8192 + 1) + 1024
        for _ in 0..<2 {
            var control = png_image()
            control.version = png_uint_32(PNG_IMAGE_VERSION)
            control.width = png_uint_32(image.width)
            control.height = png_uint_32(image.height)
            control.format = png_uint_32(PNG_FORMAT_RGB)
            var size = capacity
            var output = [UInt8](repeating: 0, count: capacity)
            let ok = output.withUnsafeMutableBytes { out in
                image.pixels.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&control, out.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
                }
            }
            if ok != 0 {
                output.removeLast(output.count - size)
                return output
            }
            let reason = message(of: control, fallback: "")
            png_image_free(&control)
            guard reason.isEmpty, size > capacity else {
                throw ImagingError(name: name, reason: reason.isEmpty ? "libpng failed" : reason, operation: .encode)
            }
            capacity = size
        }
        throw ImagingError(name: name, reason: "libpng kept asking for a larger buffer", operation: .encode)
    }

    /// libpng's `message`, a `char[64]` tuple, as a String.
    private static func message(of image: png_image, fallback: String) -> String {
        let text = withUnsafeBytes(of: image.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? fallback : text
    }

    /// Rewrites RGBA pixels in place as RGB composited on white, packed at the front of `buffer`.
    private static func compositeOnWhite(_ buffer: UnsafeMutableBufferPointer<UInt8>, pixelCount: Int) {
        guard let base = buffer.baseAddress else { return }
        for pixel in 0..<pixelCount {
            let source = base + pixel * 4, target = base + pixel * 3
            let alpha = UInt32(source[3])
            for channel in 0..<3 {
                // c·a + 255·(255 − a) = 255² − a·(255 − c); divide by 255 rounding to nearest.
                let value = 65_025 - alpha * (255 - UInt32(source[channel]))
                target[channel] = UInt8((value + 127) / 255)
            }
        }
    }
}
