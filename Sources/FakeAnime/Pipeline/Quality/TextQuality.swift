/// Pure text-quality measures over generated titles or synopses and the training text (QUALITY.md, "Metrics without
/// downloaded weights"): diversity (distinct-2, rep-4) and copying (novel-8, the longest run shared with a training
/// text, exact title copies). Words are ``words(in:)``: lower-cased runs of letters, digits and apostrophes, so
/// punctuation, which the training text has and the models do not write, never tells two texts apart.
public enum TextQuality {
    /// The word n-gram length of the novelty share.
    public static let novelLength = 8

    /// The normalised words of `text`.
    public static func words(in text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") }.map(String.init)
    }

    /// The n-grams of a word list (none when it is shorter than `n`).
    static func ngrams<T>(_ words: [T], _ n: Int) -> [ArraySlice<T>] {
        words.count < n ? [] : (0...(words.count - n)).map { words[$0..<($0 + n)] }
    }

    /// distinct-2 (Li et al., arXiv 1510.03055): distinct word bigrams over the whole batch divided by all its
    /// bigrams (bigrams never span two samples); 0 when no sample has two words. 1 is every bigram new, a batch of
    /// one sentence repeated scores 1/count.
    public static func distinct2(_ samples: [String]) -> Double {
        var seen = Set<ArraySlice<String>>()
        var total = 0
        for sample in samples {
            for bigram in ngrams(words(in: sample), 2) {
                seen.insert(bigram)
                total += 1
            }
        }
        return total == 0 ? 0 : Double(seen.count) / Double(total)
    }

    /// rep-4 of one text (Welleck et al., arXiv 1908.04319): 1 − distinct 4-grams / 4-grams within the text, so 0
    /// when no 4-gram repeats; 0 for texts under 4 words.
    public static func rep4(_ text: String) -> Double {
        let grams = ngrams(words(in: text), 4)
        return grams.isEmpty ? 0 : 1 - Double(Set(grams).count) / Double(grams.count)
    }

    /// The mean ``rep4(_:)`` over the samples with at least 4 words (0 when none has).
    public static func meanRep4(_ samples: [String]) -> Double {
        let long = samples.filter { words(in: $0).count >= 4 }
        return long.isEmpty ? 0 : long.map(rep4).reduce(0, +) / Double(long.count)
    }

    /// Every figure of `samples` against `training` (the training titles or synopses).
    /// - Parameter heldOutBitsPerCharacter: the model's held-out bits per character, when known (a real-text
    ///   baseline has none).
    public static func report(samples: [String], training: [String], heldOutBitsPerCharacter: Double? = nil) -> TextQualityReport {
        let index = TrainingText(training)
        let generated = samples.map { index.ids(words(in: $0)) }
        var novel = 0, grams = 0
        let trainingGrams = index.ngramSet(novelLength)
        for sample in generated {
            for gram in ngrams(sample, novelLength) {
                grams += 1
                if !trainingGrams.contains(gram) { novel += 1 }
            }
        }
        let run = index.longestSharedRun(generated)
        let titles = Set(training.map { words(in: $0) })
        let copies = samples.filter { titles.contains(words(in: $0)) && !words(in: $0).isEmpty }
        return TextQualityReport(
            samples: samples.count, distinct2: distinct2(samples), rep4: meanRep4(samples),
            novel8: grams == 0 ? nil : Double(novel) / Double(grams), longestSharedRun: run.count,
            sharedRun: run.words.joined(separator: " "), exactCopies: copies.count, exampleCopy: copies.first,
            heldOutBitsPerCharacter: heldOutBitsPerCharacter)
    }
}

/// The training texts as word ids (a word the training text lacks gets a fresh id that matches nothing), with their
/// n-gram sets built on demand.
struct TrainingText {
    var vocabulary: [String: Int] = [:]
    var texts: [[Int]] = []
    var words: [String] = []

    init(_ training: [String]) {
        for text in training {
            texts.append(TextQuality.words(in: text).map { word in
                if let id = vocabulary[word] { return id }
                vocabulary[word] = words.count
                words.append(word)
                return words.count - 1
            })
        }
    }

    /// Ids of `sample`; unknown words get negative ids, distinct from each other.
    func ids(_ sample: [String]) -> [Int] {
        sample.enumerated().map { vocabulary[$1] ?? -1 - $0 }
    }

    func ngramSet(_ n: Int) -> Set<ArraySlice<Int>> {
        Set(texts.flatMap { TextQuality.ngrams($0, n) })
    }

    /// The longest run of consecutive words of any sample that also occurs consecutively in one training text, found by
    /// bisection on its length (a shared run of n words contains shared runs of every shorter length).
    func longestSharedRun(_ samples: [[Int]]) -> (count: Int, words: [String]) {
        func shared(_ n: Int) -> ArraySlice<Int>? {
            let set = ngramSet(n)
            for sample in samples {
                if let gram = TextQuality.ngrams(sample, n).first(where: set.contains) { return gram }
            }
            return nil
        }
        var low = 0, high = samples.map(\.count).max() ?? 0
        var best: ArraySlice<Int> = []
        while low < high {
            let middle = (low + high + 1) / 2
            if let gram = shared(middle) {
                low = middle
                best = gram
            } else {
                high = middle - 1
            }
        }
        return (low, best.map { words[$0] })
    }
}
