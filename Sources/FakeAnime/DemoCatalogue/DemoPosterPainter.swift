import Foundation

/// Draws a demo poster: a genre background and motif, a central character and a title band with blocky letters.
///
/// Every size is a fraction of the canvas, so the same show looks the same at 225×318 and at 64×64. Large flat areas,
/// gradients and soft edges keep neighbouring pixels close: structure a small GAN can learn, not noise.
enum DemoPosterPainter {
    typealias Point = (x: Double, y: Double)

    static func paint(title: String, style: DemoPosterStyle, width: Int, height: Int, random: inout SplitMix64) -> PosterCanvas {
        var canvas = PosterCanvas(width: width, height: height)
        let h = Double(height)
        // One palette shift per show: the genre's hues stay, each show is a little different.
        let shift = (random.double(in: -18...18), random.double(in: -18...18), random.double(in: -18...18))
        let top = style.backgroundColors.0.shifted(shift.0, shift.1, shift.2)
        let bottom = style.backgroundColors.1.shifted(shift.0, shift.1, shift.2)
        let bandAtTop = random.chance(style.bandAtTopChance)
        let bandHeight = h * random.double(in: 0.12...0.15)
        let artTop = bandAtTop ? bandHeight : 0, artBottom = bandAtTop ? h : h - bandHeight
        let horizon = artTop + (artBottom - artTop) * random.double(in: 0.55...0.7)

        drawBackground(&canvas, style: style, top: top, bottom: bottom, horizon: horizon, random: &random)
        drawMotif(&canvas, style: style, background: (top, bottom), horizon: horizon, artTop: artTop, random: &random)
        drawFigure(&canvas, style: style, artTop: artTop, artBottom: artBottom, random: &random)
        drawBand(&canvas, title: title, style: style, y0: bandAtTop ? 0 : h - bandHeight, height: bandHeight, atTop: bandAtTop)
        return canvas
    }

    // MARK: Background

    private static func drawBackground(_ canvas: inout PosterCanvas, style: DemoPosterStyle, top: PosterColor, bottom: PosterColor,
                                       horizon: Double, random: inout SplitMix64) {
        let w = Double(canvas.width), h = Double(canvas.height)
        switch style.background {
        case .gradient:
            canvas.verticalGradient(y0: 0, y1: h, top: top, bottom: bottom)
        case .skyAndGround:
            canvas.verticalGradient(y0: 0, y1: horizon, top: top.lightened(0.25), bottom: top)
            canvas.verticalGradient(y0: horizon, y1: h, top: bottom, bottom: bottom.lightened(-0.35))
        case .radial:
            canvas.radialGradient(cx: w * random.double(in: 0.4...0.6), cy: h * random.double(in: 0.3...0.45),
                                  radius: h * 0.75, inner: top, outer: bottom)
        case .checker:
            let cell = w / Double(random.int(in: 4...6))
            canvas.verticalGradient(y0: 0, y1: h, top: top, bottom: top.lightened(-0.08))
            var y = 0.0, row = 0
            while y < h {
                var x = Double(row % 2) * cell
                while x < w {
                    canvas.fillRect(x0: x, y0: y, x1: x + cell, y1: y + cell, bottom, alpha: 0.85)
                    x += cell * 2
                }
                y += cell
                row += 1
            }
        }
    }

    // MARK: Motifs

    private static func drawMotif(_ canvas: inout PosterCanvas, style: DemoPosterStyle, background: (PosterColor, PosterColor),
                                  horizon: Double, artTop: Double, random: inout SplitMix64) {
        let w = Double(canvas.width), h = Double(canvas.height)
        let color = style.motifColor
        switch style.motif {
        case .streaks:
            for _ in 0..<random.int(in: 5...9) {
                let start: Point = (w * random.double(in: -0.3...0.9), h * random.double(in: 0.1...1.0))
                let length = w * random.double(in: 0.5...0.9)
                canvas.stroke(from: start, to: (start.x + length, start.y - length * 0.6),
                              thickness: w * random.double(in: 0.01...0.03), color, alpha: 0.55)
            }
        case .mountains:
            for _ in 0..<random.int(in: 2...4) {
                let peakX = w * random.double(in: 0.0...1.0), peakHeight = h * random.double(in: 0.12...0.25)
                let halfBase = w * random.double(in: 0.25...0.45)
                let peak: Point = (peakX, horizon - peakHeight)
                canvas.fillTriangle((peakX - halfBase, horizon), peak, (peakX + halfBase, horizon), color)
                let cap = 0.28
                canvas.fillTriangle((peakX - halfBase * cap, peak.y + peakHeight * cap), peak,
                                    (peakX + halfBase * cap, peak.y + peakHeight * cap), .white)
            }
        case .polkaDots:
            let step = w / 5, radius = w * 0.035
            var row = 0
            var y = step / 2
            while y < h {
                var x = step / 2 + Double(row % 2) * step / 2
                while x < w + radius {
                    canvas.fillCircle(cx: x, cy: y, radius: radius, color, alpha: 0.6)
                    x += step
                }
                y += step
                row += 1
            }
        case .rain:
            for _ in 0..<random.int(in: 30...50) {
                let start: Point = (w * random.double(in: 0...1.1), h * random.double(in: 0...1))
                let length = h * random.double(in: 0.04...0.09)
                canvas.stroke(from: start, to: (start.x - length * 0.2, start.y + length), thickness: max(1, w * 0.006), color, alpha: 0.35)
            }
        case .orbs:
            for _ in 0..<random.int(in: 6...10) {
                let center: Point = (w * random.double(in: 0...1), h * random.double(in: 0...0.9))
                let radius = w * random.double(in: 0.03...0.09)
                canvas.fillCircle(cx: center.x, cy: center.y, radius: radius, color, alpha: 0.3)
                canvas.fillCircle(cx: center.x, cy: center.y, radius: radius * 0.45, .white, alpha: 0.45)
            }
        case .grid:
            let step = w / 8
            var x = step
            while x < w {
                canvas.fillRect(x0: x, y0: 0, x1: x + max(1, w * 0.006), y1: h, color, alpha: 0.2)
                x += step
            }
            var y = step
            while y < h {
                canvas.fillRect(x0: 0, y0: y, x1: w, y1: y + max(1, w * 0.006), color, alpha: 0.2)
                y += step
            }
            for _ in 0..<random.int(in: 3...6) {
                let column = Double(random.int(below: 8)), row = Double(random.int(below: Int(h / step) + 1))
                canvas.fillRect(x0: column * step, y0: row * step, x1: (column + 1) * step, y1: (row + 1) * step, color, alpha: 0.15)
            }
        case .moon:
            for _ in 0..<random.int(in: 8...16) {
                canvas.fillCircle(cx: w * random.double(in: 0...1), cy: artTop + h * random.double(in: 0...0.5),
                                  radius: max(0.7, w * 0.006), .white, alpha: 0.7)
            }
            let center: Point = (w * random.double(in: 0.68...0.82), artTop + h * random.double(in: 0.1...0.18))
            let radius = w * random.double(in: 0.1...0.14)
            canvas.fillCircle(cx: center.x, cy: center.y, radius: radius * 1.5, color, alpha: 0.12)
            canvas.fillCircle(cx: center.x, cy: center.y, radius: radius, color)
            if random.chance(0.5) {
                // A crescent: the night sky bites into the moon.
                let sky = background.0.mixed(with: background.1, (center.y / h))
                canvas.fillCircle(cx: center.x - radius * 0.45, cy: center.y - radius * 0.2, radius: radius * 0.9, sky)
            }
        case .hearts:
            for _ in 0..<random.int(in: 4...7) {
                drawHeart(&canvas, cx: w * random.double(in: 0.05...0.95), cy: h * random.double(in: 0.05...0.85),
                          size: w * random.double(in: 0.05...0.1), color, alpha: 0.65)
            }
        case .stars:
            for _ in 0..<random.int(in: 40...70) {
                canvas.fillCircle(cx: w * random.double(in: 0...1), cy: h * random.double(in: 0...1),
                                  radius: max(0.6, w * random.double(in: 0.003...0.008)), color, alpha: random.double(in: 0.5...1))
            }
            for _ in 0..<random.int(in: 2...3) {
                let center: Point = (w * random.double(in: 0.05...0.95), h * random.double(in: 0.05...0.6))
                let arm = w * random.double(in: 0.03...0.05), thickness = max(1, w * 0.008)
                canvas.stroke(from: (center.x - arm, center.y), to: (center.x + arm, center.y), thickness: thickness, color, alpha: 0.9)
                canvas.stroke(from: (center.x, center.y - arm), to: (center.x, center.y + arm), thickness: thickness, color, alpha: 0.9)
            }
        case .sunAndClouds:
            let sun: Point = (w * (random.chance(0.5) ? 0.18 : 0.82), artTop + h * 0.1)
            canvas.fillCircle(cx: sun.x, cy: sun.y, radius: w * 0.16, color, alpha: 0.25)
            canvas.fillCircle(cx: sun.x, cy: sun.y, radius: w * 0.1, color)
            for _ in 0..<random.int(in: 2...3) {
                let center: Point = (w * random.double(in: 0.1...0.9), artTop + h * random.double(in: 0.08...0.3))
                let size = w * random.double(in: 0.06...0.09)
                canvas.fillCircle(cx: center.x - size, cy: center.y + size * 0.2, radius: size * 0.8, .white, alpha: 0.9)
                canvas.fillCircle(cx: center.x, cy: center.y - size * 0.2, radius: size, .white, alpha: 0.9)
                canvas.fillCircle(cx: center.x + size, cy: center.y + size * 0.2, radius: size * 0.8, .white, alpha: 0.9)
            }
        }
    }

    private static func drawHeart(_ canvas: inout PosterCanvas, cx: Double, cy: Double, size: Double, _ color: PosterColor, alpha: Double) {
        // Two lobes and a point, drawn opaque into a copy-free union: lobes first, then the triangle below them.
        canvas.fillCircle(cx: cx - size * 0.5, cy: cy, radius: size * 0.55, color, alpha: alpha)
        canvas.fillCircle(cx: cx + size * 0.5, cy: cy, radius: size * 0.55, color, alpha: alpha)
        canvas.fillTriangle((cx - size * 1.02, cy + size * 0.2), (cx + size * 1.02, cy + size * 0.2), (cx, cy + size * 1.3), color, alpha: alpha)
    }

    // MARK: Figure

    private static func drawFigure(_ canvas: inout PosterCanvas, style: DemoPosterStyle, artTop: Double, artBottom: Double,
                                   random: inout SplitMix64) {
        let w = Double(canvas.width), h = Double(canvas.height)
        let skin = random.pick(DemoPosterStyle.skinTones)
        let hair = random.pick(style.hairColors).shifted(random.double(in: -12...12), random.double(in: -12...12), random.double(in: -12...12))
        let clothes = random.pick(style.clothesColors)
        let eyes = random.pick(style.eyeColors)
        let cx = w * random.double(in: 0.4...0.6)
        let r = min(w, h * 0.72) * random.double(in: 0.13...0.17)
        let headY = artTop + (artBottom - artTop) * random.double(in: 0.4...0.48)
        let shoulderY = headY + r * 1.45
        let longHair = random.chance(0.5)

        // Hair behind the head (and down the back for long hair).
        if longHair {
            canvas.fillPolygon([(cx - r * 1.1, headY - r * 0.1), (cx - r * 1.3, shoulderY + r * 0.9),
                                (cx + r * 1.3, shoulderY + r * 0.9), (cx + r * 1.1, headY - r * 0.1)], hair)
        }
        canvas.fillCircle(cx: cx, cy: headY - r * 0.08, radius: r * 1.1, hair)

        // Body: a trapezoid with round shoulders, a collar and a neck.
        let topHalf = r * 1.25, bottomHalf = r * 1.9
        canvas.fillPolygon([(cx - topHalf, shoulderY), (cx + topHalf, shoulderY), (cx + bottomHalf, h), (cx - bottomHalf, h)], clothes)
        canvas.fillCircle(cx: cx - topHalf, cy: shoulderY + r * 0.4, radius: r * 0.42, clothes)
        canvas.fillCircle(cx: cx + topHalf, cy: shoulderY + r * 0.4, radius: r * 0.42, clothes)
        canvas.fillRect(x0: cx - r * 0.28, y0: headY + r * 0.5, x1: cx + r * 0.28, y1: shoulderY + r * 0.1, skin.lightened(-0.12))
        canvas.fillTriangle((cx - r * 0.45, shoulderY), (cx + r * 0.45, shoulderY), (cx, shoulderY + r * 0.6), skin.lightened(-0.06))
        canvas.fillRect(x0: cx - r * 0.06, y0: shoulderY + r * 0.6, x1: cx + r * 0.06, y1: h, clothes.lightened(-0.25))

        // Head, then the hair cap with spiky bangs over the forehead.
        canvas.fillEllipse(cx: cx, cy: headY, rx: r, ry: r * 1.05, skin)
        var cap: [Point] = []
        let capRadius = r * 1.1, capY = headY - r * 0.05
        for step in 0...16 {
            let angle = Double.pi + Double.pi * Double(step) / 16
            cap.append((cx + capRadius * cos(angle), capY + capRadius * sin(angle)))
        }
        let spikes = random.int(in: 4...6)
        for spike in stride(from: spikes, through: 0, by: -1) {
            let x = cx - capRadius + 2 * capRadius * Double(spike) / Double(spikes)
            cap.append((x, headY - r * 0.3))
            if spike > 0 {
                let tipX = cx - capRadius + 2 * capRadius * (Double(spike) - 0.5) / Double(spikes)
                cap.append((tipX, headY + r * random.double(in: -0.1...0.1)))
            }
        }
        canvas.fillPolygon(cap, hair)

        // Big anime eyes: white, iris, pupil and a highlight; a small mouth; blush for some.
        for side in [-1.0, 1.0] {
            let ex = cx + side * r * 0.4, ey = headY + r * 0.22
            canvas.fillEllipse(cx: ex, cy: ey, rx: r * 0.2, ry: r * 0.27, .white)
            canvas.fillEllipse(cx: ex, cy: ey + r * 0.03, rx: r * 0.15, ry: r * 0.22, eyes)
            canvas.fillEllipse(cx: ex, cy: ey + r * 0.05, rx: r * 0.07, ry: r * 0.11, eyes.lightened(-0.6))
            canvas.fillCircle(cx: ex - r * 0.06, cy: ey - r * 0.08, radius: r * 0.05, .white)
            if random.chance(0.4) {
                canvas.fillEllipse(cx: ex + side * r * 0.1, cy: ey + r * 0.33, rx: r * 0.14, ry: r * 0.06, PosterColor(hex: 0xFF8A8A), alpha: 0.4)
            }
        }
        canvas.fillEllipse(cx: cx, cy: headY + r * 0.66, rx: r * 0.13, ry: r * 0.05, PosterColor(hex: 0xB05050))
    }

    // MARK: Title band

    private static func drawBand(_ canvas: inout PosterCanvas, title: String, style: DemoPosterStyle, y0: Double, height: Double, atTop: Bool) {
        let w = Double(canvas.width)
        canvas.fillRect(x0: 0, y0: y0, x1: w, y1: y0 + height, style.bandColor)
        let edge = atTop ? y0 + height - max(1, height * 0.06) : y0
        canvas.fillRect(x0: 0, y0: edge, x1: w, y1: edge + max(1, height * 0.06), style.letterColor, alpha: 0.6)

        // The largest whole-pixel letter size at which the title fits on one or two lines.
        let words = title.split(separator: " ").map(String.init)
        let margin = w * 0.05
        var chosen: (scale: Int, lines: [String])?
        for lineCount in 1...2 {
            let scale = Int(height * 0.72 / Double(lineCount * 5 + (lineCount - 1) * 2))
            guard scale >= 1 else { continue }
            let perLine = Int((w - 2 * margin + Double(scale)) / Double(4 * scale))
            let lines = wrap(words, width: perLine)
            if lines.count <= lineCount, scale > (chosen?.scale ?? 0) { chosen = (scale, lines) }
        }
        if chosen == nil {
            // Too long even on two lines: the smallest size, cut to the lines that fit (one on a tiny band).
            let scale = max(1, Int(height * 0.72 / 12))
            let perLine = max(1, Int((w - 2 * margin + Double(scale)) / Double(4 * scale)))
            chosen = (scale, Array(wrap(words, width: perLine).prefix(height >= 13 ? 2 : 1)))
        }
        guard let (scale, lines) = chosen else { return }
        let s = Double(scale)
        let blockHeight = Double(lines.count * 5 + (lines.count - 1) * 2) * s
        var y = y0 + (height - blockHeight) / 2
        for line in lines {
            let lineWidth = Double(line.count * 4 - 1) * s
            var x = ((w - lineWidth) / 2).rounded()
            for character in line {
                let rows = PosterFont.glyph(for: character)
                for (row, bits) in rows.enumerated() {
                    for column in 0..<3 where bits & (0b100 >> UInt8(column)) != 0 {
                        let px = x + Double(column) * s, py = (y + Double(row) * s).rounded()
                        canvas.fillRect(x0: px, y0: py, x1: px + s, y1: py + s, style.letterColor)
                    }
                }
                x += 4 * s
            }
            y += 7 * s
        }
    }

    /// Greedy word wrap to lines of at most `width` characters (a longer word gets a line of its own).
    private static func wrap(_ words: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in words {
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { $0.count > width ? String($0.prefix(width)) : $0 }
    }
}
