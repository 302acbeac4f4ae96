import Learning
import Testing

@Suite struct BidirectionalLSTMTests {
    @Test func outputConcatenatesForwardAndBackwardLastStates() throws {
        var generator = SeededGenerator(seed: 30)
        let layer = BidirectionalLSTM(inputSize: 3, units: 4, using: &generator)
        #expect(!layer.forwardLayer.goesBackwards && layer.backwardLayer.goesBackwards)
        #expect(layer.forwardLayer != layer.backwardLayer)
        let x = GradientCheck.random([2, 6, 3], seed: 31)
        let (output, _) = layer.forward(x)
        #expect(output.shape == [2, 8])
        let forwardState = layer.forwardLayer.forward(x).lastState
        // Keras's backward "last" state: after reading the sequence reversed, i.e. a forward LSTM on the reversed input.
        var reversed = x
        for b in 0..<2 { for t in 0..<6 { for j in 0..<3 { reversed[b, t, j] = x[b, 5 - t, j] } } }
        var readingForwards = layer.backwardLayer
        readingForwards.goesBackwards = false
        let backwardState = readingForwards.forward(reversed).lastState
        for b in 0..<2 {
            for k in 0..<4 {
                #expect(output[b, k] == forwardState[b, k])
                #expect(output[b, 4 + k] == backwardState[b, k])
            }
        }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 32)
        var layer = BidirectionalLSTM(inputSize: 3, units: 3, using: &generator)
        layer.forwardLayer.bias = GradientCheck.random([12], seed: 33)
        layer.backwardLayer.recurrentKernel = GradientCheck.random([3, 12], seed: 34)
        let x = GradientCheck.random([2, 4, 3], seed: 35)
        let r = GradientCheck.random([2, 6], seed: 36)
        let (_, cache) = layer.forward(x)
        let (gradInput, gradients) = layer.backward(r, cache: cache)

        func loss(_ l: BidirectionalLSTM, _ input: Tensor) -> Double { GradientCheck.weightedSum(l.forward(input).output, r) }
        #expect(GradientCheck.error(of: gradInput, at: x) { loss(layer, $0) } < GradientCheck.tolerance)
        let checks: [(String, Tensor, Tensor, (inout BidirectionalLSTM, Tensor) -> Void)] = [
            ("forward.kernel", gradients.forward.kernel, layer.forwardLayer.kernel, { $0.forwardLayer.kernel = $1 }),
            ("forward.recurrentKernel", gradients.forward.recurrentKernel, layer.forwardLayer.recurrentKernel,
             { $0.forwardLayer.recurrentKernel = $1 }),
            ("forward.bias", gradients.forward.bias, layer.forwardLayer.bias, { $0.forwardLayer.bias = $1 }),
            ("backward.kernel", gradients.backward.kernel, layer.backwardLayer.kernel, { $0.backwardLayer.kernel = $1 }),
            ("backward.recurrentKernel", gradients.backward.recurrentKernel, layer.backwardLayer.recurrentKernel,
             { $0.backwardLayer.recurrentKernel = $1 }),
            ("backward.bias", gradients.backward.bias, layer.backwardLayer.bias, { $0.backwardLayer.bias = $1 }),
        ]
        for (name, analytic, parameter, set) in checks {
            let error = GradientCheck.error(of: analytic, at: parameter) { value in
                var l = layer
                set(&l, value)
                return loss(l, x)
            }
            #expect(error < GradientCheck.tolerance, "\(name): relative error \(error)")
        }
    }

    @Test func sameSeedSameWeightsAndUpdateNamesBothDirections() throws {
        var a = SeededGenerator(seed: 40), b = SeededGenerator(seed: 40), c = SeededGenerator(seed: 41)
        var layer = BidirectionalLSTM(inputSize: 2, units: 2, using: &a)
        #expect(layer == BidirectionalLSTM(inputSize: 2, units: 2, using: &b))
        #expect(layer != BidirectionalLSTM(inputSize: 2, units: 2, using: &c))
        let (_, cache) = layer.forward(GradientCheck.random([1, 3, 2], seed: 42))
        let (_, gradients) = layer.backward(GradientCheck.random([1, 4], seed: 43), cache: cache)
        var adam = Adam()
        let before = layer
        layer.update(with: gradients, using: &adam, name: "bilstm")
        #expect(layer.forwardLayer.kernel != before.forwardLayer.kernel)
        #expect(layer.backwardLayer.kernel != before.backwardLayer.kernel)
    }
}
