import FakeAnime
import Testing

@Suite struct TextCleanerTests {
    @Test(arguments: [
        ("A boy finds a sword.\n\n[Written by MAL Rewrite]", "A boy finds a sword."),
        ("Two rivals meet.  Again.\n(Source: Demo Press)", "Two rivals meet. Again."),
        ("  Lines\nand\ttabs  ", "Lines and tabs"),
        ("[Written by someone] Keeps the rest", "Keeps the rest"),
        ("No trailer (but parentheses) stay.", "No trailer (but parentheses) stay."),
        ("   \n  ", ""),
    ])
    func cleans(_ raw: String, _ expected: String) {
        #expect(TextCleaner.clean(raw) == expected)
    }
}
