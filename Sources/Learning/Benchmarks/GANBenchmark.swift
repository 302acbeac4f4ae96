/// Times DCGAN training and generation for a configuration: what `nightshift bench learning` reports.
///
/// ```swift
/// let result = GANBenchmark.run(configuration: .nightly, iterations: 10, posters: 100)
/// print(result.medianIteration, result.postersPerSecond)
/// ```
public enum GANBenchmark {
    /// The timings of one benchmark run.
    public struct Result: Sendable, Equatable {
        /// The configuration measured.
        public var configuration: DCGANConfiguration
        /// OpenBLAS's thread count during the run.
        public var blasThreads: Int
        /// The wall time of each training iteration, in order (the first includes warm-up).
        public var iterationTimes: [Duration]
        /// The median of `iterationTimes` (`.zero` when no iteration ran).
        public var medianIteration: Duration
        /// Posters generated.
        public var posters: Int
        /// The wall time of generating them with `generate(seeds:)`.
        public var generationTime: Duration
        /// `posters` divided by `generationTime`.
        public var postersPerSecond: Double
    }

    /// Runs `iterations` training iterations on random images of batch `configuration.batchSize`, then generates
    /// `posters` posters in one `generate(seeds:)` call.
    /// - Parameter seed: the model's and data's seed (timings do not depend on it).
    public static func run(configuration: DCGANConfiguration, iterations: Int, posters: Int, seed: UInt64 = 1) -> Result {
        precondition(iterations >= 0 && posters >= 0, "iterations (\(iterations)) and posters (\(posters)) cannot be negative")
        var gan = DCGAN(configuration: configuration, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        let c = configuration
        let images = Tensor.uniform([c.batchSize, c.channels, c.imageSize, c.imageSize], in: -1...1, using: &rng)
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<iterations {
            let start = clock.now
            _ = gan.trainIteration(realImages: images, using: &rng)
            times.append(clock.now - start)
        }
        let start = clock.now
        _ = gan.generate(seeds: (0..<posters).map { UInt64($0) })
        let generationTime = clock.now - start
        let sorted = times.sorted()
        let median: Duration = sorted.isEmpty ? .zero
            : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let (whole, attoseconds) = generationTime.components
        let generationSeconds = Double(whole) + Double(attoseconds) * 1e-18
        return Result(
            configuration: configuration, blasThreads: BLAS.threads, iterationTimes: times, medianIteration: median,
            posters: posters, generationTime: generationTime,
            postersPerSecond: generationSeconds > 0 ? Double(posters) / generationSeconds : 0)
    }
}
