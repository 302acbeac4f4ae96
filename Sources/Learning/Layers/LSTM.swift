/// A long short-term memory layer with Keras's semantics: gates in the order input, forget, cell candidate,
/// output (`i, f, c, o`) side by side in one `[inputSize, 4·units]` kernel and one `[units, 4·units]` recurrent
/// kernel, a single bias, sigmoid gates and tanh cell activations, zero initial state.
///
/// `forward` runs a whole `[batch, time, inputSize]` sequence and returns the state after the last step read;
/// with `goesBackwards` the sequence is read from its last step to its first (Keras's `go_backwards`), so the
/// returned state is the one after reading step 0. Per step:
///
///     z = x_t · kernel + h_{t−1} · recurrentKernel + bias        (one fused product for all four gates)
///     i, f, o = σ(z_i), σ(z_f), σ(z_o);  g = tanh(z_c)
///     c_t = f ⊙ c_{t−1} + i ⊙ g;         h_t = o ⊙ tanh(c_t)
///
/// The input projection of every step is one matrix product before the loop; the loop adds only the recurrent
/// product, in place, in contiguous buffers. `backward` is full backpropagation through time.
public struct LSTM: Sendable, Equatable {
    /// The gradients of an `LSTM`'s parameters.
    public struct Gradients: Sendable, Equatable {
        /// `∂loss/∂kernel`, `[inputSize, 4·units]`.
        public var kernel: Tensor
        /// `∂loss/∂recurrentKernel`, `[units, 4·units]`.
        public var recurrentKernel: Tensor
        /// `∂loss/∂bias`, `[4·units]`.
        public var bias: Tensor
    }

    /// How the recurrent kernel is initialised.
    public enum RecurrentInitializer: Sendable, Equatable {
        /// Rows orthonormal (Keras's default `orthogonal`).
        case orthogonal
        /// Glorot uniform over `[units, 4·units]`.
        case glorotUniform
    }

    /// The values `backward` needs from `forward`, stored time-major in the order the steps were read.
    /// A training loop can pass the same cache back to the internal `run(_:batch:time:)` to reuse its buffers.
    public struct Cache: Sendable {
        /// Batch size and number of steps.
        var batch = 0, time = 0
        /// The input in reading order, `[time, batch, inputSize]`.
        var input: [Float] = []
        /// The activated gates `i, f, g, o` of every step, `[time, batch, 4·units]`.
        var gates: [Float] = []
        /// Cell states, `[time + 1, batch, units]`; block 0 is the zero initial state.
        var cells: [Float] = []
        /// `tanh` of each step's cell state, `[time, batch, units]`.
        var cellTanh: [Float] = []
        /// Hidden states, `[time + 1, batch, units]`; block 0 is the zero initial state.
        var hidden: [Float] = []
    }

    /// `[inputSize, 4·units]`, gate blocks `i, f, c, o` along the columns.
    public var kernel: Tensor
    /// `[units, 4·units]`, gate blocks `i, f, c, o` along the columns.
    public var recurrentKernel: Tensor
    /// `[4·units]`.
    public var bias: Tensor
    /// Whether the sequence is read from its last step to its first.
    public var goesBackwards: Bool

    /// The width of each input step.
    public var inputSize: Int { kernel.shape[0] }
    /// The width of the hidden and cell states.
    public var units: Int { recurrentKernel.shape[0] }

    /// Creates a layer with Keras's initialisation: Glorot-uniform kernel, orthogonal (or Glorot-uniform) recurrent
    /// kernel, zero bias except ones for the forget gate ("unit forget bias").
    /// - Parameters:
    ///   - goesBackwards: read sequences from the last step to the first.
    ///   - generator: the source of every random value, drawn kernel first, then recurrent kernel.
    public init(
        inputSize: Int, units: Int, goesBackwards: Bool = false, recurrentInitializer: RecurrentInitializer = .orthogonal,
        using generator: inout some RandomNumberGenerator
    ) {
        precondition(inputSize > 0 && units > 0, "an LSTM needs a positive input size and unit count, got \(inputSize) and \(units)")
        kernel = .glorotUniform(fanIn: inputSize, fanOut: 4 * units, using: &generator)
        switch recurrentInitializer {
        case .orthogonal: recurrentKernel = Self.orthogonal(rows: units, columns: 4 * units, using: &generator)
        case .glorotUniform: recurrentKernel = .glorotUniform(fanIn: units, fanOut: 4 * units, using: &generator)
        }
        var bias = Tensor.zeros([4 * units])
        for j in units..<(2 * units) { bias.storage[j] = 1 }
        self.bias = bias
        self.goesBackwards = goesBackwards
    }

    /// Creates a layer from explicit parameters (`kernel [inputSize, 4·units]`, `recurrentKernel [units, 4·units]`,
    /// `bias [4·units]`); traps on inconsistent shapes.
    public init(kernel: Tensor, recurrentKernel: Tensor, bias: Tensor, goesBackwards: Bool = false) {
        precondition(
            kernel.rank == 2 && recurrentKernel.rank == 2 && kernel.shape[1] % 4 == 0
                && recurrentKernel.shape == [kernel.shape[1] / 4, kernel.shape[1]] && bias.shape == [kernel.shape[1]],
            "inconsistent LSTM shapes: kernel \(kernel.shape), recurrent kernel \(recurrentKernel.shape), bias \(bias.shape)")
        self.kernel = kernel
        self.recurrentKernel = recurrentKernel
        self.bias = bias
        self.goesBackwards = goesBackwards
    }

    /// Runs the whole sequence.
    /// - Parameter x: `[batch, time, inputSize]`.
    /// - Returns: the state after the last step read, `[batch, units]`, and the cache for `backward`.
    public func forward(_ x: Tensor) -> (lastState: Tensor, cache: Cache) {
        precondition(x.rank == 3 && x.shape[2] == inputSize, "LSTM input must be [batch, time, \(inputSize)], got \(x.shape)")
        let (batch, time) = (x.shape[0], x.shape[1])
        let cache = forward(timeMajor: Self.timeMajor(x.storage, batch: batch, time: time, width: inputSize, reversed: goesBackwards),
                            batch: batch, time: time)
        return (Tensor(unchecked: [batch, units], Array(lastState(cache))), cache)
    }

    /// Backpropagation through time from the gradient of the last state.
    /// - Parameters:
    ///   - gradLastState: `∂loss/∂lastState`, `[batch, units]`.
    ///   - cache: what `forward` returned with that state.
    /// - Returns: `∂loss/∂x` (`[batch, time, inputSize]`) and the parameter gradients.
    public func backward(_ gradLastState: Tensor, cache: Cache) -> (gradInput: Tensor, gradients: Gradients) {
        precondition(gradLastState.shape == [cache.batch, units], "gradient \(gradLastState.shape) for a [\(cache.batch), \(units)] state")
        let (gradTimeMajor, gradients) = backward(timeMajorGradLastState: gradLastState.storage, cache: cache)
        let gradInput = Self.batchMajor(gradTimeMajor, batch: cache.batch, time: cache.time, width: inputSize, reversed: goesBackwards)
        return (Tensor(unchecked: [cache.batch, cache.time, inputSize], gradInput), gradients)
    }

    /// Updates the three parameters, named `"<name>.kernel"`, `"<name>.recurrentKernel"` and `"<name>.bias"`.
    public mutating func update(with gradients: Gradients, using optimizer: inout some Optimizer, name: String) {
        optimizer.update(&kernel, gradient: gradients.kernel, name: name + ".kernel")
        optimizer.update(&recurrentKernel, gradient: gradients.recurrentKernel, name: name + ".recurrentKernel")
        optimizer.update(&bias, gradient: gradients.bias, name: name + ".bias")
    }

    /// A `[rows, columns]` matrix with orthonormal rows (or columns, whichever are fewer), as Keras's `Orthogonal`:
    /// Gram–Schmidt (in Double) on a normal matrix, which is QR with a positive diagonal in R.
    static func orthogonal(rows: Int, columns: Int, using generator: inout some RandomNumberGenerator) -> Tensor {
        // Orthonormalise the `short` vectors of length `long`, then lay them out as rows or columns.
        let (short, long) = (min(rows, columns), max(rows, columns))
        let normal = Tensor.normal([short, long], using: &generator)
        var vectors = normal.storage.map(Double.init)
        for v in 0..<short {
            for u in 0..<v {
                var dot = 0.0
                for k in 0..<long { dot += vectors[v * long + k] * vectors[u * long + k] }
                for k in 0..<long { vectors[v * long + k] -= dot * vectors[u * long + k] }
            }
            var norm = 0.0
            for k in 0..<long { norm += vectors[v * long + k] * vectors[v * long + k] }
            norm = norm.squareRoot()
            for k in 0..<long { vectors[v * long + k] /= norm }
        }
        var result = Tensor.zeros([rows, columns])
        for v in 0..<short {
            for k in 0..<long {
                if rows <= columns { result.storage[v * columns + k] = Float(vectors[v * long + k]) }
                else { result.storage[k * columns + v] = Float(vectors[v * long + k]) }
            }
        }
        return result
    }

    /// `[batch, time, width]` to `[time, batch, width]`, with time reversed when asked.
    static func timeMajor(_ values: [Float], batch: Int, time: Int, width: Int, reversed: Bool) -> [Float] {
        [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { source in
                for b in 0..<batch {
                    for t in 0..<time {
                        let step = reversed ? time - 1 - t : t
                        let from = (b * time + t) * width, to = (step * batch + b) * width
                        for j in 0..<width { out[to + j] = source[from + j] }
                    }
                }
            }
            initialized = values.count
        }
    }

    /// The inverse of `timeMajor`: `[time, batch, width]` (in reading order) back to `[batch, time, width]`.
    static func batchMajor(_ values: [Float], batch: Int, time: Int, width: Int, reversed: Bool) -> [Float] {
        [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { source in
                for b in 0..<batch {
                    for t in 0..<time {
                        let step = reversed ? time - 1 - t : t
                        let to = (b * time + t) * width, from = (step * batch + b) * width
                        for j in 0..<width { out[to + j] = source[from + j] }
                    }
                }
            }
            initialized = values.count
        }
    }
}
