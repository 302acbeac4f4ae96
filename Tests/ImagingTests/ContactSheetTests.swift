import Imaging
import Testing

@Suite struct ContactSheetTests {
    let tiles = (0..<5).map { RGBImage(width: 4, height: 3, fill: (UInt8($0 * 40), 10, 20)) }

    @Test func dimensions() {
        let sheet = ContactSheet.make(tiles, columns: 3)
        #expect(sheet.width == 3 * (4 + 2) + 2 && sheet.height == 2 * (3 + 2) + 2)
        let wide = ContactSheet.make(tiles, columns: 5, margin: 0)
        #expect(wide.width == 20 && wide.height == 3)
    }

    @Test func marginsAreBackgroundAndTilesAreTheirs() {
        let sheet = ContactSheet.make(tiles, columns: 3, margin: 2, background: (1, 2, 3))
        #expect(sheet[0, 0] == (1, 2, 3))
        #expect(sheet[6, 3] == (1, 2, 3))           // between tile 0 and tile 1
        #expect(sheet[2, 2] == (0, 10, 20))         // tile 0's top-left
        #expect(sheet[5, 4] == (0, 10, 20))         // tile 0's bottom-right
        #expect(sheet[8, 2] == (40, 10, 20))        // tile 1
        #expect(sheet[8 + 3, 7 + 2] == (160, 10, 20))  // tile 4 (column 1, row 1), bottom-right
        #expect(sheet[14, 7] == (1, 2, 3))          // the empty sixth cell
    }

    @Test func tilePixelsAreCopiedExactly() {
        var generator = SplitMix64(seed: 3)
        let images = (0..<4).map { _ in Fixtures.noise(width: 5, height: 3, using: &generator) }
        let sheet = ContactSheet.make(images, columns: 2, margin: 1)
        for (index, image) in images.enumerated() {
            let left = 1 + (index % 2) * 6, top = 1 + (index / 2) * 4
            for y in 0..<3 { for x in 0..<5 { #expect(sheet[left + x, top + y] == image[x, y]) } }
        }
    }

    @Test func noImagesGivesABackgroundSquare() {
        #expect(ContactSheet.make([], columns: 4) == RGBImage(width: 4, height: 4, fill: (255, 255, 255)))
    }
}
