import Foundation
@testable import Learning
import Testing

@Suite struct TextModelTests {
    static let corpus = [
        "The quick brown fox jumps over the lazy dog.",
        "A small red bird sings in the morning!",
        "Brave heroes fight the dark lord",
    ]
    static let tokenizer = Tokenizer(fittingOn: corpus, maximumWords: 32)
    /// Small layers and a larger learning rate so the test overfits in a few hundred steps in a debug build. Ten units
    /// (not a multiple of 4) take the scalar LSTM loops: the four-lane ones are ~10x slower unoptimised, and
    /// LSTMTests checks both against a plain reference and finite differences.
    static let configuration = TextModelConfiguration(
        vocabularySize: 32, inputLength: 8, embeddingDimension: 16, unitsPerDirection: 10, batchSize: 32, learningRate: 0.02,
        progressInterval: 50)

    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("text-model-\(UUID().uuidString).nsckpt")
    }

    @Test func originalSynopsisModelHasTheReferenceParameterCount() {
        let tokenizer = Tokenizer(fittingOn: ["a b"], maximumWords: 2500)
        let model = TextModel(configuration: .originalSynopses, tokenizer: tokenizer, seed: 1)
        // 160,000 embedding + 2 × 6,800 LSTM + 102,500 dense (the reference table's 276,100).
        #expect(model.parameters.map(\.tensor.count).reduce(0, +) == 276_100)
        #expect(TextModelConfiguration.originalTitles.inputLength == 593 && TextModelConfiguration.nightlySynopses.inputLength == 40)
    }

    @Test func sameSeedGivesBitIdenticalWeights() {
        let a = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 9)
        let b = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 9)
        let c = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 10)
        #expect(a.parameters.map { $0.tensor.storage.map(\.bitPattern) } == b.parameters.map { $0.tensor.storage.map(\.bitPattern) })
        #expect(a.parameters != c.parameters)
    }

    /// Threshold: mean training loss below 0.1 within 300 steps (one batch per epoch: 20 sequences), after which
    /// greedy generation from each line's first word must reproduce the line.
    @Test func overfitsATinyCorpusAndRegeneratesItsLinesGreedily() throws {
        var model = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 3)
        let data = TextModel.sequences(from: Self.corpus, tokenizer: Self.tokenizer, inputLength: 8)
        #expect(data.count == 20)  // 8 + 7 + 5 prefixes
        let initial = try model.meanLoss(on: data)
        #expect(abs(initial - log(Float(32))) < 0.2)  // near uniform at initialisation
        var reports: [TrainingProgress] = []
        let summary = try model.train(on: data, budget: TrainingBudget(steps: 300), shuffleSeed: 4) { reports.append($0) }
        let final = try model.meanLoss(on: data)
        print("text model: loss \(initial) → \(final) after \(summary.steps) steps")
        #expect(summary.steps == 300 && summary.epochs == 300 && model.stepsTaken == 300)
        #expect(final < 0.1)
        #expect(reports.map(\.step) == [50, 100, 150, 200, 250, 300])
        #expect(reports.last?.epoch == 300 && reports.last?.losses["loss"] == summary.finalLoss)
        var generator = SeededGenerator(seed: 1)
        for line in Self.corpus {
            let words = Tokenizer.words(in: line)
            let generated = model.generate(seed: words[0], words: words.count - 1, temperature: 0, topK: 0, using: &generator)
            #expect(generated == words.joined(separator: " "))
        }
        // Top-1 sampling is greedy too; sampling at a temperature only ever produces vocabulary words.
        #expect(model.generate(seed: "The", words: 8, temperature: 1, topK: 1, using: &generator) == "The quick brown fox jumps over the lazy dog")
        let sampled = model.generate(seed: "", words: 5, temperature: 1.5, topK: 5, using: &generator)
        #expect(Tokenizer.words(in: sampled).count == 5 && Tokenizer.words(in: sampled).allSatisfy { Self.tokenizer.id(of: $0) != nil })
    }

    /// The vocabulary-projection path (used when a batch has more positions than the vocabulary has ids) must train
    /// exactly like the direct one, up to float summation order.
    @Test func vocabularyProjectionMatchesTheDirectPath() throws {
        let data = TextModel.sequences(from: Self.corpus, tokenizer: Self.tokenizer, inputLength: 8)
        var direct = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 12)
        direct.vocabularyProjection = false
        var projected = direct
        projected.vocabularyProjection = true
        for step in 0..<3 {
            let rows = (step * 6)..<(step * 6 + 6)
            let inputs = Array(data.inputs[(rows.lowerBound * 8)..<(rows.upperBound * 8)]), labels = Array(data.labels[rows])
            let lossDirect = try direct.trainStep(inputs: inputs, labels: labels)
            let lossProjected = try projected.trainStep(inputs: inputs, labels: labels)
            #expect(abs(lossDirect - lossProjected) < 1e-5)
        }
        for (a, b) in zip(direct.parameters, projected.parameters) {
            let difference = zip(a.tensor.storage, b.tensor.storage).map { abs($0 - $1) }.max() ?? 0
            #expect(difference < 1e-5, "\(a.name) differs by \(difference)")
        }
        #expect(try direct.forwardLogits(inputs: Array(data.inputs[0..<16])) != (try direct.forwardLogits(inputs: Array(data.inputs[8..<24]))))
    }

    /// Running the two directions' recurrences on two threads computes exactly the same values, with the scalar
    /// loops (10 units) and with the four-lane loops that call BLAS per step (4 units).
    @Test(arguments: [false, true], [10, 4])
    func parallelDirectionsAreBitIdentical(vocabularyProjection: Bool, units: Int) throws {
        let data = TextModel.sequences(from: Self.corpus, tokenizer: Self.tokenizer, inputLength: 8)
        var configuration = Self.configuration
        configuration.unitsPerDirection = units
        var sequential = TextModel(configuration: configuration, tokenizer: Self.tokenizer, seed: 13)
        sequential.vocabularyProjection = vocabularyProjection
        sequential.parallelDirections = false
        var parallel = sequential
        parallel.parallelDirections = true
        _ = try sequential.train(on: data, budget: TrainingBudget(steps: 4), shuffleSeed: 2)
        _ = try parallel.train(on: data, budget: TrainingBudget(steps: 4), shuffleSeed: 2)
        #expect(parallel.parameters.map { $0.tensor.storage.map(\.bitPattern) } == sequential.parameters.map { $0.tensor.storage.map(\.bitPattern) })
        #expect(parallel.stepsTaken == 4)
    }

    @Test func budgetsStopAtTheFirstLimitAndShuffleSeedsAreReproducible() throws {
        let tokenizer = Self.tokenizer
        let small = TextModelConfiguration(vocabularySize: 32, inputLength: 8, embeddingDimension: 4, unitsPerDirection: 3, batchSize: 5,
                                           progressInterval: 3)
        let data = TextModel.sequences(from: Self.corpus, tokenizer: tokenizer, inputLength: 8)  // 20 → 4 steps per epoch
        var a = TextModel(configuration: small, tokenizer: tokenizer, seed: 1)
        var steps: [Int] = []
        let byEpochs = try a.train(on: data, budget: TrainingBudget(epochs: 2, steps: 100), shuffleSeed: 7) { steps.append($0.step) }
        #expect(byEpochs.steps == 8 && byEpochs.epochs == 2)
        #expect(steps == [3, 6, 8])
        var b = TextModel(configuration: small, tokenizer: tokenizer, seed: 1)
        let bySteps = try b.train(on: data, budget: TrainingBudget(epochs: 2, steps: 7), shuffleSeed: 7)
        #expect(bySteps.steps == 7 && bySteps.epochs == 1.75)
                var c = TextModel(configuration: small, tokenizer: tokenizer, seed: 1)
        _ = try c.train(on: data, budget: TrainingBudget(epochs: 2), shuffleSeed: 7)
        #expect(c.parameters == a.parameters)  // same seeds, same data, same steps: identical weights
        let none = try c.train(on: data, budget: TrainingBudget(epochs: 0), shuffleSeed: 7)
        #expect(none.steps == 0 && none.finalLoss.isNaN)
    }

    @Test func rejectsMismatchedSequencesBeforeTraining() throws {
        var model = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 2)
        let before = model.parameters
        let wrongLength = TextModel.sequences(from: Self.corpus, tokenizer: Self.tokenizer, inputLength: 5)
        #expect(throws: LearningError(.sequenceLength(expected: 8, actual: 5))) {
            try model.train(on: wrongLength, budget: TrainingBudget(steps: 1), shuffleSeed: 1)
        }
        let badLabel = TextSequences(inputs: [Int32](repeating: 1, count: 8), labels: [32], inputLength: 8)
        #expect(throws: LearningError(.labelOutOfRange(label: 32, classes: 32))) { try model.meanLoss(on: badLabel) }
        #expect(throws: LearningError(.idOutOfRange(id: -1, vocabularySize: 32))) {
            try model.trainStep(inputs: [Int32](repeating: -1, count: 8), labels: [1])
        }
        #expect(model.parameters == before && model.stepsTaken == 0)
    }

    @Test func checkpointRoundTripGivesBitIdenticalLogits() throws {
        var model = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 5)
        let data = TextModel.sequences(from: Self.corpus, tokenizer: Self.tokenizer, inputLength: 8)
        _ = try model.train(on: data, budget: TrainingBudget(steps: 3), shuffleSeed: 1)
        let url = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url, metadata: ["corpus": "test"])
        let loaded = try TextModel.load(from: url)
        #expect(loaded.configuration == model.configuration && loaded.tokenizer == model.tokenizer && loaded.stepsTaken == 3)
        let inputs = Array(data.inputs[0..<(8 * 5)])
        #expect(try loaded.forwardLogits(inputs: inputs).storage.map(\.bitPattern) == model.forwardLogits(inputs: inputs).storage.map(\.bitPattern))
        #expect(try Checkpoint.read(from: url).metadata["corpus"] == "test")
        // Adam's moments travel with the checkpoint: one more step from the saved and the live model agrees exactly.
        var resumed = loaded
        let batch = Array(data.inputs[0..<(8 * 4)]), labels = Array(data.labels[0..<4])
        #expect(try resumed.trainStep(inputs: batch, labels: labels) == model.trainStep(inputs: batch, labels: labels))
        #expect(resumed.parameters.map { $0.tensor.storage.map(\.bitPattern) } == model.parameters.map { $0.tensor.storage.map(\.bitPattern) })
        #expect(try Checkpoint.read(from: url).metadata["adam.dense.bias.step"] == "3")
    }

    @Test func unusableCheckpointsNameTheFileAndTheProblem() throws {
        let model = TextModel(configuration: Self.configuration, tokenizer: Self.tokenizer, seed: 6)
        let url = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }

        var wrongShape = model.checkpoint()
        wrongShape.tensors[8] = .init(name: "dense.bias", tensor: .zeros([31]))
        try wrongShape.write(to: url)
        #expect(throws: CheckpointError(path: url.path, .shapeMismatch(name: "dense.bias", expected: [32], found: [31]))) {
            try TextModel.load(from: url)
        }

        var missing = model.checkpoint()
        missing.tensors.remove(at: 2)
        try missing.write(to: url)
        let error = #expect(throws: CheckpointError.self) { try TextModel.load(from: url) }
        guard case .missingTensor(let name, _) = error?.kind else { Issue.record("expected missingTensor, got \(String(describing: error))"); return }
        #expect(name == "bilstm.forward.recurrentKernel" && error?.path == url.path)

        try Checkpoint(kind: "dcgan").write(to: url)
        #expect(throws: CheckpointError(path: url.path, .wrongKind(expected: "text", found: "dcgan"))) { try TextModel.load(from: url) }

        var noConfiguration = model.checkpoint()
        noConfiguration.metadata["configuration"] = nil
        try noConfiguration.write(to: url)
        #expect(throws: CheckpointError(path: url.path, .missingMetadata(key: "configuration"))) { try TextModel.load(from: url) }

        var badVocabulary = model.checkpoint()
        badVocabulary.vocabulary = ["", "the", "the"]
        try badVocabulary.write(to: url)
        let vocabularyError = #expect(throws: CheckpointError.self) { try TextModel.load(from: url) }
        guard case .invalidVocabulary = vocabularyError?.kind else {
            Issue.record("expected invalidVocabulary, got \(String(describing: vocabularyError))")
            return
        }

        var bytes = model.checkpoint().encoded()
        try Data(bytes.prefix(100)).write(to: url)
        #expect(throws: CheckpointError(path: url.path, .truncated(expectedBytes: bytes.count, actualBytes: 100))) { try TextModel.load(from: url) }
        bytes[bytes.count / 2] ^= 1
        try Data(bytes).write(to: url)
        let corrupt = #expect(throws: CheckpointError.self) { try TextModel.load(from: url) }
        guard case .checksumMismatch = corrupt?.kind else { Issue.record("expected checksumMismatch, got \(String(describing: corrupt))"); return }
        #expect(corrupt?.description.contains(url.path) == true)
    }
}
