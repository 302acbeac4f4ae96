import Foundation
import Learning
import Testing

@Suite struct LSTMTests {
    /// One unit, one input: kernel [0.5, −0.25, 1, 0.75], recurrent [0.1, 0.2, −0.3, 0.4], bias [0, 1, 0, 0] (unit forget).
    static func tinyLayer(goesBackwards: Bool = false) throws -> LSTM {
        LSTM(
            kernel: try Tensor(shape: [1, 4], storage: [0.5, -0.25, 1, 0.75]),
            recurrentKernel: try Tensor(shape: [1, 4], storage: [0.1, 0.2, -0.3, 0.4]),
            bias: try Tensor(shape: [4], storage: [0, 1, 0, 0]), goesBackwards: goesBackwards)
    }

    @Test func oneStepMatchesHandComputedValues() throws {
        // x = 1, h₀ = c₀ = 0: z = [0.5, 0.75, 1, 0.75]; i = σ(0.5) = 0.622459, f = σ(0.75) = 0.679179,
        // g = tanh(1) = 0.761594, o = σ(0.75) = 0.679179; c = i·g = 0.474061; h = o·tanh(c) = 0.299840.
        let layer = try Self.tinyLayer()
        let (state, _) = layer.forward(try Tensor(shape: [1, 1, 1], storage: [1]))
        #expect(abs(state.storage[0] - 0.299_840_41) < 1e-6)
        // A second step with x = −2 feeds h and c back: z = [−0.97, 1.56, −2.09, −1.38]; c = 0.125147, h = 0.025024.
        let (twoSteps, _) = layer.forward(try Tensor(shape: [1, 2, 1], storage: [1, -2]))
        #expect(abs(twoSteps.storage[0] - 0.025_023_927) < 1e-6)
        // Read backwards, the same layer sees −2 first, then 1.
        let (reversed, _) = try Self.tinyLayer(goesBackwards: true).forward(try Tensor(shape: [1, 2, 1], storage: [-2, 1]))
        #expect(reversed.storage == twoSteps.storage)
    }

    /// A plain Double-precision LSTM, straight from the equations, to check both the four-lane loops (units a
    /// multiple of 4) and the scalar ones.
    static func reference(_ layer: LSTM, _ x: Tensor) -> [Double] {
        let (batch, time, inputs, units) = (x.shape[0], x.shape[1], x.shape[2], layer.units)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        var result: [Double] = []
        for b in 0..<batch {
            var h = [Double](repeating: 0, count: units), c = h
            for step in 0..<time {
                let t = layer.goesBackwards ? time - 1 - step : step
                var z = (0..<(4 * units)).map { Double(layer.bias.storage[$0]) }
                for j in 0..<(4 * units) {
                    for e in 0..<inputs { z[j] += Double(x[b, t, e]) * Double(layer.kernel[e, j]) }
                    for k in 0..<units { z[j] += h[k] * Double(layer.recurrentKernel[k, j]) }
                }
                for k in 0..<units {
                    c[k] = sigmoid(z[units + k]) * c[k] + sigmoid(z[k]) * tanh(z[2 * units + k])
                    h[k] = sigmoid(z[3 * units + k]) * tanh(c[k])
                }
            }
            result += h
        }
        return result
    }

    @Test(arguments: [(3, 4, false), (5, 8, true), (2, 3, false), (4, 20, true)])
    func sequenceMatchesAPlainReference(inputSize: Int, units: Int, goesBackwards: Bool) throws {
        var generator = SeededGenerator(seed: UInt64(units))
        var layer = LSTM(inputSize: inputSize, units: units, goesBackwards: goesBackwards, using: &generator)
        layer.bias = GradientCheck.random([4 * units], seed: 3)
        let x = GradientCheck.random([3, 7, inputSize], seed: 4)
        let expected = Self.reference(layer, x)
        let actual = layer.forward(x).lastState.storage
        for (a, e) in zip(actual, expected) { #expect(abs(Double(a) - e) < 2e-5) }
    }

    @Test func kerasInitialisation() throws {
        var generator = SeededGenerator(seed: 5)
        let layer = LSTM(inputSize: 6, units: 3, using: &generator)
        #expect(layer.kernel.shape == [6, 12] && layer.recurrentKernel.shape == [3, 12] && layer.bias.shape == [12])
        #expect(layer.bias.storage == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        let limit = (6 / Float(6 + 12)).squareRoot()
        #expect(layer.kernel.storage.allSatisfy { abs($0) <= limit })
        // Orthogonal recurrent kernel: its three rows are orthonormal.
        for r in 0..<3 {
            for s in 0..<3 {
                var dot: Float = 0
                for j in 0..<12 { dot += layer.recurrentKernel[r, j] * layer.recurrentKernel[s, j] }
                #expect(abs(dot - (r == s ? 1 : 0)) < 1e-5)
            }
        }
        var again = SeededGenerator(seed: 5)
        #expect(LSTM(inputSize: 6, units: 3, using: &again) == layer)
        var glorot = SeededGenerator(seed: 5)
        let other = LSTM(inputSize: 6, units: 3, recurrentInitializer: .glorotUniform, using: &glorot)
        #expect(other.recurrentKernel.storage.allSatisfy { abs($0) <= (6 / Float(3 + 12)).squareRoot() })
    }

    @Test func backwardsReadingEqualsForwardReadingOfTheReversedSequence() throws {
        var generator = SeededGenerator(seed: 8)
        let forward = LSTM(inputSize: 3, units: 4, using: &generator)
        var backwards = forward
        backwards.goesBackwards = true
        let x = GradientCheck.random([2, 5, 3], seed: 9)
        var reversed = x
        for b in 0..<2 { for t in 0..<5 { for j in 0..<3 { reversed[b, t, j] = x[b, 4 - t, j] } } }
        #expect(backwards.forward(x).lastState == forward.forward(reversed).lastState)
        #expect(backwards.forward(x).lastState != forward.forward(x).lastState)
    }

    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(goesBackwards: Bool) throws {
        var generator = SeededGenerator(seed: goesBackwards ? 12 : 11)
        var layer = LSTM(inputSize: 3, units: 4, goesBackwards: goesBackwards, using: &generator)
        // Larger-than-initial weights and a random bias so every gate is away from its linear regime.
        layer.recurrentKernel = GradientCheck.random([4, 16], seed: 13)
        layer.bias = GradientCheck.random([16], seed: 14)
        let x = GradientCheck.random([2, 5, 3], seed: 15)
        let r = GradientCheck.random([2, 4], seed: 16)
        let (state, cache) = layer.forward(x)
        let (gradInput, gradients) = layer.backward(r, cache: cache)
        #expect(gradInput.shape == x.shape)

        func loss(_ l: LSTM, _ input: Tensor) -> Double { GradientCheck.weightedSum(l.forward(input).lastState, r) }
        #expect(GradientCheck.weightedSum(state, r) == loss(layer, x))
        let inputError = GradientCheck.error(of: gradInput, at: x) { loss(layer, $0) }
        let kernelError = GradientCheck.error(of: gradients.kernel, at: layer.kernel) { var l = layer; l.kernel = $0; return loss(l, x) }
        let recurrentError = GradientCheck.error(of: gradients.recurrentKernel, at: layer.recurrentKernel) {
            var l = layer; l.recurrentKernel = $0; return loss(l, x)
        }
        let biasError = GradientCheck.error(of: gradients.bias, at: layer.bias) { var l = layer; l.bias = $0; return loss(l, x) }
        #expect(inputError < GradientCheck.tolerance)
        #expect(kernelError < GradientCheck.tolerance)
        #expect(recurrentError < GradientCheck.tolerance)
        #expect(biasError < GradientCheck.tolerance)
    }

    @Test func optimizerUpdatesEveryParameterUnderItsName() throws {
        var generator = SeededGenerator(seed: 21)
        var layer = LSTM(inputSize: 2, units: 2, using: &generator)
        let before = layer
        let (_, cache) = layer.forward(GradientCheck.random([1, 3, 2], seed: 22))
        let (_, gradients) = layer.backward(GradientCheck.random([1, 2], seed: 23), cache: cache)
        var sgd = SGD(learningRate: 0.5)
        layer.update(with: gradients, using: &sgd, name: "lstm")
        #expect(layer.kernel != before.kernel && layer.recurrentKernel != before.recurrentKernel && layer.bias != before.bias)
        for i in 0..<layer.bias.count {
            #expect(layer.bias.storage[i] == before.bias.storage[i] - 0.5 * gradients.bias.storage[i])
        }
    }
}
