extension Adam {
    /// Adam's moments of `parameters` as checkpoint entries, so a warm start resumes the optimizer where it stopped:
    /// tensors `adam.<parameter>.first` and `.second` shaped like the parameter, metadata `adam.<parameter>.step`.
    /// Parameters that never took a step have no entries.
    func checkpointEntries(for parameters: [Checkpoint.NamedTensor]) -> (tensors: [Checkpoint.NamedTensor], metadata: [String: String]) {
        var tensors: [Checkpoint.NamedTensor] = []
        var metadata: [String: String] = [:]
        for parameter in parameters {
            guard let moments = moments[parameter.name] else { continue }
            let shape = parameter.tensor.shape
            tensors.append(.init(name: "adam.\(parameter.name).first", tensor: Tensor(unchecked: shape, moments.first)))
            tensors.append(.init(name: "adam.\(parameter.name).second", tensor: Tensor(unchecked: shape, moments.second)))
            metadata["adam.\(parameter.name).step"] = String(moments.step)
        }
        return (tensors, metadata)
    }

    /// Restores the moments ``checkpointEntries(for:)`` saved; a parameter without them starts fresh.
    /// - Throws: `CheckpointError` naming the checkpoint's file for a negative step or a missing or misshapen tensor.
    mutating func restoreMoments(of parameters: [Checkpoint.NamedTensor], from checkpoint: Checkpoint) throws(CheckpointError) {
        for parameter in parameters {
            let key = "adam.\(parameter.name).step"
            guard checkpoint.metadata[key] != nil else { continue }
            let step = try checkpoint.integerMetadata(key)
            guard step >= 0 else { throw CheckpointError(path: checkpoint.displayPath, .invalidMetadata(key: key, value: String(step))) }
            let shape = parameter.tensor.shape
            let first = try checkpoint.tensor(named: "adam.\(parameter.name).first", shape: shape)
            let second = try checkpoint.tensor(named: "adam.\(parameter.name).second", shape: shape)
            moments[parameter.name] = Moments(first: first.storage, second: second.storage, step: step)
        }
    }
}
