/// Raster primitives for the poster painter. Coordinates are in pixels, `Double`, with pixel (x, y) centred at
/// (x + 0.5, y + 0.5); shapes are clipped to the canvas; `alpha` blends over what is already there.
extension PosterCanvas {
    /// Blends `color` into pixel `offset` (an index into `pixels`, already × 3) with weight `alpha`.
    @inline(__always)
    private static func blend(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ offset: Int, _ color: PosterColor, _ alpha: Double) {
        if alpha >= 1 {
            buffer[offset] = channel(color.red)
            buffer[offset + 1] = channel(color.green)
            buffer[offset + 2] = channel(color.blue)
        } else if alpha > 0 {
            buffer[offset] = channel(Double(buffer[offset]) + (color.red - Double(buffer[offset])) * alpha)
            buffer[offset + 1] = channel(Double(buffer[offset + 1]) + (color.green - Double(buffer[offset + 1])) * alpha)
            buffer[offset + 2] = channel(Double(buffer[offset + 2]) + (color.blue - Double(buffer[offset + 2])) * alpha)
        }
    }

    @inline(__always)
    private static func channel(_ value: Double) -> UInt8 {
        UInt8(min(max(value.rounded(), 0), 255))
    }

    /// The rows `lower..<upper` clipped to the canvas, from real coordinates (a pixel is in when its centre is).
    private func rows(_ lower: Double, _ upper: Double) -> Range<Int> {
        let first = max(0, Int((lower - 0.5).rounded(.up)))
        let last = min(height, Int((upper - 0.5).rounded(.up)))
        return first..<max(first, last)
    }

    private func columns(_ lower: Double, _ upper: Double) -> Range<Int> {
        let first = max(0, Int((lower - 0.5).rounded(.up)))
        let last = min(width, Int((upper - 0.5).rounded(.up)))
        return first..<max(first, last)
    }

    /// Fills the rectangle `[x0, x1) × [y0, y1)`.
    mutating func fillRect(x0: Double, y0: Double, x1: Double, y1: Double, _ color: PosterColor, alpha: Double = 1) {
        let rowRange = rows(y0, y1), columnRange = columns(x0, x1)
        guard !rowRange.isEmpty, !columnRange.isEmpty else { return }
        let width = self.width
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in rowRange {
                for x in columnRange { Self.blend(buffer, (y * width + x) * 3, color, alpha) }
            }
        }
    }

    /// Fills rows `y0..<y1` with a vertical gradient from `top` (at `y0`) to `bottom` (at `y1`).
    mutating func verticalGradient(y0: Double, y1: Double, top: PosterColor, bottom: PosterColor) {
        let rowRange = rows(y0, y1)
        let width = self.width, span = max(y1 - y0, 1)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in rowRange {
                let color = top.mixed(with: bottom, min(max((Double(y) + 0.5 - y0) / span, 0), 1))
                for x in 0..<width { Self.blend(buffer, (y * width + x) * 3, color, 1) }
            }
        }
    }

    /// Fills the whole canvas with a radial gradient: `inner` at (`cx`, `cy`), `outer` at `radius` and beyond.
    mutating func radialGradient(cx: Double, cy: Double, radius: Double, inner: PosterColor, outer: PosterColor) {
        let width = self.width, height = self.height
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in 0..<height {
                let dy = Double(y) + 0.5 - cy
                for x in 0..<width {
                    let dx = Double(x) + 0.5 - cx
                    let t = min((dx * dx + dy * dy).squareRoot() / radius, 1)
                    Self.blend(buffer, (y * width + x) * 3, inner.mixed(with: outer, t * t * (3 - 2 * t)), 1)
                }
            }
        }
    }

    /// Fills an axis-aligned ellipse, with a one-pixel soft edge so that outlines are not jagged.
    mutating func fillEllipse(cx: Double, cy: Double, rx: Double, ry: Double, _ color: PosterColor, alpha: Double = 1) {
        guard rx > 0, ry > 0 else { return }
        let rowRange = rows(cy - ry - 1, cy + ry + 1), columnRange = columns(cx - rx - 1, cx + rx + 1)
        guard !rowRange.isEmpty, !columnRange.isEmpty else { return }
        let width = self.width, scale = min(rx, ry)
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in rowRange {
                let dy = (Double(y) + 0.5 - cy) / ry
                for x in columnRange {
                    let dx = (Double(x) + 0.5 - cx) / rx
                    // Approximate distance to the edge in pixels: (1 - normalized radius) × the smaller radius.
                    let inside = (1 - (dx * dx + dy * dy).squareRoot()) * scale + 0.5
                    guard inside > 0 else { continue }
                    Self.blend(buffer, (y * width + x) * 3, color, alpha * min(inside, 1))
                }
            }
        }
    }

    /// Fills a circle.
    mutating func fillCircle(cx: Double, cy: Double, radius: Double, _ color: PosterColor, alpha: Double = 1) {
        fillEllipse(cx: cx, cy: cy, rx: radius, ry: radius, color, alpha: alpha)
    }

    /// Fills a polygon (any shape, even-odd rule) by scanlines through pixel centres.
    mutating func fillPolygon(_ points: [(x: Double, y: Double)], _ color: PosterColor, alpha: Double = 1) {
        guard points.count >= 3 else { return }
        let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 0
        let width = self.width
        var crossings: [Double] = []
        crossings.reserveCapacity(points.count)
        for y in rows(minY, maxY) {
            let sampleY = Double(y) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for index in points.indices {
                let a = points[index], b = points[(index + 1) % points.count]
                guard (a.y <= sampleY && b.y > sampleY) || (b.y <= sampleY && a.y > sampleY) else { continue }
                crossings.append(a.x + (sampleY - a.y) / (b.y - a.y) * (b.x - a.x))
            }
            crossings.sort()
            var pair = 0
            while pair + 1 < crossings.count {
                let span = columns(crossings[pair], crossings[pair + 1])
                if !span.isEmpty {
                    pixels.withUnsafeMutableBufferPointer { buffer in
                        for x in span { Self.blend(buffer, (y * width + x) * 3, color, alpha) }
                    }
                }
                pair += 2
            }
        }
    }

    /// Fills a triangle.
    mutating func fillTriangle(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), _ c: (x: Double, y: Double),
                               _ color: PosterColor, alpha: Double = 1) {
        fillPolygon([a, b, c], color, alpha: alpha)
    }

    /// Draws a straight stroke of `thickness` pixels from `a` to `b` (a quadrilateral).
    mutating func stroke(from a: (x: Double, y: Double), to b: (x: Double, y: Double), thickness: Double,
                         _ color: PosterColor, alpha: Double = 1) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return }
        let nx = -dy / length * thickness / 2, ny = dx / length * thickness / 2
        fillPolygon([(a.x + nx, a.y + ny), (b.x + nx, b.y + ny), (b.x - nx, b.y - ny), (a.x - nx, a.y - ny)], color, alpha: alpha)
    }
}
