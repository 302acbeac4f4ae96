extension RGBImage {
    /// The largest centred square: a `min(width, height)` square, with the odd pixel (if any) left on the
    /// right or bottom side.
    public func centerCroppedSquare() -> RGBImage {
        let side = min(width, height)
        if side == width && side == height { return self }
        let left = (width - side) / 2, top = (height - side) / 2
        var cropped = [UInt8](repeating: 0, count: side * side * 3)
        let rowBytes = side * 3
        for row in 0..<side {
            let source = ((top + row) * width + left) * 3
            cropped[(row * rowBytes)..<((row + 1) * rowBytes)] = pixels[source..<(source + rowBytes)]
        }
        return RGBImage(width: side, height: side, pixels: cropped)
    }

    /// A resampled copy, each axis on its own: area averaging (box filter over the exact source footprint) where
    /// it shrinks or keeps the size, bilinear with pixel centres aligned (corners kept) where it enlarges.
    /// Same size is the identity; results are rounded half up.
    /// - Precondition: `width` and `height` are not negative, and the image is not empty unless the target is.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        resized(width: newWidth, height: newHeight, filter: .areaOrBilinear)
    }

    /// A copy resampled with `filter`, each axis on its own (separable), pixel centres aligned; results are clamped
    /// to 0...255 and rounded half up. Same size is the identity.
    ///
    /// ```swift
    /// let display = poster.resized(width: 256, height: 256, filter: .catmullRom)
    /// ```
    /// - Precondition: `width` and `height` are not negative, and the image is not empty unless the target is.
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResamplingFilter) -> RGBImage {
        precondition(newWidth >= 0 && newHeight >= 0, "cannot resize to \(newWidth)×\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        if newWidth == 0 || newHeight == 0 { return RGBImage(width: newWidth, height: newHeight) }
        precondition(width > 0 && height > 0, "cannot resize an empty \(width)×\(height) image to \(newWidth)×\(newHeight)")
        func weights(_ source: Int, _ target: Int) -> Resampling {
            filter == .areaOrBilinear ? Resampling(source: source, target: target) : Resampling(source: source, target: target, filter: filter)
        }
        let columns = weights(width, newWidth), rows = weights(height, newHeight)
        let sourceWidth = width, sourceHeight = height, rowLength = newWidth * 3
        // Pass 1: resample each row horizontally into floats (height × newWidth).
        var horizontal = [Float](repeating: 0, count: sourceHeight * rowLength)
        pixels.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { target in
                columns.withBuffers { starts, indices, weights in
                    for y in 0..<sourceHeight {
                        let sourceRow = y * sourceWidth * 3, targetRow = y * rowLength
                        for x in 0..<newWidth {
                            var r: Float = 0, g: Float = 0, b: Float = 0
                            for k in starts[x]..<starts[x + 1] {
                                let weight = weights[k], index = sourceRow + indices[k] * 3
                                r += weight * Float(source[index])
                                g += weight * Float(source[index + 1])
                                b += weight * Float(source[index + 2])
                            }
                            let out = targetRow + x * 3
                            target[out] = r
                            target[out + 1] = g
                            target[out + 2] = b
                        }
                    }
                }
            }
        }
        // Pass 2: resample the columns vertically and round half up.
        var output = [UInt8](repeating: 0, count: newHeight * rowLength)
        var sums = [Float](repeating: 0, count: rowLength)
        horizontal.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                sums.withUnsafeMutableBufferPointer { sums in
                    rows.withBuffers { starts, indices, weights in
                        for y in 0..<newHeight {
                            sums.update(repeating: 0)
                            for k in starts[y]..<starts[y + 1] {
                                let weight = weights[k], sourceRow = source.baseAddress! + indices[k] * rowLength
                                for i in 0..<rowLength { sums[i] += weight * sourceRow[i] }
                            }
                            let targetRow = target.baseAddress! + y * rowLength
                            for i in 0..<rowLength { targetRow[i] = UInt8(min(max(sums[i] + 0.5, 0), 255)) }
                        }
                    }
                }
            }
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: output)
    }
}
