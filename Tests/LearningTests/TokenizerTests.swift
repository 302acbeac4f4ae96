import Learning
import Testing

@Suite struct TokenizerTests {
    static let lines = ["The cat sat on the mat.", "The dog sat!"]

    @Test func idsFollowDescendingFrequencyWithTiesToTheFirstSeenWord() {
        // Counts: the 3, sat 2, then cat, on, mat, dog once each, in first-seen order.
        let tokenizer = Tokenizer(fittingOn: Self.lines, maximumWords: 100)
        #expect(tokenizer.vocabulary == ["", "the", "sat", "cat", "on", "mat", "dog"])
        #expect(tokenizer.encode("The dog sat on the mat") == [1, 6, 2, 4, 1, 5])
        #expect(tokenizer.id(of: "dog") == 6)
        #expect(tokenizer.word(for: 0) == nil && tokenizer.word(for: 7) == nil && tokenizer.word(for: 3) == "cat")
    }

    @Test func wordsAtOrAboveTheLimitAreDropped() {
        let tokenizer = Tokenizer(fittingOn: Self.lines, maximumWords: 4)
        #expect(tokenizer.vocabulary == ["", "the", "sat", "cat"])
        #expect(tokenizer.encode("the dog sat on a cat") == [1, 2, 3])
        #expect(tokenizer.decode([3, 0, 2, 9, 1]) == "cat sat the")
    }

    @Test func punctuationIsDeletedAndTextLowerCased() {
        #expect(Tokenizer.words(in: "Don't stop—the SCI-FI show!\tNew\nline  (2024)") ==
                ["dont", "stop—the", "scifi", "show", "new", "line", "2024"])
        #expect(Tokenizer.words(in: "  ...  ") == [])
        #expect(Tokenizer.words(in: "Café ÉCOLE") == ["café", "école"])
    }

    @Test func restoresFromAVocabularyAndRejectsInvalidOnes() {
        let fitted = Tokenizer(fittingOn: Self.lines, maximumWords: 10)
        #expect(Tokenizer(vocabulary: fitted.vocabulary, maximumWords: 10) == fitted)
        #expect(Tokenizer(vocabulary: ["the", "cat"], maximumWords: 10) == nil)  // no padding entry
        #expect(Tokenizer(vocabulary: ["", "cat", "cat"], maximumWords: 10) == nil)  // repeated word
        #expect(Tokenizer(vocabulary: ["", "Cat"], maximumWords: 10) == nil)  // not normalised
        #expect(Tokenizer(vocabulary: ["", "a", "b"], maximumWords: 2) == nil)  // more words than ids
    }

    @Test func trainingSequencesAreLeftPaddedPrefixes() {
        let tokenizer = Tokenizer(fittingOn: ["a b c d", "b c"], maximumWords: 10)  // b 1, c 2, a 3, d 4
        let all = TextSequences(lines: ["a b c d", "b c", "zzz", ""], tokenizer: tokenizer)
        #expect(all.inputLength == 3 && all.count == 4)
        #expect(all.inputs == [0, 0, 3, 0, 3, 1, 3, 1, 2, 0, 0, 1])
        #expect(all.labels == [1, 2, 4, 2])
        // A shorter input length keeps each prefix's last tokens.
        let short = TextModel.sequences(from: ["a b c d"], tokenizer: tokenizer, inputLength: 2)
        #expect(short.inputs == [0, 3, 3, 1, 1, 2])
        #expect(short.labels == [1, 2, 4])
        #expect(short.subset([2, 0]).inputs == [1, 2, 0, 3])
    }
}
