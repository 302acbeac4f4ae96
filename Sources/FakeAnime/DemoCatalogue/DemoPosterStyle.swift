/// The look of one genre's posters: palette, background, motif and lettering.
struct DemoPosterStyle: Sendable {
    enum Background: Sendable { case gradient, skyAndGround, radial, checker }
    enum Motif: Sendable { case streaks, mountains, polkaDots, rain, orbs, grid, moon, hearts, stars, sunAndClouds }

    let background: Background
    /// Background colours: top and bottom (or inner/outer, or the two pattern colours).
    let backgroundColors: (PosterColor, PosterColor)
    let motif: Motif
    let motifColor: PosterColor
    let hairColors: [PosterColor]
    let clothesColors: [PosterColor]
    let eyeColors: [PosterColor]
    let bandColor: PosterColor
    let letterColor: PosterColor
    /// Chance that the title band is at the top rather than the bottom.
    let bandAtTopChance: Double

    /// Skin tones shared by every genre.
    static let skinTones: [PosterColor] = [PosterColor(hex: 0xFFE0C8), PosterColor(hex: 0xF6D2B4), PosterColor(hex: 0xEBC09C),
                                           PosterColor(hex: 0xFCE6D6)]

    /// The style for the genre at `index` in `DemoGenre.all` (cycling if out of range).
    static func forGenre(at index: Int) -> DemoPosterStyle {
        let styles = all
        return styles[((index % styles.count) + styles.count) % styles.count]
    }

    static let all: [DemoPosterStyle] = [
        // Action: a hot red-to-ember gradient with diagonal speed streaks; black band, yellow letters.
        .init(background: .gradient, backgroundColors: (PosterColor(hex: 0xD8281E), PosterColor(hex: 0x3A0A08)), motif: .streaks,
              motifColor: PosterColor(hex: 0xFFB347), hairColors: [PosterColor(hex: 0x1A1A1A), PosterColor(hex: 0xB01010), PosterColor(hex: 0xE8E8E8)],
              clothesColors: [PosterColor(hex: 0x2B2B2B), PosterColor(hex: 0x8B0000), PosterColor(hex: 0x3C3C64)],
              eyeColors: [PosterColor(hex: 0xC00000), PosterColor(hex: 0x202020)], bandColor: PosterColor(hex: 0x101010),
              letterColor: PosterColor(hex: 0xFFD800), bandAtTopChance: 0.3),
        // Adventure: blue sky over green land with mountains; teal band, white letters.
        .init(background: .skyAndGround, backgroundColors: (PosterColor(hex: 0x5EB8F2), PosterColor(hex: 0x4C9A3C)), motif: .mountains,
              motifColor: PosterColor(hex: 0x7A8C9E), hairColors: [PosterColor(hex: 0x6B3E1E), PosterColor(hex: 0xE07020), PosterColor(hex: 0x2A2A2A)],
              clothesColors: [PosterColor(hex: 0x2E7D32), PosterColor(hex: 0x8D5524), PosterColor(hex: 0xC62828)],
              eyeColors: [PosterColor(hex: 0x1565C0), PosterColor(hex: 0x4E342E)], bandColor: PosterColor(hex: 0x00796B),
              letterColor: .white, bandAtTopChance: 0.6),
        // Comedy: a yellow and pink checkerboard with polka dots; white band, red letters.
        .init(background: .checker, backgroundColors: (PosterColor(hex: 0xFFE45C), PosterColor(hex: 0xFF9EC4)), motif: .polkaDots,
              motifColor: .white, hairColors: [PosterColor(hex: 0xFF69B4), PosterColor(hex: 0xFF8C00), PosterColor(hex: 0x32CD32)],
              clothesColors: [PosterColor(hex: 0x1E90FF), PosterColor(hex: 0xFF4500), PosterColor(hex: 0x9932CC)],
              eyeColors: [PosterColor(hex: 0x2E8B57), PosterColor(hex: 0x8B4513)], bandColor: .white,
              letterColor: PosterColor(hex: 0xE0182D), bandAtTopChance: 0.5),
        // Drama: dusk blue to muted violet with falling rain; charcoal band, white letters.
        .init(background: .gradient, backgroundColors: (PosterColor(hex: 0x3E5670), PosterColor(hex: 0x8A7A9A)), motif: .rain,
              motifColor: PosterColor(hex: 0xC8D4E0), hairColors: [PosterColor(hex: 0x2B1D14), PosterColor(hex: 0x111111), PosterColor(hex: 0x5A4030)],
              clothesColors: [PosterColor(hex: 0x37474F), PosterColor(hex: 0xECEFF1), PosterColor(hex: 0x4A3B5C)],
              eyeColors: [PosterColor(hex: 0x3E2723), PosterColor(hex: 0x455A64)], bandColor: PosterColor(hex: 0x263238),
              letterColor: PosterColor(hex: 0xF5F5F5), bandAtTopChance: 0.2),
        // Fantasy: a violet glow fading to deep indigo with floating orbs; purple band, gold letters.
        .init(background: .radial, backgroundColors: (PosterColor(hex: 0xB388FF), PosterColor(hex: 0x1A0F4A)), motif: .orbs,
              motifColor: PosterColor(hex: 0x9FFFE0), hairColors: [PosterColor(hex: 0xE0E0F0), PosterColor(hex: 0xF4D03F), PosterColor(hex: 0xB39DDB)],
              clothesColors: [PosterColor(hex: 0x4A148C), PosterColor(hex: 0x1B5E20), PosterColor(hex: 0xF5F5F5)],
              eyeColors: [PosterColor(hex: 0x7B1FA2), PosterColor(hex: 0x00897B)], bandColor: PosterColor(hex: 0x3A1466),
              letterColor: PosterColor(hex: 0xFFC940), bandAtTopChance: 0.5),
        // Mecha: steel grey to navy with a panel grid; orange band, black letters.
        .init(background: .gradient, backgroundColors: (PosterColor(hex: 0x9AA4AE), PosterColor(hex: 0x142238)), motif: .grid,
              motifColor: PosterColor(hex: 0xD0D8E0), hairColors: [PosterColor(hex: 0x1F3A93), PosterColor(hex: 0x222222), PosterColor(hex: 0xC0392B)],
              clothesColors: [PosterColor(hex: 0xF5F5F5), PosterColor(hex: 0x1565C0), PosterColor(hex: 0xFF6F00)],
              eyeColors: [PosterColor(hex: 0x00B0FF), PosterColor(hex: 0x37474F)], bandColor: PosterColor(hex: 0xFF7A00),
              letterColor: PosterColor(hex: 0x111111), bandAtTopChance: 0.4),
        // Mystery: a dark navy night with a pale moon; black band, pale letters.
        .init(background: .gradient, backgroundColors: (PosterColor(hex: 0x0B1030), PosterColor(hex: 0x24304A)), motif: .moon,
              motifColor: PosterColor(hex: 0xF3EFC8), hairColors: [PosterColor(hex: 0x101018), PosterColor(hex: 0x6D1B1B), PosterColor(hex: 0x3A3A4A)],
              clothesColors: [PosterColor(hex: 0x3E2A1E), PosterColor(hex: 0x202838), PosterColor(hex: 0x5D4037)],
              eyeColors: [PosterColor(hex: 0xB71C1C), PosterColor(hex: 0x546E7A)], bandColor: PosterColor(hex: 0x050505),
              letterColor: PosterColor(hex: 0xD8E0F0), bandAtTopChance: 0.7),
        // Romance: pink to peach with hearts; white band, pink letters.
        .init(background: .gradient, backgroundColors: (PosterColor(hex: 0xFFB6CE), PosterColor(hex: 0xFFE3C8)), motif: .hearts,
              motifColor: PosterColor(hex: 0xFF5C8A), hairColors: [PosterColor(hex: 0x8B5A3C), PosterColor(hex: 0xF48FB1), PosterColor(hex: 0x3E2723)],
              clothesColors: [PosterColor(hex: 0xFFFFFF), PosterColor(hex: 0x1A237E), PosterColor(hex: 0xF06292)],
              eyeColors: [PosterColor(hex: 0xAD1457), PosterColor(hex: 0x6D4C41)], bandColor: PosterColor(hex: 0xFFF5F8),
              letterColor: PosterColor(hex: 0xE91E63), bandAtTopChance: 0.4),
        // Sci-Fi: black space to deep blue with stars; cyan band, black letters.
        .init(background: .gradient, backgroundColors: (PosterColor(hex: 0x02030A), PosterColor(hex: 0x0D2A5C)), motif: .stars,
              motifColor: PosterColor(hex: 0xFFFFFF), hairColors: [PosterColor(hex: 0x00E5FF), PosterColor(hex: 0xF0F0F0), PosterColor(hex: 0x2979FF)],
              clothesColors: [PosterColor(hex: 0xB0BEC5), PosterColor(hex: 0x263238), PosterColor(hex: 0x00ACC1)],
              eyeColors: [PosterColor(hex: 0x00E676), PosterColor(hex: 0x2962FF)], bandColor: PosterColor(hex: 0x18D8F0),
              letterColor: PosterColor(hex: 0x061018), bandAtTopChance: 0.5),
        // Slice of Life: pale sky over a meadow with sun and clouds; cream band, green letters.
        .init(background: .skyAndGround, backgroundColors: (PosterColor(hex: 0xBFE6FF), PosterColor(hex: 0x9BD67A)), motif: .sunAndClouds,
              motifColor: PosterColor(hex: 0xFFF176), hairColors: [PosterColor(hex: 0x5D4037), PosterColor(hex: 0x212121), PosterColor(hex: 0xA1887F)],
              clothesColors: [PosterColor(hex: 0xFFF59D), PosterColor(hex: 0x80CBC4), PosterColor(hex: 0xFFAB91)],
              eyeColors: [PosterColor(hex: 0x6D4C41), PosterColor(hex: 0x558B2F)], bandColor: PosterColor(hex: 0xFFF8E1),
              letterColor: PosterColor(hex: 0x2E7D32), bandAtTopChance: 0.5),
    ]
}
