/// A colour for poster drawing, with channels in 0…255 kept as `Double` so blends and gradients stay exact until written.
struct PosterColor: Sendable, Equatable {
    var red: Double
    var green: Double
    var blue: Double

    init(_ red: Double, _ green: Double, _ blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `0xRRGGBB`.
    init(hex: UInt32) {
        self.init(Double((hex >> 16) & 0xFF), Double((hex >> 8) & 0xFF), Double(hex & 0xFF))
    }

    static let white = PosterColor(255, 255, 255)
    static let black = PosterColor(0, 0, 0)

    /// The colour `fraction` of the way to `other`.
    func mixed(with other: PosterColor, _ fraction: Double) -> PosterColor {
        PosterColor(red + (other.red - red) * fraction, green + (other.green - green) * fraction, blue + (other.blue - blue) * fraction)
    }

    /// Each channel shifted by `amount` (clamped later, when written).
    func shifted(_ red: Double, _ green: Double, _ blue: Double) -> PosterColor {
        PosterColor(self.red + red, self.green + green, self.blue + blue)
    }

    /// Lighter (`amount` > 0, towards white) or darker (< 0, towards black).
    func lightened(_ amount: Double) -> PosterColor {
        amount >= 0 ? mixed(with: .white, amount) : mixed(with: .black, -amount)
    }

    /// Perceived brightness, 0…255.
    var luminance: Double { 0.299 * red + 0.587 * green + 0.114 * blue }
}
