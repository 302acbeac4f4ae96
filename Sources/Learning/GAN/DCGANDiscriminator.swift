/// The DCGAN's discriminator network (see `DCGANConfiguration`): images `[n, c, h, w]` to logits `[n, 1]`.
struct DCGANDiscriminator: Sendable {
    struct Stage: Sendable {
        var conv: Conv2D
        var padding: ZeroPadding2D?
        var norm: BatchNorm?
    }

    /// What the backward pass needs from a training-mode forward pass.
    struct Tape: Sendable {
        var inputs: [Tensor]
        var normCaches: [BatchNorm.Cache?]
        /// Each stage's output after LeakyReLU, before dropout (the derivative is read from its sign).
        var activations: [Tensor]
        var masks: [Tensor?]
        var features: Tensor
    }

    struct Gradients: Sendable {
        var stages: [(conv: Conv2D.Gradients, norm: BatchNorm.Gradients?)]
        var dense: Dense.Gradients
    }

    var stages: [Stage]
    var dense: Dense
    let slope: Float
    let dropout: Dropout

    init(configuration c: DCGANConfiguration, using generator: inout some RandomNumberGenerator) {
        var channels = c.channels
        var stages: [Stage] = []
        for layer in c.discriminatorLayers {
            stages.append(Stage(
                conv: Conv2D(inputChannels: channels, filters: layer.filters, kernelSize: c.discriminatorKernelSize, stride: layer.stride, using: &generator),
                padding: layer.padsBottomRight ? ZeroPadding2D(top: 0, bottom: 1, left: 0, right: 1) : nil,
                norm: layer.batchNorm ? BatchNorm(channels: layer.filters, momentum: c.batchNormMomentum, epsilon: c.batchNormEpsilon) : nil))
            channels = layer.filters
        }
        self.stages = stages
        let features = c.discriminatorFeatureShape
        dense = Dense(inputSize: features.channels * features.height * features.width, outputSize: 1, using: &generator)
        slope = c.leakySlope
        dropout = Dropout(rate: c.dropoutRate)
    }

    /// Logits for `images`. Training mode uses batch statistics and dropout and returns the tape; inference mode uses
    /// the moving statistics, no dropout, and keeps nothing.
    func forward(
        _ images: Tensor, training: Bool, using generator: inout some RandomNumberGenerator, workspace: inout ConvolutionWorkspace
    ) -> (logits: Tensor, tape: Tape?) {
        var x = images
        var tape = Tape(inputs: [], normCaches: [], activations: [], masks: [], features: Tensor.zeros([]))
        for stage in stages {
            var h = stage.conv.forward(x, upsampling: 1, workspace: &workspace)
            if let padding = stage.padding { h = padding.forward(h) }
            var cache: BatchNorm.Cache?
            if let norm = stage.norm {
                if training {
                    let (y, normCache) = norm.forward(normalizingInPlace: &h, training: true)
                    h = y
                    cache = normCache
                } else {
                    norm.inferInPlace(&h)
                }
            }
            h.applyLeakyReLU(slope: slope)
            if training {
                let (dropped, mask) = dropout.forward(h, training: true, using: &generator)
                tape.inputs.append(x)
                tape.normCaches.append(cache)
                tape.activations.append(h)
                tape.masks.append(mask)
                x = dropped
            } else {
                x = h
            }
        }
        let n = x.shape[0]
        let features = Tensor(unchecked: [n, x.count / max(n, 1)], x.storage)
        let logits = dense.forward(features).output
        guard training else { return (logits, nil) }
        tape.features = features
        return (logits, tape)
    }

    /// The gradients for `gradLogits` through the pass recorded in `tape`: the input gradient and/or the parameter
    /// gradients, as asked.
    func backward(
        _ gradLogits: Tensor, tape: Tape, inputGradient: Bool, parameterGradients: Bool, workspace: inout ConvolutionWorkspace
    ) -> (gradImages: Tensor?, gradients: Gradients?) {
        let (gradFeatures, denseGradients) = dense.backward(gradLogits, cache: tape.features)
        var grad = gradFeatures
        var stageGradients: [(conv: Conv2D.Gradients, norm: BatchNorm.Gradients?)] = []
        for index in stages.indices.reversed() {
            let stage = stages[index]
            let activation = tape.activations[index]
            grad = Tensor(unchecked: activation.shape, grad.storage)
            grad = dropout.backward(grad, mask: tape.masks[index])
            grad.maskLeakyReLUGradient(output: activation, slope: slope)
            var normGradients: BatchNorm.Gradients?
            if let norm = stage.norm, let cache = tape.normCaches[index] {
                normGradients = norm.backward(gradientInPlace: &grad, cache: cache)
            }
            if let padding = stage.padding { grad = padding.backward(grad) }
            let needsInput = index > 0 || inputGradient
            let (gradInput, convGradients) = stage.conv.backward(
                grad, input: tape.inputs[index], upsampling: 1, inputGradient: needsInput, parameterGradients: parameterGradients,
                workspace: &workspace)
            if let convGradients { stageGradients.append((convGradients, normGradients)) }
            if let gradInput { grad = gradInput }
        }
        return (inputGradient ? grad : nil, parameterGradients ? Gradients(stages: stageGradients.reversed(), dense: denseGradients) : nil)
    }

    /// One optimizer step on every trained parameter; with `updatingMovingStatistics`, also the BatchNorm moving
    /// statistics from `tape`.
    mutating func update(with gradients: Gradients, tape: Tape, updatingMovingStatistics: Bool, using optimizer: inout Adam) {
        for index in stages.indices {
            stages[index].conv.update(with: gradients.stages[index].conv, using: &optimizer, name: "discriminator.stage\(index).conv")
            if let normGradients = gradients.stages[index].norm {
                stages[index].norm!.update(with: normGradients, using: &optimizer, name: "discriminator.stage\(index).norm")
            }
            if updatingMovingStatistics, let cache = tape.normCaches[index] {
                stages[index].norm!.updateMovingStatistics(from: cache)
            }
        }
        dense.update(with: gradients.dense, using: &optimizer, name: "discriminator.dense")
    }

    /// Every parameter and moving statistic, by name, in a fixed order.
    func namedParameters() -> [(String, Tensor)] {
        var named: [(String, Tensor)] = []
        for (index, stage) in stages.enumerated() {
            let prefix = "discriminator.stage\(index)"
            named += [("\(prefix).conv.weight", stage.conv.weight), ("\(prefix).conv.bias", stage.conv.bias)]
            if let norm = stage.norm {
                named += [
                    ("\(prefix).norm.gamma", norm.gamma), ("\(prefix).norm.beta", norm.beta),
                    ("\(prefix).norm.movingMean", norm.movingMean), ("\(prefix).norm.movingVariance", norm.movingVariance),
                ]
            }
        }
        named += [("discriminator.dense.weight", dense.weight), ("discriminator.dense.bias", dense.bias)]
        return named
    }

    /// Replaces every parameter with the tensor `lookup(name, shape)` returns (which checks the shape).
    mutating func load<E: Error>(_ lookup: (String, [Int]) throws(E) -> Tensor) throws(E) {
        for index in stages.indices {
            let prefix = "discriminator.stage\(index)"
            let conv = stages[index].conv
            stages[index].conv = Conv2D(
                weight: try lookup("\(prefix).conv.weight", conv.weight.shape), bias: try lookup("\(prefix).conv.bias", conv.bias.shape),
                stride: conv.stride, padding: conv.padding)
            if var norm = stages[index].norm {
                let shape = [norm.channels]
                norm.gamma = try lookup("\(prefix).norm.gamma", shape)
                norm.beta = try lookup("\(prefix).norm.beta", shape)
                norm.movingMean = try lookup("\(prefix).norm.movingMean", shape)
                norm.movingVariance = try lookup("\(prefix).norm.movingVariance", shape)
                stages[index].norm = norm
            }
        }
        dense = Dense(weight: try lookup("discriminator.dense.weight", dense.weight.shape), bias: try lookup("discriminator.dense.bias", dense.bias.shape))
    }
}
