import Foundation

/// The DCGAN's generator network (see `DCGANConfiguration`): latent `[n, latentSize]` to images `[n, c, h, w]` in
/// [-1, 1]. ReLU and BatchNorm run in place, and nearest-neighbour upsampling is fused into the following convolution,
/// so the large feature maps are stored once each.
struct DCGANGenerator: Sendable {
    /// A layer that doubles the resolution (or, for the output layer, may keep it).
    enum Upsampler: Sendable {
        /// A convolution over the input upsampled `factor` times by nearest neighbour (1: no upsampling).
        case nearest(Conv2D, factor: Int)
        /// A transposed convolution.
        case transposed(ConvTranspose2D)

        func forward(_ x: Tensor, workspace: inout ConvolutionWorkspace) -> Tensor {
            switch self {
            case let .nearest(conv, factor): conv.forward(x, upsampling: factor, workspace: &workspace)
            case let .transposed(deconv): deconv.forward(x, workspace: &workspace).output
            }
        }

        func backward(_ gradOutput: Tensor, input: Tensor, inputGradient: Bool, workspace: inout ConvolutionWorkspace) -> (Tensor?, Gradients) {
            switch self {
            case let .nearest(conv, factor):
                let (gradInput, gradients) = conv.backward(
                    gradOutput, input: input, upsampling: factor, inputGradient: inputGradient, parameterGradients: true, workspace: &workspace)
                return (gradInput, .convolution(gradients!))
            case let .transposed(deconv):
                let (gradInput, gradients) = deconv.backward(
                    gradOutput, input: input, inputGradient: inputGradient, parameterGradients: true, workspace: &workspace)
                return (gradInput, .transposed(gradients!))
            }
        }

        mutating func update(with gradients: Gradients, using optimizer: inout Adam, name: String) {
            switch (self, gradients) {
            case (.nearest(var conv, let factor), .convolution(let g)):
                conv.update(with: g, using: &optimizer, name: name)
                self = .nearest(conv, factor: factor)
            case (.transposed(var deconv), .transposed(let g)):
                deconv.update(with: g, using: &optimizer, name: name)
                self = .transposed(deconv)
            default:
                preconditionFailure("Internal inconsistency: gradients of another layer kind for \(name)")
            }
        }

        /// The parameters, named `<prefix>.weight` and `<prefix>.bias`.
        var weight: Tensor {
            switch self {
            case let .nearest(conv, _): conv.weight
            case let .transposed(deconv): deconv.weight
            }
        }

        var bias: Tensor {
            switch self {
            case let .nearest(conv, _): conv.bias
            case let .transposed(deconv): deconv.bias
            }
        }

        mutating func setParameters(weight: Tensor, bias: Tensor) {
            switch self {
            case let .nearest(conv, factor): self = .nearest(Conv2D(weight: weight, bias: bias, stride: conv.stride, padding: conv.padding), factor: factor)
            case let .transposed(deconv): self = .transposed(ConvTranspose2D(weight: weight, bias: bias, stride: deconv.stride, padding: deconv.padding))
            }
        }

        enum Gradients: Sendable {
            case convolution(Conv2D.Gradients)
            case transposed(ConvTranspose2D.Gradients)
        }
    }

    /// One block: upsample, BatchNorm, ReLU.
    struct Block: Sendable {
        var upsampler: Upsampler
        var norm: BatchNorm
    }

    /// What the backward pass needs from a training-mode forward pass.
    struct Tape: Sendable {
        var latents: Tensor
        /// `activations[0]` is the reshaped Dense output after ReLU; `activations[i + 1]` is block `i`'s output.
        var activations: [Tensor]
        var normCaches: [BatchNorm.Cache]
        var images: Tensor
    }

    struct Gradients: Sendable {
        var dense: Dense.Gradients
        var blocks: [(upsampler: Upsampler.Gradients, norm: BatchNorm.Gradients)]
        var output: Upsampler.Gradients
    }

    var dense: Dense
    var blocks: [Block]
    var output: Upsampler
    let startSize: Int
    let startFilters: Int

    init(configuration c: DCGANConfiguration, using generator: inout some RandomNumberGenerator) {
        startSize = c.generatorStartSize
        startFilters = c.generatorStartFilters
        dense = Dense(inputSize: c.latentSize, outputSize: c.generatorStartSize * c.generatorStartSize * c.generatorStartFilters, using: &generator)
        func upsampler(from input: Int, to filters: Int, kernel: Int, upsamples: Bool) -> Upsampler {
            if !upsamples {
                return .nearest(Conv2D(inputChannels: input, filters: filters, kernelSize: kernel, using: &generator), factor: 1)
            }
            switch c.upsampling {
            case .nearest:
                return .nearest(Conv2D(inputChannels: input, filters: filters, kernelSize: kernel, using: &generator), factor: 2)
            case .transposed:
                return .transposed(ConvTranspose2D(inputChannels: input, filters: filters, kernelSize: kernel, using: &generator))
            }
        }
        var channels = c.generatorStartFilters
        var blocks: [Block] = []
        for filters in c.generatorFilters {
            blocks.append(Block(
                upsampler: upsampler(from: channels, to: filters, kernel: c.generatorKernelSize, upsamples: true),
                norm: BatchNorm(channels: filters, momentum: c.batchNormMomentum, epsilon: c.batchNormEpsilon)))
            channels = filters
        }
        self.blocks = blocks
        output = upsampler(from: channels, to: c.channels, kernel: c.outputKernelSize, upsamples: c.outputUpsamples)
    }

    /// Images for `latents`. Training mode normalises with batch statistics and returns the tape (the caller folds the
    /// statistics into the moving ones after the step); inference mode uses the moving statistics and keeps nothing.
    func forward(_ latents: Tensor, training: Bool, workspace: inout ConvolutionWorkspace) -> (images: Tensor, tape: Tape?) {
        let n = latents.shape[0]
        var x = dense.forward(latents).output
        x.applyReLU()
        x = Tensor(unchecked: [n, startFilters, startSize, startSize], x.storage)
        var activations: [Tensor] = []
        var normCaches: [BatchNorm.Cache] = []
        if training { activations.reserveCapacity(blocks.count + 1) }
        for block in blocks {
            var h = block.upsampler.forward(x, workspace: &workspace)
            if training {
                activations.append(x)
                var (y, cache) = block.norm.forward(normalizingInPlace: &h, training: true)
                h = Tensor.zeros([])  // release the pre-normalisation values; the cache holds the normalised copy
                y.applyReLU()
                normCaches.append(cache)
                x = y
            } else {
                block.norm.inferInPlace(&h)
                h.applyReLU()
                x = h
            }
        }
        var images = output.forward(x, workspace: &workspace)
        images.storage.withUnsafeMutableBufferPointer { v in
            for i in 0..<v.count { v[i] = Foundation.tanh(v[i]) }
        }
        guard training else { return (images, nil) }
        activations.append(x)
        return (images, Tape(latents: latents, activations: activations, normCaches: normCaches, images: images))
    }

    /// The parameter gradients for `gradImages` (`∂loss/∂images`) through the forward pass recorded in `tape`.
    func backward(_ gradImages: Tensor, tape: Tape, workspace: inout ConvolutionWorkspace) -> Gradients {
        var grad = gradImages
        grad.storage.withUnsafeMutableBufferPointer { g in
            tape.images.storage.withUnsafeBufferPointer { y in
                for i in 0..<g.count { g[i] *= 1 - y[i] * y[i] }
            }
        }
        let (gradLast, outputGradients) = output.backward(grad, input: tape.activations[blocks.count], inputGradient: true, workspace: &workspace)
        grad = gradLast!
        var blockGradients: [(upsampler: Upsampler.Gradients, norm: BatchNorm.Gradients)] = []
        for index in blocks.indices.reversed() {
            grad.maskReLUGradient(output: tape.activations[index + 1])
            let normGradients = blocks[index].norm.backward(gradientInPlace: &grad, cache: tape.normCaches[index])
            let (gradInput, upsamplerGradients) = blocks[index].upsampler.backward(
                grad, input: tape.activations[index], inputGradient: true, workspace: &workspace)
            grad = gradInput!
            blockGradients.append((upsamplerGradients, normGradients))
        }
        grad.maskReLUGradient(output: tape.activations[0])
        let n = grad.shape[0]
        let denseGradients = dense.backward(Tensor(unchecked: [n, grad.count / max(n, 1)], grad.storage), cache: tape.latents).gradients
        return Gradients(dense: denseGradients, blocks: blockGradients.reversed(), output: outputGradients)
    }

    /// One optimizer step on every trained parameter, then the BatchNorm moving statistics from `tape`.
    mutating func update(with gradients: Gradients, tape: Tape, using optimizer: inout Adam) {
        dense.update(with: gradients.dense, using: &optimizer, name: "generator.dense")
        for index in blocks.indices {
            blocks[index].upsampler.update(with: gradients.blocks[index].upsampler, using: &optimizer, name: "generator.block\(index).conv")
            blocks[index].norm.update(with: gradients.blocks[index].norm, using: &optimizer, name: "generator.block\(index).norm")
            blocks[index].norm.updateMovingStatistics(from: tape.normCaches[index])
        }
        output.update(with: gradients.output, using: &optimizer, name: "generator.output.conv")
    }

    /// Every parameter and moving statistic, by name, in a fixed order.
    func namedParameters() -> [(String, Tensor)] {
        var named: [(String, Tensor)] = [("generator.dense.weight", dense.weight), ("generator.dense.bias", dense.bias)]
        for (index, block) in blocks.enumerated() {
            let prefix = "generator.block\(index)"
            named += [
                ("\(prefix).conv.weight", block.upsampler.weight), ("\(prefix).conv.bias", block.upsampler.bias),
                ("\(prefix).norm.gamma", block.norm.gamma), ("\(prefix).norm.beta", block.norm.beta),
                ("\(prefix).norm.movingMean", block.norm.movingMean), ("\(prefix).norm.movingVariance", block.norm.movingVariance),
            ]
        }
        named += [("generator.output.conv.weight", output.weight), ("generator.output.conv.bias", output.bias)]
        return named
    }

    /// Moves every parameter and moving statistic of this (averaged) generator toward `live`'s:
    /// `a ← decay·a + (1 − decay)·w`.
    mutating func moveAverage(toward live: DCGANGenerator, decay: Float) {
        var averaged: [String: Tensor] = [:]
        for ((name, average), (liveName, current)) in zip(namedParameters(), live.namedParameters()) {
            precondition(name == liveName && average.shape == current.shape, "Internal inconsistency: averaging \(name) with \(liveName)")
            var result = average
            result.storage.withUnsafeMutableBufferPointer { a in
                current.storage.withUnsafeBufferPointer { w in
                    for i in 0..<a.count { a[i] = decay * a[i] + (1 - decay) * w[i] }
                }
            }
            averaged[name] = result
        }
        load { (name: String, _: [Int]) -> Tensor in averaged[name]! }
    }

    /// Replaces every parameter with the tensor `lookup(name, shape)` returns (which checks the shape).
    mutating func load<E: Error>(_ lookup: (String, [Int]) throws(E) -> Tensor) throws(E) {
        dense = Dense(weight: try lookup("generator.dense.weight", dense.weight.shape), bias: try lookup("generator.dense.bias", dense.bias.shape))
        for index in blocks.indices {
            let prefix = "generator.block\(index)"
            let weight = try lookup("\(prefix).conv.weight", blocks[index].upsampler.weight.shape)
            let bias = try lookup("\(prefix).conv.bias", blocks[index].upsampler.bias.shape)
            blocks[index].upsampler.setParameters(weight: weight, bias: bias)
            let shape = [blocks[index].norm.channels]
            blocks[index].norm.gamma = try lookup("\(prefix).norm.gamma", shape)
            blocks[index].norm.beta = try lookup("\(prefix).norm.beta", shape)
            blocks[index].norm.movingMean = try lookup("\(prefix).norm.movingMean", shape)
            blocks[index].norm.movingVariance = try lookup("\(prefix).norm.movingVariance", shape)
        }
        output.setParameters(
            weight: try lookup("generator.output.conv.weight", output.weight.shape), bias: try lookup("generator.output.conv.bias", output.bias.shape))
    }
}
