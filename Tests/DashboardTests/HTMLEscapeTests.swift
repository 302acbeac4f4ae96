@testable import Dashboard
import Testing

@Suite struct HTMLEscapeTests {
    @Test func escapesMarkupAndQuotes() {
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTML.escape("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;")
    }
}
