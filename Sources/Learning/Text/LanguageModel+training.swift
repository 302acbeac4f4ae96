import Foundation

extension LanguageModel {
    /// Trains on `lines` until the first limit of `budget` is reached, or until the held-out loss has not improved for
    /// `patience` evaluations.
    ///
    /// Each line is read as `<bos> line <eos>` from a zero state, as `score` and `generate` read it: a line's
    /// positions are cut into windows of `window` units (the last one padded, its padding unscored), the state carried
    /// from one window of a line to the next (truncated backpropagation through time) and zeroed where a line starts.
    /// Every epoch shuffles the lines and deals their windows to `batchSize` parallel streams.
    /// - Parameters:
    ///   - heldOut: lines never trained on; evaluated before training, every `evaluationInterval` steps and at the end,
    ///     and the weights with the lowest held-out loss are the ones kept. Empty: no early stopping, the last weights
    ///     are kept.
    ///   - shuffleSeed: seeds the per-epoch shuffles, so equal seeds, data and budgets give identical models.
    ///   - progress: called after every evaluation (with `losses["heldout_bpc"]`) and after the last step.
    public mutating func train(
        on lines: [String], heldOut: [String] = [], budget: TrainingBudget, shuffleSeed: UInt64,
        progress: (TrainingProgress) -> Void = { _ in }
    ) -> LanguageTrainingSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let window = configuration.window
        // Per line: its inputs and labels padded to whole windows (input <eos>, label −1).
        let encoded: [(inputs: [Int32], labels: [Int32])] = lines.filter { !$0.isEmpty }.map { line in
            let ids = tokenizer.encodeLine(line).map(Int32.init)
            let count = ids.count - 1, padded = (count + window - 1) / window * window
            return (Array(ids.dropLast()) + Array(repeating: Int32(SubwordTokenizer.end), count: padded - count),
                    Array(ids.dropFirst()) + Array(repeating: -1, count: padded - count))
        }
        let totalWindows = encoded.reduce(0) { $0 + $1.inputs.count / window }
        let batch = max(1, min(configuration.batchSize, totalWindows))
        let stepsPerEpoch = totalWindows / batch
        var generator = SeededGenerator(seed: shuffleSeed)
        var order = Array(encoded.indices)
        var steps = 0, epoch = 0, trainedUnits = 0
        var lossSum = 0.0, lastLoss = Float.nan
        var evaluations: [LanguageTrainingSummary.Evaluation] = []
        var best: (model: LanguageModel, score: HeldOutScore, step: Int)?
        var sinceBest = 0
        var stoppedEarly = false

        func seconds() -> Double {
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        func exhausted() -> Bool {
            if let limit = budget.steps, steps >= limit { return true }
            if let limit = budget.timeLimit, clock.now - start >= limit { return true }
            return false
        }
        func report(heldOut: Double?) {
            var losses = ["loss": lastLoss]
            if let heldOut { losses["heldout_bpc"] = Float(heldOut) }
            progress(TrainingProgress(
                step: steps, epoch: epoch, loss: lastLoss, losses: losses,
                examplesPerSecond: seconds() > 0 ? Double(trainedUnits) / seconds() : 0, elapsed: clock.now - start))
        }
        /// Scores the current weights; returns false when training should stop (no improvement for `patience`).
        func evaluate() -> Bool {
            guard !heldOut.isEmpty else { return true }
            let score = self.score(heldOut)
            evaluations.append(.init(step: steps, bitsPerCharacter: score.bitsPerCharacter))
            report(heldOut: score.bitsPerCharacter)
            if let current = best, !(score.bits < current.score.bits) {
                sinceBest += 1
                return sinceBest < configuration.patience
            }
            best = (self, score, steps)
            sinceBest = 0
            return true
        }

        var inputs = [Int32](repeating: 0, count: window * batch)
        var labels = [Int32](repeating: 0, count: window * batch)
        let units = recurrent.units
        if !heldOut.isEmpty { _ = evaluate() }
        epochs: while stepsPerEpoch > 0 && !exhausted() {
            if let limit = budget.epochs, epoch >= limit { break }
            epoch += 1
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next(upperBound: UInt64(i + 1)))) }
            var streamInputs: [Int32] = [], streamLabels: [Int32] = [], startsLine: [Bool] = []
            for index in order {
                streamInputs.append(contentsOf: encoded[index].inputs)
                streamLabels.append(contentsOf: encoded[index].labels)
                startsLine.append(true)
                startsLine.append(contentsOf: repeatElement(false, count: encoded[index].inputs.count / window - 1))
            }
            var state = LSTM.State(batch: batch, units: units)
            for s in 0..<stepsPerEpoch {
                if exhausted() { break epochs }
                for b in 0..<batch {
                    // Stream b reads windows b·stepsPerEpoch ..< (b + 1)·stepsPerEpoch, in order.
                    let windowIndex = b * stepsPerEpoch + s
                    if startsLine[windowIndex] {
                        for k in (b * units)..<((b + 1) * units) {
                            state.hidden[k] = 0
                            state.cells[k] = 0
                        }
                    }
                    for t in 0..<window {
                        inputs[t * batch + b] = streamInputs[windowIndex * window + t]
                        labels[t * batch + b] = streamLabels[windowIndex * window + t]
                    }
                }
                let (loss, count) = trainStep(inputs: inputs, labels: labels, batch: batch, state: &state)
                guard count > 0 else { continue }
                lastLoss = Float(loss / Double(count))
                lossSum += loss
                trainedUnits += count
                steps += 1
                if steps % configuration.evaluationInterval == 0 && !evaluate() {
                    stoppedEarly = true
                    break epochs
                }
            }
        }
        if steps > 0 && (steps % configuration.evaluationInterval != 0 || heldOut.isEmpty) {
            if heldOut.isEmpty { report(heldOut: nil) } else { _ = evaluate() }
        }
        var bestStep = steps
        if let best {
            // Keep the best weights, but count every step taken.
            let taken = stepsTaken
            self = best.model
            stepsTaken = taken
            bestStep = best.step
        }
        return LanguageTrainingSummary(
            steps: steps, epochs: stepsPerEpoch > 0 ? Double(steps) / Double(stepsPerEpoch) : 0, finalLoss: lastLoss,
            meanLoss: trainedUnits > 0 ? Float(lossSum / Double(trainedUnits)) : .nan,
            unitsPerSecond: seconds() > 0 ? Double(trainedUnits) / seconds() : 0, elapsed: clock.now - start,
            bestHeldOut: best?.score, bestStep: bestStep, stoppedEarly: stoppedEarly, evaluations: evaluations)
    }

    /// The cross-entropy of `lines`, each read on its own from a zero state as `<bos> line <eos>` (as generation reads
    /// them): every unit after `<bos>` is scored. Lines are batched by length; no update.
    public func score(_ lines: [String]) -> HeldOutScore {
        let kept = lines.filter { !$0.isEmpty }
        let encoded = kept.map { tokenizer.encodeLine($0).map(Int32.init) }.sorted { $0.count < $1.count }
        var bits = 0.0, units = 0
        let rowsPerBatch = 32
        for first in stride(from: 0, to: encoded.count, by: rowsPerBatch) {
            let rows = Array(encoded[first..<min(first + rowsPerBatch, encoded.count)])
            let batch = rows.count, time = rows.map(\.count).max()! - 1
            var inputs = [Int32](repeating: Int32(SubwordTokenizer.end), count: time * batch)
            var labels = [Int32](repeating: -1, count: time * batch)
            for (b, row) in rows.enumerated() {
                for t in 0..<(row.count - 1) {
                    inputs[t * batch + b] = row[t]
                    labels[t * batch + b] = row[t + 1]
                }
            }
            let pass = forward(inputs, batch: batch, from: nil)
            let (loss, count, _) = Self.crossEntropy(pass.logits, labels: labels)
            bits += loss / log(2)
            units += count
        }
        return HeldOutScore(bits: bits, characters: HeldOutScore.characters(in: kept), units: units)
    }
}
