/// Lays images out in a grid, e.g. a sample sheet of GAN outputs.
public enum ContactSheet {
    /// A grid (columns × ceil(n/columns)) of equally sized images with `margin` pixels between and around them.
    ///
    /// The sheet is `columns · (w + margin) + margin` wide and `rows · (h + margin) + margin` high, images placed left
    /// to right, top to bottom; unused cells of the last row stay `background`. No images gives a background image
    /// `2 · margin` (at least 1) pixels square.
    /// - Precondition: `columns ≥ 1`, `margin ≥ 0`, and every image has the first one's size.
    public static func make(_ images: [RGBImage], columns: Int, margin: Int = 2,
                            background: (UInt8, UInt8, UInt8) = (255, 255, 255)) -> RGBImage {
        precondition(columns >= 1, "a contact sheet needs at least one column, got \(columns)")
        precondition(margin >= 0, "a contact sheet margin cannot be negative, got \(margin)")
        guard let first = images.first else {
            let side = max(1, 2 * margin)
            return RGBImage(width: side, height: side, fill: background)
        }
        let tileWidth = first.width, tileHeight = first.height
        for (index, image) in images.enumerated() {
            precondition(image.width == tileWidth && image.height == tileHeight,
                         "contact sheet image \(index) is \(image.width)×\(image.height), expected \(tileWidth)×\(tileHeight)")
        }
        let rows = (images.count + columns - 1) / columns
        var sheet = RGBImage(width: columns * (tileWidth + margin) + margin, height: rows * (tileHeight + margin) + margin,
                             fill: background)
        let rowBytes = tileWidth * 3
        for (index, image) in images.enumerated() {
            let left = margin + (index % columns) * (tileWidth + margin)
            let top = margin + (index / columns) * (tileHeight + margin)
            for y in 0..<tileHeight {
                let target = ((top + y) * sheet.width + left) * 3
                sheet.pixels[target..<(target + rowBytes)] = image.pixels[(y * rowBytes)..<((y + 1) * rowBytes)]
            }
        }
        return sheet
    }
}
