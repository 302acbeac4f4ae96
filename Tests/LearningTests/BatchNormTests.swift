import Learning
import Testing

@Suite struct BatchNormTests {
    /// x = [1, 2, 3, 4] in one channel (two images of 1×2): batch mean 2.5, biased variance 1.25.
    let x = try! Tensor(shape: [2, 1, 1, 2], storage: [1, 2, 3, 4])

    @Test func trainingModeUsesBatchStatistics() throws {
        var layer = BatchNorm(channels: 1, momentum: 0.8, epsilon: 1e-3)
        layer.gamma = try Tensor(shape: [1], storage: [2])
        layer.beta = try Tensor(shape: [1], storage: [1])
        let (y, cache) = layer.forward(x, training: true)
        #expect(cache.batchMean == [2.5])
        #expect(cache.batchVariance == [1.25])
        let s = (1.25 + 1e-3 as Float).squareRoot()
        for (index, value) in [1, 2, 3, 4].enumerated() {
            #expect(abs(y.storage[index] - (2 * (Float(value) - 2.5) / s + 1)) < 1e-5)
        }
    }

    @Test func movingStatisticsFollowKerasMomentum() {
        var layer = BatchNorm(channels: 1, momentum: 0.8, epsilon: 1e-3)
        let (_, cache) = layer.forward(x, training: true)
        layer.updateMovingStatistics(from: cache)
        // moving = 0.8 · moving + 0.2 · batch: mean 0.8·0 + 0.2·2.5 = 0.5, variance 0.8·1 + 0.2·1.25 = 1.05.
        #expect(abs(layer.movingMean[0] - 0.5) < 1e-6)
        #expect(abs(layer.movingVariance[0] - 1.05) < 1e-6)
        layer.updateMovingStatistics(from: cache)
        #expect(abs(layer.movingMean[0] - 0.9) < 1e-6)             // 0.8·0.5 + 0.2·2.5
        #expect(abs(layer.movingVariance[0] - 1.09) < 1e-6)         // 0.8·1.05 + 0.2·1.25
        // An inference-mode cache carries no batch statistics and changes nothing.
        let before = layer
        layer.updateMovingStatistics(from: layer.forward(x, training: false).cache)
        #expect(layer == before)
    }

    @Test func inferenceModeUsesMovingStatistics() throws {
        var layer = BatchNorm(channels: 1, momentum: 0.8, epsilon: 1e-3)
        layer.movingMean = try Tensor(shape: [1], storage: [1])
        layer.movingVariance = try Tensor(shape: [1], storage: [4])
        layer.gamma = try Tensor(shape: [1], storage: [3])
        let (y, cache) = layer.forward(x, training: false)
        #expect(cache.batchMean == nil)
        let s = (4 + 1e-3 as Float).squareRoot()
        for (index, value) in [1, 2, 3, 4].enumerated() {
            #expect(abs(y.storage[index] - 3 * (Float(value) - 1) / s) < 1e-5)
        }
        // Training mode on the same input ignores the moving statistics.
        let trained = layer.forward(x, training: true).output
        #expect(abs(trained.storage.reduce(0, +)) < 1e-5)
    }

    @Test(arguments: [true, false])
    func gradientsMatchFiniteDifferences(training: Bool) {
        var layer = BatchNorm(channels: 3, momentum: 0.8, epsilon: 1e-3)
        layer.gamma = GradientCheck.random([3], seed: 1)
        layer.beta = GradientCheck.random([3], seed: 2)
        layer.movingMean = GradientCheck.random([3], seed: 3)
        layer.movingVariance = Tensor(shape: [3], repeating: 1.5)
        let x = GradientCheck.random([4, 3, 2, 3], seed: 4)
        let r = GradientCheck.random(x.shape, seed: 5)
        let (_, cache) = layer.forward(x, training: training)
        let (gradInput, gradients) = layer.backward(r, cache: cache)
        let l = layer
        #expect(GradientCheck.error(of: gradInput, at: x) { GradientCheck.weightedSum(l.forward($0, training: training).output, r) }
            < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: gradients.gamma, at: layer.gamma) {
            var probe = l
            probe.gamma = $0
            return GradientCheck.weightedSum(probe.forward(x, training: training).output, r)
        } < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: gradients.beta, at: layer.beta) {
            var probe = l
            probe.beta = $0
            return GradientCheck.weightedSum(probe.forward(x, training: training).output, r)
        } < GradientCheck.tolerance)
    }

    @Test func worksOnDenseFeatures() {
        let layer = BatchNorm(channels: 2)
        let x = GradientCheck.random([5, 2], seed: 6)
        let (y, cache) = layer.forward(x, training: true)
        #expect(y.shape == [5, 2])
        #expect(cache.batchMean!.count == 2)
    }
}
