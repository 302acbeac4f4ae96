/// Times the text model the way the reference benchmarks (`bench_text_torch.py`) do: training steps on synthetic
/// left-padded prefixes of the configuration's shape, and word-by-word generation with one forward pass per word.
public enum TextBenchmark {
    /// What one run measured.
    public struct Figures: Sendable, Equatable, Codable {
        /// The model's configuration.
        public var configuration: TextModelConfiguration
        /// OpenBLAS threads during the run.
        public var threads: Int
        /// Median wall time of one training step (forward, backward, Adam) in milliseconds.
        public var stepMilliseconds: Double
        /// The fastest step, in milliseconds.
        public var fastestStepMilliseconds: Double
        /// Training sequences per second at the median step time.
        public var sequencesPerSecond: Double
        /// An epoch of `epochSequences` sequences at the median step time, in seconds.
        public var epochSeconds: Double
        /// The sequences `epochSeconds` counts (24,900: the original synopsis data).
        public var epochSequences: Int
        /// Median wall time to generate `generatedWords` words, in seconds.
        public var generationSeconds: Double
        /// Words per generation run.
        public var generatedWords: Int
    }

    /// Runs the benchmark on the calling thread (it blocks; call it off the cooperative pool).
    /// - Parameters:
    ///   - configuration: the model to time; the default is the original synopsis model (K 2500, L 176, batch 32).
    ///   - steps: timed training steps, after `warmupSteps` untimed ones.
    ///   - generatedWords: words per generation run (60, the reference's synopsis figure).
    ///   - generationRuns: timed generation runs (the median is reported).
    ///   - epochSequences: the epoch size `epochSeconds` extrapolates to (24,900: the original synopsis data).
    /// - Throws: `LearningError.Kind.blasUnavailable` when OpenBLAS cannot be loaded.
    public static func run(
        configuration: TextModelConfiguration = .originalSynopses, steps: Int = 30, warmupSteps: Int = 5,
        generatedWords: Int = 60, generationRuns: Int = 3, epochSequences: Int = 24_900
    ) throws(LearningError) -> Figures {
        precondition(steps >= 1 && generationRuns >= 1, "the benchmark needs at least one step and one generation run")
        try BLAS.load()
        let (k, length, batch) = (configuration.vocabularySize, configuration.inputLength, configuration.batchSize)
        // A synthetic vocabulary w1, w2, … with "the" as id 1, like the reference's MiniTokenizer.
        let vocabulary = [""] + ["the"] + (2..<k).map { "w\($0)" }
        let tokenizer = Tokenizer(vocabulary: vocabulary, maximumWords: k)!
        var model = TextModel(configuration: configuration, tokenizer: tokenizer, seed: 0)

        // Left-padded random prefixes of random length 1…L, random labels (compute does not depend on content).
        var generator = SeededGenerator(seed: 0)
        let examples = batch * 8
        var inputs = [Int32](repeating: 0, count: examples * length)
        var labels = [Int32](repeating: 0, count: examples)
        for row in 0..<examples {
            let filled = Int(generator.next(upperBound: UInt64(length))) + 1
            for t in (length - filled)..<length { inputs[row * length + t] = Int32(1 + generator.next(upperBound: UInt64(k - 1))) }
            labels[row] = Int32(1 + generator.next(upperBound: UInt64(k - 1)))
        }

        let clock = ContinuousClock()
        var stepTimes: [Double] = []
        for step in 0..<(warmupSteps + steps) {
            let first = (step % 8) * batch
            let batchInputs = Array(inputs[(first * length)..<((first + batch) * length)])
            let batchLabels = Array(labels[first..<(first + batch)])
            let start = clock.now
            _ = try model.trainStep(inputs: batchInputs, labels: batchLabels)
            if step >= warmupSteps { stepTimes.append(seconds(clock.now - start)) }
        }
        let stepMedian = median(stepTimes)

        var sampler = SeededGenerator(seed: 1)
        _ = model.generate(seed: "the", words: 3, using: &sampler)
        var generationTimes: [Double] = []
        for _ in 0..<generationRuns {
            let start = clock.now
            _ = model.generate(seed: "the", words: generatedWords, using: &sampler)
            generationTimes.append(seconds(clock.now - start))
        }
        let stepsPerEpoch = (epochSequences + batch - 1) / batch
        return Figures(
            configuration: configuration, threads: BLAS.threads, stepMilliseconds: stepMedian * 1000,
            fastestStepMilliseconds: stepTimes.min()! * 1000, sequencesPerSecond: Double(batch) / stepMedian,
            epochSeconds: stepMedian * Double(stepsPerEpoch), epochSequences: epochSequences,
            generationSeconds: median(generationTimes), generatedWords: generatedWords)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
