import Foundation
import Learning
import Testing

@Suite struct SubwordTokenizerTests {
    static let lines = ["Mako fights the dark lord.", "The dark lord wins! Mako's friends? They run, fast."]

    /// Punctuation, case and spaces survive; a word never seen is spelled out; an unseen character becomes `<unk>`.
    @Test(arguments: [0, 10])
    func roundTripKeepsPunctuationAndUnknownWords(maximumWords: Int) {
        let tokenizer = SubwordTokenizer(fittingOn: Self.lines, maximumWords: maximumWords, minimumCount: 2)
        // "Tarek" and "fight" never appeared in training, but their characters did.
        let text = "Tarek's fast friends fight: \"the dark end\"!"
        let ids = tokenizer.encode(text)
        let decoded = tokenizer.decode(ids)
        // ':' and '"' never appeared in training; everything else comes back as it was.
        #expect(decoded == text.replacingOccurrences(of: "\"", with: "\u{FFFD}").replacingOccurrences(of: ":", with: "\u{FFFD}"))
        let plain = "Tarek fights the dark lord. Mako wins?"
        #expect(tokenizer.decode(tokenizer.encode(plain)) == plain)
        #expect(tokenizer.decode(tokenizer.encodeLine(plain)) == plain)
        #expect(tokenizer.encodeLine(plain).first == SubwordTokenizer.begin && tokenizer.encodeLine(plain).last == SubwordTokenizer.end)
    }

    @Test func frequentWordsBecomeSingleUnits() {
        let tokenizer = SubwordTokenizer(fittingOn: Self.lines, maximumWords: 10, minimumCount: 2)
        // "dark" and "lord" appear twice; "Mako" and "Mako's" are different words, as are "The" and "the".
        #expect(Array(tokenizer.vocabulary.suffix(tokenizer.wordCount)) == ["dark", "lord"])
        #expect(tokenizer.encode("dark lord").count == 3)
        #expect(tokenizer.encode("darker").count == 6)
        #expect(SubwordTokenizer(fittingOn: Self.lines, maximumWords: 0).wordCount == 0)
        #expect(SubwordTokenizer.words(in: "Mako's rival, THE end!") == ["mako's", "rival", "the", "end"])
    }

    @Test func restoresFromAVocabularyAndRejectsInvalidOnes() {
        let fitted = SubwordTokenizer(fittingOn: Self.lines, maximumWords: 10, minimumCount: 2)
        #expect(SubwordTokenizer(vocabulary: fitted.vocabulary) == fitted)
        #expect(SubwordTokenizer(vocabulary: ["a", "b"]) == nil)  // no markers
        #expect(SubwordTokenizer(vocabulary: SubwordTokenizer.markers + ["a", "a"]) == nil)  // repeated
        #expect(SubwordTokenizer(vocabulary: SubwordTokenizer.markers + ["a", "b c"]) == nil)  // not a word
        #expect(SubwordTokenizer(vocabulary: SubwordTokenizer.markers + ["a", "ab"])?.wordCount == 1)
    }
}
