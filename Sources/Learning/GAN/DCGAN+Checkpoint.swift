import Foundation

extension DCGAN {
    /// The `Checkpoint.kind` of a saved DCGAN.
    public static let checkpointKind = "dcgan"

    /// The model as a checkpoint, everything a warm start needs: kind `"dcgan"`; metadata `"configuration"` (the
    /// configuration as JSON with sorted keys), `"iterations"`, `"optimizer.steps"` (each Adam parameter's step count,
    /// JSON), and when configured `"average.updates"` and `"augmentation.probability"`; tensors: every tensor of
    /// `namedParameters()`, the spectral-normalisation vectors (`discriminator.….u`/`.v`), the generator average
    /// (`average.generator.…`) and both optimizers' moment estimates (`optimizer.<parameter>.first`/`.second`).
    public func checkpoint() -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of numbers, strings, booleans and arrays (or a dictionary of integers) cannot fail.
        let json = String(decoding: try! encoder.encode(configuration), as: UTF8.self)
        var metadata = ["configuration": json, "iterations": "\(iterations)"]
        var tensors = (namedParameters() + discriminator.namedSpectralVectors()).map { Checkpoint.NamedTensor(name: $0.0, tensor: $0.1) }
        if let averageGenerator {
            metadata["average.updates"] = "\(averageUpdates)"
            tensors += averageGenerator.namedParameters().map { Checkpoint.NamedTensor(name: "average.\($0.0)", tensor: $0.1) }
        }
        if configuration.augmentation != nil { metadata["augmentation.probability"] = "\(augmentationProbability)" }
        var steps: [String: Int] = [:]
        for optimizer in [generatorOptimizer, discriminatorOptimizer] {
            for (name, moments) in optimizer.moments.sorted(by: { $0.key < $1.key }) {
                steps[name] = moments.step
                tensors.append(.init(name: "optimizer.\(name).first", tensor: Tensor(unchecked: [moments.first.count], moments.first)))
                tensors.append(.init(name: "optimizer.\(name).second", tensor: Tensor(unchecked: [moments.second.count], moments.second)))
            }
        }
        metadata["optimizer.steps"] = String(decoding: try! encoder.encode(steps), as: UTF8.self)
        return Checkpoint(kind: DCGAN.checkpointKind, metadata: metadata, tensors: tensors)
    }

    /// Restores a model saved by `checkpoint()`, including (when saved) the generator average, the optimizers' state,
    /// the spectral-normalisation vectors and the augmentation probability. Checkpoints written before those were
    /// saved still load: the average restarts from the generator, the optimizers start fresh, the vectors are
    /// re-estimated from the loaded weights and the probability starts at the configuration's.
    /// - Throws: `CheckpointError` `.wrongKind` for another model, `.missingMetadata`/`.invalidMetadata` when the
    ///   configuration or iteration count is absent, unreadable or inconsistent (or another saved counter is
    ///   unreadable), `.missingTensor` or `.shapeMismatch` when a tensor does not fit the configuration.
    public init(checkpoint: Checkpoint) throws(CheckpointError) {
        try checkpoint.requireKind(DCGAN.checkpointKind)
        let json = try checkpoint.metadata("configuration")
        guard let configuration = try? JSONDecoder().decode(DCGANConfiguration.self, from: Data(json.utf8)), configuration.problems.isEmpty else {
            throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: "configuration", value: json))
        }
        let iterations = try checkpoint.integerMetadata("iterations")
        self.init(configuration: configuration, seed: 0)
        try loadParameters { (name, shape) throws(CheckpointError) -> Tensor in try checkpoint.tensor(named: name, shape: shape) }
        self.iterations = iterations
        let names = Set(checkpoint.tensors.map(\.name))
        try discriminator.loadSpectralVectors { (name, shape) throws(CheckpointError) -> Tensor? in
            names.contains(name) ? try checkpoint.tensor(named: name, shape: shape) : nil
        }
        if var average = averageGenerator, names.contains("average.generator.dense.weight") {
            try average.load { (name, shape) throws(CheckpointError) -> Tensor in try checkpoint.tensor(named: "average.\(name)", shape: shape) }
            averageGenerator = average
            averageUpdates = try checkpoint.integerMetadata("average.updates")
        }
        if configuration.augmentation != nil, let stored = checkpoint.metadata["augmentation.probability"] {
            guard let p = Float(stored), p >= 0 && p <= 1 else {
                throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: "augmentation.probability", value: stored))
            }
            augmentationProbability = p
        }
        if let stored = checkpoint.metadata["optimizer.steps"] {
            guard let steps = try? JSONDecoder().decode([String: Int].self, from: Data(stored.utf8)) else {
                throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: "optimizer.steps", value: stored))
            }
            let sizes = Dictionary(namedParameters().map { ($0.0, $0.1.count) }, uniquingKeysWith: { first, _ in first })
            for (name, step) in steps.sorted(by: { $0.key < $1.key }) {
                guard let size = sizes[name], step >= 0 else {
                    throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: "optimizer.steps", value: stored))
                }
                let moments = Adam.Moments(
                    first: try checkpoint.tensor(named: "optimizer.\(name).first", shape: [size]).storage,
                    second: try checkpoint.tensor(named: "optimizer.\(name).second", shape: [size]).storage, step: step)
                if name.hasPrefix("generator.") {
                    generatorOptimizer.moments[name] = moments
                } else {
                    discriminatorOptimizer.moments[name] = moments
                }
            }
        }
    }
}
