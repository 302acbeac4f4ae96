/// An LSTM read as a sequence-to-sequence layer: a loss on every step's hidden state (a language model predicts the
/// next unit at every position), and a carried initial state (truncated backpropagation through time: a window starts
/// where the previous one stopped, and no gradient flows into the carried state).
extension LSTM {
    /// The recurrent state between windows: hidden and cell states, `[batch, units]` each.
    public struct State: Sendable, Equatable {
        public var hidden: [Float]
        public var cells: [Float]

        /// Zero states for `batch` rows of `units`.
        public init(batch: Int, units: Int) {
            hidden = [Float](repeating: 0, count: batch * units)
            cells = hidden
        }
    }

    /// Runs the sequence in `cache.input` (reading order, `[time, batch, inputSize]`) from `initial` (zero when nil).
    /// Every step's hidden state is `cache.hidden`'s block `t + 1`; the state after the last step is `finalState(cache)`.
    func run(_ cache: inout Cache, batch: Int, time: Int, from initial: State?) {
        project(&cache, batch: batch, time: time)
        if let initial, time > 0, batch > 0 {
            let stateBlock = batch * units, gateWidth = 4 * units
            precondition(initial.hidden.count == stateBlock && initial.cells.count == stateBlock,
                         "initial state of \(initial.hidden.count) values for [\(batch), \(units)]")
            for i in 0..<stateBlock {
                cache.hidden[i] = initial.hidden[i]
                cache.cells[i] = initial.cells[i]
            }
            // The recurrence adds h_{t−1}·U only from step 1 on (it assumes a zero start), so step 0 gets it here.
            initial.hidden.withUnsafeBufferPointer { h in
                recurrentKernel.storage.withUnsafeBufferPointer { u in
                    cache.gates.withUnsafeMutableBufferPointer { z in
                        sgemm(m: batch, n: gateWidth, k: units, h.baseAddress!, lda: units, u.baseAddress!, ldb: gateWidth,
                              beta: 1, z.baseAddress!, ldc: gateWidth)
                    }
                }
            }
        }
        recur(&cache)
    }

    /// The state after the last step of a cache `run` filled.
    func finalState(_ cache: Cache) -> State {
        let block = cache.batch * units
        var state = State(batch: cache.batch, units: units)
        state.hidden = Array(cache.hidden[(cache.time * block)..<((cache.time + 1) * block)])
        state.cells = Array(cache.cells[(cache.time * block)..<((cache.time + 1) * block)])
        return state
    }

    /// Backpropagation through time with a gradient on every step's hidden state.
    /// - Parameter gradHidden: `∂loss/∂h_t` for every step, `[time, batch, units]` in reading order.
    /// - Returns: the parameter gradients; `∂loss/∂input` (reading order, `[time, batch, inputSize]`) is left in
    ///   `workspace.gradInput`. The carried initial state gets no gradient (the truncation).
    func backwardEveryStep(gradHidden: [Float], cache: Cache, workspace: inout BackwardWorkspace) -> Gradients {
        let units = self.units, gateWidth = 4 * units, inputSize = self.inputSize
        let (batch, time) = (cache.batch, cache.time)
        let stateBlock = batch * units, gateBlock = batch * gateWidth
        precondition(gradHidden.count == time * stateBlock, "\(gradHidden.count) gradient values for [\(time), \(batch), \(units)]")
        resize(&workspace.gradGates, time * gateBlock)
        resize(&workspace.gradInput, time * batch * inputSize)
        resize(&workspace.transposedRecurrent, units * gateWidth)
        resize(&workspace.gradCell, stateBlock)
        resize(&workspace.gradHidden, stateBlock)
        for i in 0..<stateBlock {
            workspace.gradCell[i] = 0
            workspace.gradHidden[i] = 0
        }
        for k in 0..<units {
            for j in 0..<gateWidth { workspace.transposedRecurrent[j * units + k] = recurrentKernel.storage[k * gateWidth + j] }
        }
        if time > 0 && batch > 0 {
            cache.gates.withUnsafeBufferPointer { gates in
                cache.cells.withUnsafeBufferPointer { cells in
                    cache.cellTanh.withUnsafeBufferPointer { cellTanh in
                        workspace.transposedRecurrent.withUnsafeBufferPointer { ut in
                            workspace.gradGates.withUnsafeMutableBufferPointer { dz in
                                workspace.gradHidden.withUnsafeMutableBufferPointer { dh in
                                    workspace.gradCell.withUnsafeMutableBufferPointer { dc in
                                        gradHidden.withUnsafeBufferPointer { incoming in
                                            for t in stride(from: time - 1, through: 0, by: -1) {
                                                // ∂h_t = (from step t + 1, already in dh) + this step's own loss.
                                                let own = incoming.baseAddress! + t * stateBlock
                                                for i in 0..<stateBlock { dh[i] += own[i] }
                                                // One step of the shared recurrence on this step's blocks (time 1: no product).
                                                Self.backwardSteps(
                                                    batch: batch, time: 1, units: units, gates: gates.baseAddress! + t * gateBlock,
                                                    cells: cells.baseAddress! + t * stateBlock,
                                                    cellTanh: cellTanh.baseAddress! + t * stateBlock, transposedRecurrent: ut.baseAddress!,
                                                    gradGates: dz.baseAddress! + t * gateBlock, gradHidden: dh.baseAddress!,
                                                    gradCell: dc.baseAddress!)
                                                if t > 0 {
                                                    // ∂h_{t−1} = ∂z_t · Uᵀ.
                                                    sgemm(m: batch, n: units, k: gateWidth, dz.baseAddress! + t * gateBlock, lda: gateWidth,
                                                          ut.baseAddress!, ldb: units, dh.baseAddress!, ldc: units)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return backwardProducts(cache: cache, workspace: &workspace)
    }

    /// One step for one sequence (generation): `state` becomes the state after reading `input` (`[inputSize]`).
    func step(_ input: UnsafePointer<Float>, state: inout State, gates: inout [Float]) {
        let units = self.units, gateWidth = 4 * units, inputSize = self.inputSize
        precondition(state.hidden.count == units, "a single-sequence step needs a [1, \(units)] state")
        resize(&gates, gateWidth)
        for j in 0..<gateWidth { gates[j] = bias.storage[j] }
        kernel.storage.withUnsafeBufferPointer { w in
            recurrentKernel.storage.withUnsafeBufferPointer { u in
                gates.withUnsafeMutableBufferPointer { z in
                    state.hidden.withUnsafeBufferPointer { h in
                        sgemm(m: 1, n: gateWidth, k: inputSize, input, lda: inputSize, w.baseAddress!, ldb: gateWidth, beta: 1,
                              z.baseAddress!, ldc: gateWidth)
                        sgemm(m: 1, n: gateWidth, k: units, h.baseAddress!, lda: units, u.baseAddress!, ldb: gateWidth, beta: 1,
                              z.baseAddress!, ldc: gateWidth)
                    }
                }
            }
        }
        for k in 0..<units {
            let i = LSTMMath.sigmoid(gates[k]), f = LSTMMath.sigmoid(gates[units + k])
            let g = LSTMMath.tanh(gates[2 * units + k]), o = LSTMMath.sigmoid(gates[3 * units + k])
            let c = f * state.cells[k] + i * g
            state.cells[k] = c
            state.hidden[k] = o * LSTMMath.tanh(c)
        }
    }
}
