import Foundation
@testable import Learning
import Testing

@Suite struct LanguageModelTests {
    // MARK: the LSTM with a loss on every step

    /// Σ_t Σ weights_t ⊙ h_t after running `x` (`[time, batch, inputSize]`, reading order) from `initial`.
    static func everyStepLoss(_ layer: LSTM, _ x: [Float], batch: Int, time: Int, initial: LSTM.State, weights: Tensor) -> Double {
        var cache = LSTM.Cache()
        cache.input = x
        layer.run(&cache, batch: batch, time: time, from: initial)
        let hidden = Tensor(unchecked: [time * batch * layer.units], Array(cache.hidden[(batch * layer.units)...]))
        return GradientCheck.weightedSum(hidden, weights)
    }

    /// The every-step backward pass against central differences, from a non-zero carried state, for the four-lane
    /// loops (4 units) and the scalar ones (3 units).
    @Test(arguments: [3, 4])
    func everyStepGradientsMatchFiniteDifferences(units: Int) throws {
        let (batch, time, inputSize) = (2, 4, 3)
        var generator = SeededGenerator(seed: 21)
        let layer = LSTM(inputSize: inputSize, units: units, recurrentInitializer: .glorotUniform, using: &generator)
        let x = GradientCheck.random([time * batch * inputSize], seed: 22)
        var initial = LSTM.State(batch: batch, units: units)
        initial.hidden = GradientCheck.random([batch * units], seed: 23).storage.map { $0 * 0.5 }
        initial.cells = GradientCheck.random([batch * units], seed: 24).storage
        let weights = GradientCheck.random([time * batch * units], seed: 25)

        var cache = LSTM.Cache()
        cache.input = x.storage
        layer.run(&cache, batch: batch, time: time, from: initial)
        var workspace = LSTM.BackwardWorkspace()
        let gradients = layer.backwardEveryStep(gradHidden: weights.storage, cache: cache, workspace: &workspace)
        let gradInput = Tensor(unchecked: [x.count], workspace.gradInput)

        let inputError = GradientCheck.error(of: gradInput, at: x) {
            Self.everyStepLoss(layer, $0.storage, batch: batch, time: time, initial: initial, weights: weights)
        }
        let kernelError = GradientCheck.error(of: gradients.kernel, at: layer.kernel) { kernel in
            var probe = layer
            probe.kernel = kernel
            return Self.everyStepLoss(probe, x.storage, batch: batch, time: time, initial: initial, weights: weights)
        }
        let recurrentError = GradientCheck.error(of: gradients.recurrentKernel, at: layer.recurrentKernel) { kernel in
            var probe = layer
            probe.recurrentKernel = kernel
            return Self.everyStepLoss(probe, x.storage, batch: batch, time: time, initial: initial, weights: weights)
        }
        let biasError = GradientCheck.error(of: gradients.bias, at: layer.bias) { bias in
            var probe = layer
            probe.bias = bias
            return Self.everyStepLoss(probe, x.storage, batch: batch, time: time, initial: initial, weights: weights)
        }
        #expect(inputError < GradientCheck.tolerance, "input \(inputError)")
        #expect(kernelError < GradientCheck.tolerance, "kernel \(kernelError)")
        #expect(recurrentError < GradientCheck.tolerance, "recurrent kernel \(recurrentError)")
        #expect(biasError < GradientCheck.tolerance, "bias \(biasError)")
    }

    /// A carried state changes the outputs (it is really read), and a zero carried state is the same as none.
    @Test func carriedStateIsRead() {
        var generator = SeededGenerator(seed: 5)
        let layer = LSTM(inputSize: 2, units: 4, using: &generator)
        let x = GradientCheck.random([3 * 1 * 2], seed: 6).storage
        func run(_ state: LSTM.State?) -> [Float] {
            var cache = LSTM.Cache()
            cache.input = x
            layer.run(&cache, batch: 1, time: 3, from: state)
            return layer.finalState(cache).hidden
        }
        #expect(run(nil) == run(LSTM.State(batch: 1, units: 4)))
        var carried = LSTM.State(batch: 1, units: 4)
        carried.hidden = [0.5, -0.5, 0.25, 0.1]
        #expect(run(carried) != run(nil))
    }

    /// Generation's single-sequence step equals the batched recurrence.
    @Test func singleStepMatchesTheRecurrence() {
        var generator = SeededGenerator(seed: 8)
        let layer = LSTM(inputSize: 3, units: 4, using: &generator)
        let x = GradientCheck.random([5 * 3], seed: 9).storage
        var cache = LSTM.Cache()
        cache.input = x
        layer.run(&cache, batch: 1, time: 5, from: nil)
        var state = LSTM.State(batch: 1, units: 4), gates: [Float] = []
        for t in 0..<5 { x.withUnsafeBufferPointer { layer.step($0.baseAddress! + t * 3, state: &state, gates: &gates) } }
        for (a, b) in zip(state.hidden, layer.finalState(cache).hidden) { #expect(abs(a - b) < 1e-5) }
    }

    /// The masked cross-entropy's gradient against finite differences; rows labelled −1 neither count nor get gradient.
    @Test func maskedCrossEntropyGradient() {
        let logits = GradientCheck.random([4, 5], seed: 11)
        let labels: [Int32] = [2, -1, 0, 4]
        let (loss, count, grad) = LanguageModel.crossEntropy(logits, labels: labels)
        #expect(count == 3 && loss > 0)
        #expect((5..<10).allSatisfy { grad.storage[$0] == 0 })
        let error = GradientCheck.error(of: grad, at: logits) { LanguageModel.crossEntropy($0, labels: labels).loss / 3 }
        #expect(error < GradientCheck.tolerance, "\(error)")
    }

    // MARK: training, decoding, checkpoints

    static let tiny = LanguageModelConfiguration(
        embeddingDimension: 8, hiddenUnits: 32, window: 16, batchSize: 4, learningRate: 0.01, evaluationInterval: 20, patience: 100)

    static func overfitted(_ lines: [String], steps: Int, seed: UInt64 = 3) -> LanguageModel {
        var model = LanguageModel(configuration: tiny, tokenizer: SubwordTokenizer(fittingOn: lines, maximumWords: 0), seed: seed)
        _ = model.train(on: Array(repeating: lines, count: 8).flatMap { $0 }, budget: TrainingBudget(steps: steps), shuffleSeed: 1)
        return model
    }

    /// An overfitted model writes its one line and stops at the end marker, though 20 words are allowed.
    @Test func decodingStopsAtTheEndMarker() {
        let model = Self.overfitted(["Tom runs home."], steps: 150)
        var generator = SeededGenerator(seed: 4)
        let rules = DecodingRules(temperature: 0.3, minimumWords: 1, maximumWords: 20, ending: .sentence)
        for _ in 0..<5 { #expect(model.generate(rules: rules, using: &generator) == "Tom runs home.") }
    }

    /// A model trained on a text that repeats itself still never writes a 3-gram of words twice.
    @Test func decodingNeverRepeatsATrigram() {
        let line = "the cat sat on the mat and the cat sat on the mat and the cat sat on the mat."
        let model = Self.overfitted([line], steps: 200)
        var generator = SeededGenerator(seed: 5)
        let rules = DecodingRules(temperature: 0.8, minimumWords: 3, maximumWords: 30, ending: .sentence)
        for _ in 0..<8 {
            let text = model.generate(rules: rules, using: &generator)
            #expect(!LanguageModel.hasRepeatedTrigram(SubwordTokenizer.words(in: text)), "\(text)")
            #expect(text.isEmpty || DecodingRules.endsSentence(text[...]), "\(text)")
        }
        #expect(LanguageModel.hasRepeatedTrigram(SubwordTokenizer.words(in: line)))
        #expect(!LanguageModel.hasRepeatedTrigram(["a", "b", "c", "b", "c", "d"]))
    }

    @Test func nucleusSamplingKeepsOnlyTheTopMass() {
        // Probabilities ≈ 0.93, 0.05, 0.02: with top-p 0.9 only the first is ever drawn; excluded ones never are.
        let logits: [Float] = [4, 1.1, 0.2]
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<200 { #expect(LanguageModel.sample(logits, excluding: [], temperature: 1, topP: 0.9, using: &generator) == 0) }
        var drawn: Set<Int> = []
        for _ in 0..<300 { drawn.insert(LanguageModel.sample(logits, excluding: [0], temperature: 1, topP: 1, using: &generator)!) }
        #expect(drawn == [1, 2])
        #expect(LanguageModel.sample(logits, excluding: [0, 1, 2], temperature: 1, topP: 1, using: &generator) == nil)
    }

    @Test func endingsAndValidPrefixes() {
        #expect(DecodingRules.endsSentence("He wins.\""[...]) && !DecodingRules.endsSentence("He wins,"[...]))
        #expect(DecodingRules.endsOnContentWord("Blade of Dawn"[...]) && !DecodingRules.endsOnContentWord("Blade of the"[...]))
        #expect(DecodingRules.endsOnContentWord("Go, Team!"[...]) && !DecodingRules.endsOnContentWord("Blade:"[...]))
        let synopsis = DecodingRules(minimumWords: 1, maximumWords: 10, ending: .sentence)
        #expect(synopsis.validPrefix(of: "One ends. Two is cut") == "One ends.")
        let title = DecodingRules(minimumWords: 1, maximumWords: 10, ending: .contentWord)
        #expect(title.validPrefix(of: "Blade of the") == "Blade")
        #expect(title.validPrefix(of: "Bladeof the") == "Bladeof")  // never cut inside a word
        #expect(title.validPrefix(of: "of the") == nil)
    }

    @Test func checkpointsRoundTripAndTheWordModelRefusesThem() throws {
        var model = Self.overfitted(["Tom runs home.", "Ann swims far!"], steps: 30)
        model = try LanguageModel(checkpoint: model.checkpoint())
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("language-\(UUID().uuidString).nsckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url, metadata: ["run_id": "r1"])
        let loaded = try LanguageModel.load(from: url)
        #expect(loaded.parameters == model.parameters && loaded.tokenizer == model.tokenizer && loaded.stepsTaken == model.stepsTaken)
        #expect(loaded.configuration == model.configuration)
        #expect(loaded.optimizer.moments.mapValues { [$0.first, $0.second, [Float($0.step)]] }
                    == model.optimizer.moments.mapValues { [$0.first, $0.second, [Float($0.step)]] })
        #expect(loaded.score(["Tom swims home."]) == model.score(["Tom swims home."]))
        // A word BiLSTM reading it (or the other way round) is refused with a message naming the file.
        #expect { _ = try TextModel.load(from: url) } throws: { error in
            "\(error)".contains(url.path) && "\(error)".contains("language-model")
        }
        let wordModel = TextModel(
            configuration: TextModelConfiguration(vocabularySize: 8, inputLength: 4), tokenizer: Tokenizer(fittingOn: ["a b c"], maximumWords: 8),
            seed: 1)
        let wordURL = url.deletingLastPathComponent().appendingPathComponent("word-\(UUID().uuidString).nsckpt")
        defer { try? FileManager.default.removeItem(at: wordURL) }
        try wordModel.save(to: wordURL)
        #expect { _ = try LanguageModel.load(from: wordURL) } throws: { error in "\(error)".contains(wordURL.path) }
    }

    /// Held-out loss falls while training, the kept weights are the best evaluated, and early stopping stops.
    @Test func trainingKeepsTheBestHeldOutWeightsAndStopsEarly() {
        let lines = (0..<40).map { "Hero \($0 % 7) fights the dark lord in town \($0 % 5)." }
        let heldOut = ["Hero 3 fights the dark lord in town 2.", "Hero 6 fights the dark lord in town 4."]
        var configuration = Self.tiny
        configuration.patience = 2
        configuration.evaluationInterval = 10
        var model = LanguageModel(configuration: configuration, tokenizer: SubwordTokenizer(fittingOn: lines, maximumWords: 0), seed: 2)
        let before = model.score(heldOut).bitsPerCharacter
        let summary = model.train(on: lines, heldOut: heldOut, budget: TrainingBudget(steps: 2000), shuffleSeed: 3)
        let after = model.score(heldOut)
        #expect(after.bitsPerCharacter < before / 3, "\(before) → \(after.bitsPerCharacter)")
        #expect(summary.bestHeldOut == after)
        #expect(summary.evaluations.map(\.bitsPerCharacter).min() == after.bitsPerCharacter)
        #expect(summary.stoppedEarly && summary.steps < 2000)
    }
}
