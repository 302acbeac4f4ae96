extension TextModel {
    /// Trains on `data` in shuffled batches of `configuration.batchSize` (the last batch of an epoch may be smaller)
    /// until the first limit of `budget` is reached.
    /// - Parameters:
    ///   - shuffleSeed: seeds the per-epoch shuffles, so equal seeds, data and budgets give identical models.
    ///   - progress: called every `configuration.progressInterval` steps and after the last step.
    /// - Throws: `LearningError` `.sequenceLength` when `data.inputLength` is not the model's, `.idOutOfRange` or
    ///   `.labelOutOfRange` for ids outside `0..<K`; checked before any step, so the model is unchanged then.
    public mutating func train(
        on data: TextSequences, budget: TrainingBudget, shuffleSeed: UInt64, progress: (TrainingProgress) -> Void = { _ in }
    ) throws(LearningError) -> TextTrainingSummary {
        try validate(data)
        let clock = ContinuousClock()
        let start = clock.now
        let batchSize = configuration.batchSize, length = data.inputLength
        let stepsPerEpoch = (data.count + batchSize - 1) / batchSize
        var generator = SeededGenerator(seed: shuffleSeed)
        var order = Array(0..<data.count)
        var steps = 0, epoch = 0, examples = 0
        var lossSum = 0.0, lastLoss = Float.nan

        func exhausted() -> Bool {
            if let limit = budget.steps, steps >= limit { return true }
            if let limit = budget.timeLimit, clock.now - start >= limit { return true }
            return false
        }
        func report() {
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            progress(TrainingProgress(
                step: steps, epoch: epoch, loss: lastLoss, losses: ["loss": lastLoss],
                examplesPerSecond: seconds > 0 ? Double(examples) / seconds : 0, elapsed: elapsed))
        }

        var batchInputs: [Int32] = []
        var batchLabels: [Int32] = []
        batchInputs.reserveCapacity(batchSize * length)
        epochs: while stepsPerEpoch > 0 && !exhausted() {
            if let limit = budget.epochs, epoch >= limit { break }
            epoch += 1
            // Fisher–Yates with the seeded generator (stdlib `shuffle` may change between Swift versions).
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(generator.next(upperBound: UInt64(i + 1))))
            }
            for first in stride(from: 0, to: data.count, by: batchSize) {
                if exhausted() { break epochs }
                batchInputs.removeAll(keepingCapacity: true)
                batchLabels.removeAll(keepingCapacity: true)
                for index in order[first..<min(first + batchSize, data.count)] {
                    batchInputs.append(contentsOf: data.input(index))
                    batchLabels.append(data.labels[index])
                }
                lastLoss = try trainStep(inputs: batchInputs, labels: batchLabels)
                steps += 1
                examples += batchLabels.count
                lossSum += Double(lastLoss) * Double(batchLabels.count)
                if steps % configuration.progressInterval == 0 { report() }
            }
        }
        if steps > 0 && steps % configuration.progressInterval != 0 { report() }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return TextTrainingSummary(
            steps: steps, epochs: stepsPerEpoch > 0 ? Double(steps) / Double(stepsPerEpoch) : 0, finalLoss: lastLoss,
            meanLoss: examples > 0 ? Float(lossSum / Double(examples)) : .nan,
            examplesPerSecond: seconds > 0 ? Double(examples) / seconds : 0, elapsed: elapsed)
    }

    /// The mean cross-entropy over every example of `data` (held-out evaluation): batched forward passes, no update.
    /// - Returns: `nan` for empty data.
    /// - Throws: the same errors as `train`.
    public func meanLoss(on data: TextSequences) throws(LearningError) -> Float {
        try validate(data)
        guard data.count > 0 else { return .nan }
        let batchSize = max(configuration.batchSize, 128), length = data.inputLength
        var total = 0.0
        for first in stride(from: 0, to: data.count, by: batchSize) {
            let end = min(first + batchSize, data.count)
            let inputs = Array(data.inputs[(first * length)..<(end * length)])
            let logits = try forwardLogits(inputs: inputs)
            let (loss, _) = try softmaxCrossEntropy(logits: logits, labels: data.labels[first..<end].map(Int.init))
            total += Double(loss) * Double(end - first)
        }
        return Float(total / Double(data.count))
    }

    private func validate(_ data: TextSequences) throws(LearningError) {
        guard data.inputLength == configuration.inputLength else {
            throw LearningError(.sequenceLength(expected: configuration.inputLength, actual: data.inputLength))
        }
        let vocabularySize = configuration.vocabularySize
        for id in data.inputs where id < 0 || Int(id) >= vocabularySize {
            throw LearningError(.idOutOfRange(id: Int(id), vocabularySize: vocabularySize))
        }
        for label in data.labels where label < 0 || Int(label) >= vocabularySize {
            throw LearningError(.labelOutOfRange(label: Int(label), classes: vocabularySize))
        }
    }
}
