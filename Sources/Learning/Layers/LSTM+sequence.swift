extension LSTM {
    /// Scratch buffers for `backward(gradLastState:cache:workspace:)`, reused across calls of equal sizes.
    struct BackwardWorkspace: Sendable {
        /// `∂loss/∂z` of every step, `[time, batch, 4·units]`.
        var gradGates: [Float] = []
        /// `∂loss/∂input` in reading order, `[time, batch, inputSize]`.
        var gradInput: [Float] = []
        var transposedRecurrent: [Float] = []
        var gradHidden: [Float] = []
        var gradCell: [Float] = []
    }

    /// Runs the sequence given in reading order, `[time, batch, inputSize]` (already reversed for `goesBackwards`).
    /// The last state is the final `[batch, units]` block of `cache.hidden`.
    func forward(timeMajor input: [Float], batch: Int, time: Int) -> Cache {
        var cache = Cache()
        cache.input = input
        run(&cache, batch: batch, time: time)
        return cache
    }

    /// The state after the last step of a `cache` that `run` filled, `[batch, units]`.
    func lastState(_ cache: Cache) -> ArraySlice<Float> {
        let block = cache.batch * units
        return cache.hidden[(cache.time * block)..<((cache.time + 1) * block)]
    }

    /// Runs the sequence in `cache.input` (reading order, `[time, batch, inputSize]`), overwriting the rest of `cache`
    /// and reusing its buffers when their sizes match.
    func run(_ cache: inout Cache, batch: Int, time: Int) {
        project(&cache, batch: batch, time: time)
        recur(&cache)
    }

    /// The first phase of `run`: sizes the buffers and computes every step's input projection in one product,
    /// `[time·batch, E] · [E, 4H]`, into `cache.gates`.
    func project(_ cache: inout Cache, batch: Int, time: Int) {
        let gateWidth = 4 * units, inputSize = self.inputSize
        precondition(cache.input.count == time * batch * inputSize, "\(cache.input.count) input values for [\(time), \(batch), \(inputSize)]")
        prepare(&cache, batch: batch, time: time)
        guard time > 0 && batch > 0 else { return }
        cache.input.withUnsafeBufferPointer { x in
            kernel.storage.withUnsafeBufferPointer { w in
                cache.gates.withUnsafeMutableBufferPointer { gates in
                    sgemm(m: time * batch, n: gateWidth, k: inputSize,
                          x.baseAddress!, lda: inputSize, w.baseAddress!, ldb: gateWidth, gates.baseAddress!, ldc: gateWidth)
                }
            }
        }
    }

    /// Sizes `cache`'s buffers for `[time, batch]` and zeroes the initial states; the caller then fills
    /// `cache.gates` with the input projections (without bias) itself and calls `recur`.
    func prepare(_ cache: inout Cache, batch: Int, time: Int) {
        let stateBlock = batch * units, gateBlock = batch * 4 * units
        cache.batch = batch
        cache.time = time
        resize(&cache.gates, time * gateBlock)
        resize(&cache.cells, (time + 1) * stateBlock)
        resize(&cache.cellTanh, time * stateBlock)
        resize(&cache.hidden, (time + 1) * stateBlock)
        for i in 0..<stateBlock {
            cache.cells[i] = 0
            cache.hidden[i] = 0
        }
    }

    /// The second phase of `run`: the recurrence over the projected gates. Calls no BLAS, so the two directions of a
    /// bidirectional layer can run it on two threads at once.
    func recur(_ cache: inout Cache) {
        let (batch, time) = (cache.batch, cache.time)
        guard time > 0 && batch > 0 else { return }
        recurrentKernel.storage.withUnsafeBufferPointer { u in
            bias.storage.withUnsafeBufferPointer { bias in
                cache.gates.withUnsafeMutableBufferPointer { gates in
                    cache.cells.withUnsafeMutableBufferPointer { cells in
                        cache.cellTanh.withUnsafeMutableBufferPointer { cellTanh in
                            cache.hidden.withUnsafeMutableBufferPointer { hidden in
                                Self.forwardSteps(
                                    batch: batch, time: time, units: units, recurrentKernel: u.baseAddress!,
                                    bias: bias.baseAddress!, gates: gates.baseAddress!, cells: cells.baseAddress!,
                                    cellTanh: cellTanh.baseAddress!, hidden: hidden.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The recurrence, scalar fallback: on entry `gates` holds each step's input projection; on exit the activated gates.
    private static func forwardStepsScalar(
        batch: Int, time: Int, units: Int, recurrentKernel u: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        gates: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>,
        hidden: UnsafeMutablePointer<Float>
    ) {
        let gateWidth = 4 * units, stateBlock = batch * units, gateBlock = batch * gateWidth
        for t in 0..<time {
            let z = gates + t * gateBlock
            let previousHidden = hidden + t * stateBlock
            if t > 0 { recurrentProduct(previousHidden, u, into: z, batch: batch, units: units) }
            let previousCells = cells + t * stateBlock
            let newCells = cells + (t + 1) * stateBlock
            let newTanh = cellTanh + t * stateBlock
            let newHidden = hidden + (t + 1) * stateBlock
            for b in 0..<batch {
                let row = z + b * gateWidth
                for j in 0..<gateWidth { row[j] += bias[j] }
                LSTMMath.sigmoid(row, count: 2 * units)
                LSTMMath.tanh(row + 2 * units, count: units)
                LSTMMath.sigmoid(row + 3 * units, count: units)
                let c0 = previousCells + b * units, c1 = newCells + b * units
                let tc = newTanh + b * units, h = newHidden + b * units
                for k in 0..<units {
                    let c = row[units + k] * c0[k] + row[k] * row[2 * units + k]
                    c1[k] = c
                    let tanhC = LSTMMath.tanh(c)
                    tc[k] = tanhC
                    h[k] = row[3 * units + k] * tanhC
                }
            }
        }
    }

    /// `z += h · u` for `h [batch, units]`, `u [units, 4·units]`: hand-written row updates for the scalar fallback
    /// (unit counts that are not a multiple of 4; the four-lane path calls BLAS instead).
    @inline(__always)
    private static func recurrentProduct(
        _ h: UnsafePointer<Float>, _ u: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>, batch: Int, units: Int
    ) {
        let gateWidth = 4 * units
        for b in 0..<batch {
            let row = z + b * gateWidth, state = h + b * units
            for k in 0..<units {
                let hk = state[k]
                let weights = u + k * gateWidth
                for j in 0..<gateWidth { row[j] += hk * weights[j] }
            }
        }
    }

    /// Backpropagation through time for a sequence run by `forward(timeMajor:batch:time:)`.
    /// - Parameter gradLastState: `∂loss/∂h_last`, `[batch, units]`.
    /// - Returns: `∂loss/∂input` in the same reading order, `[time, batch, inputSize]`, and the parameter gradients.
    func backward(timeMajorGradLastState gradLastState: [Float], cache: Cache) -> (gradInput: [Float], gradients: Gradients) {
        var workspace = BackwardWorkspace()
        let gradients = backward(gradLastState: gradLastState[...], cache: cache, workspace: &workspace)
        return (workspace.gradInput, gradients)
    }

    /// Backpropagation through time, leaving `∂loss/∂input` (reading order) in `workspace.gradInput`.
    func backward(gradLastState: ArraySlice<Float>, cache: Cache, workspace: inout BackwardWorkspace) -> Gradients {
        backwardRecurrence(gradLastState: gradLastState, cache: cache, workspace: &workspace)
        return backwardProducts(cache: cache, workspace: &workspace)
    }

    /// The first phase of `backward`: the recurrence from the last step to the first, filling `workspace.gradGates`
    /// with `∂loss/∂z` of every step. Calls no BLAS (see `recur`).
    func backwardRecurrence(gradLastState: ArraySlice<Float>, cache: Cache, workspace: inout BackwardWorkspace) {
        let units = self.units, gateWidth = 4 * units, inputSize = self.inputSize
        let (batch, time) = (cache.batch, cache.time)
        precondition(gradLastState.count == batch * units, "\(gradLastState.count) gradient values for [\(batch), \(units)]")
        let stateBlock = batch * units, gateBlock = batch * gateWidth
        resize(&workspace.gradGates, time * gateBlock)
        resize(&workspace.gradInput, time * batch * inputSize)
        resize(&workspace.transposedRecurrent, units * gateWidth)
        resize(&workspace.gradCell, stateBlock)
        workspace.gradHidden.removeAll(keepingCapacity: true)
        workspace.gradHidden.append(contentsOf: gradLastState)
        guard time > 0 && batch > 0 else { return }
        for i in 0..<stateBlock { workspace.gradCell[i] = 0 }
        // Uᵀ, [4·units, units], so the per-step product ∂h_{t−1} = ∂z · Uᵀ runs over contiguous rows.
        for k in 0..<units {
            for j in 0..<gateWidth { workspace.transposedRecurrent[j * units + k] = recurrentKernel.storage[k * gateWidth + j] }
        }

        cache.gates.withUnsafeBufferPointer { gates in
            cache.cells.withUnsafeBufferPointer { cells in
                cache.cellTanh.withUnsafeBufferPointer { cellTanh in
                    workspace.transposedRecurrent.withUnsafeBufferPointer { ut in
                        workspace.gradGates.withUnsafeMutableBufferPointer { dz in
                            workspace.gradHidden.withUnsafeMutableBufferPointer { dh in
                                workspace.gradCell.withUnsafeMutableBufferPointer { dc in
                                    Self.backwardSteps(
                                        batch: batch, time: time, units: units, gates: gates.baseAddress!, cells: cells.baseAddress!,
                                        cellTanh: cellTanh.baseAddress!, transposedRecurrent: ut.baseAddress!,
                                        gradGates: dz.baseAddress!, gradHidden: dh.baseAddress!, gradCell: dc.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The second phase of `backward`: the parameter gradients and `∂loss/∂input`, each one product over every step.
    func backwardProducts(cache: Cache, workspace: inout BackwardWorkspace) -> Gradients {
        let gateWidth = 4 * units, inputSize = self.inputSize
        let (batch, time) = (cache.batch, cache.time)
        var gradKernel = Tensor.zeros(kernel.shape)
        let (gradRecurrent, gradBias) = recurrentGradients(cache: cache, gradGates: workspace.gradGates)
        guard time > 0 && batch > 0 else {
            for i in workspace.gradInput.indices { workspace.gradInput[i] = 0 }
            return Gradients(kernel: gradKernel, recurrentKernel: gradRecurrent, bias: gradBias)
        }
        workspace.gradGates.withUnsafeBufferPointer { dz in
            cache.input.withUnsafeBufferPointer { x in
                gradKernel.storage.withUnsafeMutableBufferPointer { dw in
                    sgemm(transposeA: true, m: inputSize, n: gateWidth, k: time * batch,
                          x.baseAddress!, lda: inputSize, dz.baseAddress!, ldb: gateWidth, dw.baseAddress!, ldc: gateWidth)
                }
            }
            kernel.storage.withUnsafeBufferPointer { w in
                workspace.gradInput.withUnsafeMutableBufferPointer { dx in
                    sgemm(transposeB: true, m: time * batch, n: inputSize, k: gateWidth,
                          dz.baseAddress!, lda: gateWidth, w.baseAddress!, ldb: gateWidth, dx.baseAddress!, ldc: inputSize)
                }
            }
        }
        return Gradients(kernel: gradKernel, recurrentKernel: gradRecurrent, bias: gradBias)
    }

    /// The recurrent kernel's and the bias's gradients from every step's `∂loss/∂z` (`gradGates`):
    /// `Σ_t h_{t−1}ᵀ ∂z_t` as one product, and the column sums.
    func recurrentGradients(cache: Cache, gradGates: [Float]) -> (recurrentKernel: Tensor, bias: Tensor) {
        let units = self.units, gateWidth = 4 * units
        let (batch, time) = (cache.batch, cache.time)
        var gradRecurrent = Tensor.zeros(recurrentKernel.shape)
        var gradBias = Tensor.zeros(bias.shape)
        guard time > 0 && batch > 0 else { return (gradRecurrent, gradBias) }
        gradGates.withUnsafeBufferPointer { dz in
            cache.hidden.withUnsafeBufferPointer { h in
                // h_{t−1} for t = 0..<time is the first `time` blocks of `hidden` (block 0 is the zero state).
                gradRecurrent.storage.withUnsafeMutableBufferPointer { du in
                    sgemm(transposeA: true, m: units, n: gateWidth, k: time * batch,
                          h.baseAddress!, lda: units, dz.baseAddress!, ldb: gateWidth, du.baseAddress!, ldc: gateWidth)
                }
            }
            gradBias.storage.withUnsafeMutableBufferPointer { db in
                for row in 0..<(time * batch) {
                    let source = dz.baseAddress! + row * gateWidth
                    for j in 0..<gateWidth { db[j] += source[j] }
                }
            }
        }
        return (gradRecurrent, gradBias)
    }

    /// The backward recurrence: fills `gradGates` with `∂loss/∂z` (pre-activation) for every step, last step first.
    /// `gradHidden` holds `∂loss/∂h_last` on entry; `gradCell` starts at zero.
    private static func backwardStepsScalar(
        batch: Int, time: Int, units: Int, gates: UnsafePointer<Float>, cells: UnsafePointer<Float>,
        cellTanh: UnsafePointer<Float>, transposedRecurrent ut: UnsafePointer<Float>,
        gradGates: UnsafeMutablePointer<Float>, gradHidden dh: UnsafeMutablePointer<Float>, gradCell dc: UnsafeMutablePointer<Float>
    ) {
        let gateWidth = 4 * units, stateBlock = batch * units, gateBlock = batch * gateWidth
        for t in stride(from: time - 1, through: 0, by: -1) {
            let a = gates + t * gateBlock
            let dz = gradGates + t * gateBlock
            let previousCells = cells + t * stateBlock
            let tanhCells = cellTanh + t * stateBlock
            for b in 0..<batch {
                let row = a + b * gateWidth, gradRow = dz + b * gateWidth
                let c0 = previousCells + b * units, tc = tanhCells + b * units
                let dhRow = dh + b * units, dcRow = dc + b * units
                for k in 0..<units {
                    let i = row[k], f = row[units + k], g = row[2 * units + k], o = row[3 * units + k]
                    let tanhC = tc[k], gradH = dhRow[k]
                    let gradC = dcRow[k] + gradH * o * (1 - tanhC * tanhC)
                    gradRow[k] = gradC * g * i * (1 - i)
                    gradRow[units + k] = gradC * c0[k] * f * (1 - f)
                    gradRow[2 * units + k] = gradC * i * (1 - g * g)
                    gradRow[3 * units + k] = gradH * tanhC * o * (1 - o)
                    dcRow[k] = gradC * f
                }
            }
            if t > 0 {
                // ∂h_{t−1} = ∂z_t · Uᵀ, as row updates over Uᵀ's contiguous rows.
                for b in 0..<batch {
                    let gradRow = dz + b * gateWidth, dhRow = dh + b * units
                    for k in 0..<units { dhRow[k] = 0 }
                    for j in 0..<gateWidth {
                        let gj = gradRow[j]
                        let weights = ut + j * units
                        for k in 0..<units { dhRow[k] += gj * weights[k] }
                    }
                }
            }
        }
    }
}

/// Gives `buffer` exactly `count` elements, reallocating (zero-filled) only when the count changes.
@inline(__always)
func resize(_ buffer: inout [Float], _ count: Int) {
    if buffer.count != count { buffer = [Float](repeating: 0, count: count) }
}

extension LSTM {
    /// The forward recurrence: four-lane loops when `units` is a multiple of 4, scalar loops otherwise.
    fileprivate static func forwardSteps(
        batch: Int, time: Int, units: Int, recurrentKernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        gates: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>,
        hidden: UnsafeMutablePointer<Float>
    ) {
        if units % 4 == 0 {
            forwardStepsVectorized(
                batch: batch, time: time, units: units, recurrentKernel: recurrentKernel, bias: bias, gates: gates, cells: cells,
                cellTanh: cellTanh, hidden: hidden)
        } else {
            forwardStepsScalar(
                batch: batch, time: time, units: units, recurrentKernel: recurrentKernel, bias: bias, gates: gates, cells: cells,
                cellTanh: cellTanh, hidden: hidden)
        }
    }

    /// The backward recurrence: four-lane loops when `units` is a multiple of 4, scalar loops otherwise.
    static func backwardSteps(
        batch: Int, time: Int, units: Int, gates: UnsafePointer<Float>, cells: UnsafePointer<Float>,
        cellTanh: UnsafePointer<Float>, transposedRecurrent: UnsafePointer<Float>,
        gradGates: UnsafeMutablePointer<Float>, gradHidden: UnsafeMutablePointer<Float>, gradCell: UnsafeMutablePointer<Float>
    ) {
        if units % 4 == 0 {
            backwardStepsVectorized(
                batch: batch, time: time, units: units, gates: gates, cells: cells, cellTanh: cellTanh,
                transposedRecurrent: transposedRecurrent, gradGates: gradGates, gradHidden: gradHidden, gradCell: gradCell)
        } else {
            backwardStepsScalar(
                batch: batch, time: time, units: units, gates: gates, cells: cells, cellTanh: cellTanh,
                transposedRecurrent: transposedRecurrent, gradGates: gradGates, gradHidden: gradHidden, gradCell: gradCell)
        }
    }
}
