import Foundation

extension DCGAN {
    /// The `Checkpoint.kind` of a saved DCGAN.
    public static let checkpointKind = "dcgan"

    /// The model as a checkpoint: kind `"dcgan"`, metadata `"configuration"` (the configuration as JSON with sorted
    /// keys) and `"iterations"`, and every tensor of `namedParameters()`. Adam's state is not saved: a warm start
    /// begins with fresh moment estimates.
    public func checkpoint() -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of numbers, strings, booleans and arrays cannot fail.
        let json = String(decoding: try! encoder.encode(configuration), as: UTF8.self)
        return Checkpoint(
            kind: DCGAN.checkpointKind,
            metadata: ["configuration": json, "iterations": "\(iterations)"],
            tensors: namedParameters().map { Checkpoint.NamedTensor(name: $0.0, tensor: $0.1) })
    }

    /// Restores a model saved by `checkpoint()`.
    /// - Throws: `CheckpointError` `.wrongKind` for another model, `.missingMetadata`/`.invalidMetadata` when the
    ///   configuration or iteration count is absent, unreadable or inconsistent, `.missingTensor` or `.shapeMismatch`
    ///   when a parameter does not fit the configuration.
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
    }
}
