/// The DCGAN's discriminator network (see `DCGANConfiguration`): images `[n, c, h, w]` to logits `[n, 1]`.
/// With spectral normalisation, every pass uses each weight divided by its `SpectralNorm` estimate of σ, and the
/// gradients are taken with respect to the raw weights the optimizer updates.
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
        /// The layers the pass used (spectrally normalised when enabled) and each normalised weight's σ.
        var layers: Layers
    }

    /// The convolutions and dense layer a pass uses, with the σ each weight was divided by (empty without spectral
    /// normalisation).
    struct Layers: Sendable {
        var convs: [Conv2D]
        var dense: Dense
        var sigmas: [Float]
    }

    struct Gradients: Sendable {
        var stages: [(conv: Conv2D.Gradients, norm: BatchNorm.Gradients?)]
        var dense: Dense.Gradients

        /// The element-wise sum of two passes' gradients.
        func adding(_ other: Gradients) -> Gradients {
            func sum(_ a: Tensor, _ b: Tensor) -> Tensor {
                var result = a
                for i in 0..<result.count { result.storage[i] += b.storage[i] }
                return result
            }
            var result = self
            for index in stages.indices {
                result.stages[index].conv.weight = sum(stages[index].conv.weight, other.stages[index].conv.weight)
                result.stages[index].conv.bias = sum(stages[index].conv.bias, other.stages[index].conv.bias)
                if let norm = stages[index].norm, let otherNorm = other.stages[index].norm {
                    result.stages[index].norm = BatchNorm.Gradients(gamma: sum(norm.gamma, otherNorm.gamma), beta: sum(norm.beta, otherNorm.beta))
                }
            }
            result.dense = Dense.Gradients(weight: sum(dense.weight, other.dense.weight), bias: sum(dense.bias, other.dense.bias))
            return result
        }
    }

    var stages: [Stage]
    var dense: Dense
    let slope: Float
    let dropout: Dropout
    /// One estimator per convolution, then one for the dense weight; empty without spectral normalisation.
    var spectralNorms: [SpectralNorm]

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
        var norms: [SpectralNorm] = []
        if c.spectralNormalization {
            for stage in stages { norms.append(SpectralNorm(weight: stage.conv.weight, using: &generator)) }
            norms.append(SpectralNorm(weight: dense.weight, using: &generator))
        }
        spectralNorms = norms
    }

    /// The layers a pass uses: the stored ones, or with spectral normalisation each weight divided by its σ.
    func effectiveLayers() -> Layers {
        guard !spectralNorms.isEmpty else { return Layers(convs: stages.map(\.conv), dense: dense, sigmas: []) }
        var convs: [Conv2D] = [], sigmas: [Float] = []
        for (index, stage) in stages.enumerated() {
            let (weight, sigma) = spectralNorms[index].normalized(stage.conv.weight)
            convs.append(Conv2D(weight: weight, bias: stage.conv.bias, stride: stage.conv.stride, padding: stage.conv.padding))
            sigmas.append(sigma)
        }
        let (weight, sigma) = spectralNorms[stages.count].normalized(dense.weight)
        return Layers(convs: convs, dense: Dense(weight: weight, bias: dense.bias), sigmas: sigmas + [sigma])
    }

    /// One power iteration of every spectral-normalisation estimator (once per training step, before the passes).
    mutating func powerIterate() {
        guard !spectralNorms.isEmpty else { return }
        for index in stages.indices { spectralNorms[index].powerIteration(stages[index].conv.weight) }
        spectralNorms[stages.count].powerIteration(dense.weight)
    }

    /// Logits for `images`. Training mode uses batch statistics and dropout and returns the tape; inference mode uses
    /// the moving statistics, no dropout, and keeps nothing.
    func forward(
        _ images: Tensor, training: Bool, using generator: inout some RandomNumberGenerator, workspace: inout ConvolutionWorkspace
    ) -> (logits: Tensor, tape: Tape?) {
        var x = images
        let layers = effectiveLayers()
        var tape = Tape(inputs: [], normCaches: [], activations: [], masks: [], features: Tensor.zeros([]), layers: layers)
        for (stage, conv) in zip(stages, layers.convs) {
            var h = conv.forward(x, upsampling: 1, workspace: &workspace)
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
        let logits = layers.dense.forward(features).output
        guard training else { return (logits, nil) }
        tape.features = features
        return (logits, tape)
    }

    /// The gradients for `gradLogits` through the pass recorded in `tape`: the input gradient and/or the parameter
    /// gradients, as asked.
    func backward(
        _ gradLogits: Tensor, tape: Tape, inputGradient: Bool, parameterGradients: Bool, workspace: inout ConvolutionWorkspace
    ) -> (gradImages: Tensor?, gradients: Gradients?) {
        let layers = tape.layers
        let (gradFeatures, rawDenseGradients) = layers.dense.backward(gradLogits, cache: tape.features)
        var denseGradients = rawDenseGradients
        if !spectralNorms.isEmpty && parameterGradients {
            denseGradients.weight = spectralNorms[stages.count].backward(
                denseGradients.weight, normalized: layers.dense.weight, sigma: layers.sigmas[stages.count])
        }
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
            let (gradInput, rawConvGradients) = layers.convs[index].backward(
                grad, input: tape.inputs[index], upsampling: 1, inputGradient: needsInput, parameterGradients: parameterGradients,
                workspace: &workspace)
            var convGradients = rawConvGradients
            if !spectralNorms.isEmpty, let raw = convGradients?.weight {
                convGradients?.weight = spectralNorms[index].backward(raw, normalized: layers.convs[index].weight, sigma: layers.sigmas[index])
            }
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

    /// Folds the batch statistics of another pass (in `tape`) into the BatchNorm moving statistics.
    mutating func updateMovingStatistics(from tape: Tape) {
        for index in stages.indices {
            if let cache = tape.normCaches[index] { stages[index].norm!.updateMovingStatistics(from: cache) }
        }
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

    /// The spectral-normalisation vectors by name (`discriminator.stage<i>.conv.u`/`.v`, `discriminator.dense.u`/`.v`);
    /// empty without spectral normalisation.
    func namedSpectralVectors() -> [(String, Tensor)] {
        guard !spectralNorms.isEmpty else { return [] }
        let names = stages.indices.map { "discriminator.stage\($0).conv" } + ["discriminator.dense"]
        return zip(names, spectralNorms).flatMap { [("\($0).u", $1.u), ("\($0).v", $1.v)] }
    }

    /// Replaces the spectral-normalisation vectors with those `lookup(name, shape)` returns; a `nil` for any of them
    /// (a checkpoint written before they were saved) keeps the current estimates and refines them with a few power
    /// iterations on the loaded weights.
    mutating func loadSpectralVectors<E: Error>(_ lookup: (String, [Int]) throws(E) -> Tensor?) throws(E) {
        guard !spectralNorms.isEmpty else { return }
        let names = stages.indices.map { "discriminator.stage\($0).conv" } + ["discriminator.dense"]
        for (index, name) in names.enumerated() {
            let norm = spectralNorms[index]
            if let u = try lookup("\(name).u", norm.u.shape), let v = try lookup("\(name).v", norm.v.shape) {
                spectralNorms[index] = SpectralNorm(u: u, v: v)
            } else {
                for _ in 0..<5 { index < stages.count ? spectralNorms[index].powerIteration(stages[index].conv.weight) : spectralNorms[index].powerIteration(dense.weight) }
            }
        }
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
