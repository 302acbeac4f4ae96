import FakeAnime
import Foundation

/// What the Models page and `models list|show` show of a version: its headline figures and the sample files beside it.
enum ModelFigures {
    /// The figures that say most about a version of its kind, in the order shown.
    static func headline(_ meta: ModelVersion) -> [(label: String, key: String, value: Double)] {
        let keys: [(String, String)] =
            switch meta.kind {
            case .posters:
                [("KID", "posters_kid"), ("coverage", "posters_coverage"), ("precision", "posters_precision"),
                 ("similarity", "posters_similarity")]
            case .titles, .synopses:
                [("bits/char", "heldout_bits_per_char"), ("distinct-2", "\(meta.kind.rawValue)_distinct2"),
                 ("rep-4", "\(meta.kind.rawValue)_rep4"), ("novel-8", "\(meta.kind.rawValue)_novel8"),
                 ("copies", "\(meta.kind.rawValue)_exact_copies")]
            }
        return keys.compactMap { label, key in meta.metrics[key].map { (label, key, $0) } }
    }

    /// A figure with about four significant digits (integers plain).
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        if abs(value) < 0.01 { return String(format: "%.6f", value) }  // KID sits near zero: no exponent notation
        return abs(value) >= 100 ? String(format: "%.1f", value) : String(format: "%.4g", value)
    }

    /// The sample sheet (posters) and judged samples (text) a version keeps, when present.
    static func files(_ registry: ModelRegistry, _ meta: ModelVersion) -> (sampleSheet: URL?, samples: [String]?) {
        let directory = registry.directory(meta.kind, meta.version)
        let sheet = directory.appendingPathComponent(ModelRegistry.sampleSheetFile)
        let texts = directory.appendingPathComponent(ModelRegistry.textSamplesFile)
        let samples = FileManager.default.contents(atPath: texts.path).map {
            String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return (FileManager.default.fileExists(atPath: sheet.path) ? sheet : nil, samples)
    }
}
