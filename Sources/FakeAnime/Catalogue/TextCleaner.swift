import Foundation

/// Cleans scraped titles and synopses the way the text models' tokenizer expects: editorial trailers removed
/// ("[Written by MAL Rewrite]", "(Source: …)"), whitespace normalised to single spaces. The raw text is kept beside.
public enum TextCleaner {
    /// `text` without trailers, with runs of whitespace (newlines included) collapsed and the ends trimmed.
    public static func clean(_ text: String) -> String {
        var result = text
        // Bracketed credits anywhere: "[Written by MAL Rewrite]", "[Written by someone]".
        result = result.replacingOccurrences(of: #"\[\s*Written by[^\]]*\]"#, with: " ", options: [.regularExpression, .caseInsensitive])
        // Trailing source notes: "(Source: Demo Press)".
        result = result.replacingOccurrences(of: #"\(\s*Source:[^)]*\)\s*$"#, with: " ", options: [.regularExpression, .caseInsensitive])
        result = result.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
