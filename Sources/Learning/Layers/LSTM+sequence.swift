extension LSTM {
    /// Runs the sequence given in reading order, `[time, batch, inputSize]` (already reversed for `goesBackwards`).
    /// The last state is the final `[batch, units]` block of `cache.hidden`.
    func forward(timeMajor input: [Float], batch: Int, time: Int) -> Cache {
        let units = self.units, gateWidth = 4 * units, inputSize = self.inputSize
        precondition(input.count == time * batch * inputSize, "\(input.count) input values for [\(time), \(batch), \(inputSize)]")
        let stateBlock = batch * units, gateBlock = batch * gateWidth
        var gates = [Float](repeating: 0, count: time * gateBlock)
        var cells = [Float](repeating: 0, count: (time + 1) * stateBlock)
        var cellTanh = [Float](repeating: 0, count: time * stateBlock)
        var hidden = [Float](repeating: 0, count: (time + 1) * stateBlock)
        if time > 0 && batch > 0 {
            input.withUnsafeBufferPointer { x in
                kernel.storage.withUnsafeBufferPointer { w in
                    recurrentKernel.storage.withUnsafeBufferPointer { u in
                        bias.storage.withUnsafeBufferPointer { bias in
                            gates.withUnsafeMutableBufferPointer { gates in
                                cells.withUnsafeMutableBufferPointer { cells in
                                    cellTanh.withUnsafeMutableBufferPointer { cellTanh in
                                        hidden.withUnsafeMutableBufferPointer { hidden in
                                            // Every step's input projection in one product: [time·batch, E] · [E, 4H].
                                            sgemm(m: time * batch, n: gateWidth, k: inputSize,
                                                  x.baseAddress!, lda: inputSize, w.baseAddress!, ldb: gateWidth,
                                                  gates.baseAddress!, ldc: gateWidth)
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
            }
        }
        return Cache(batch: batch, time: time, input: input, gates: gates, cells: cells, cellTanh: cellTanh, hidden: hidden)
    }

    /// The recurrence: on entry `gates` holds each step's input projection; on exit the activated gates.
    private static func forwardSteps(
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

    /// `z += h · u` for `h [batch, units]`, `u [units, 4·units]`: hand-written row updates, which beat a BLAS call at
    /// these sizes (units 20, batch ≤ 32: the call overhead exceeds the arithmetic).
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
        let units = self.units, gateWidth = 4 * units, inputSize = self.inputSize
        let (batch, time) = (cache.batch, cache.time)
        precondition(gradLastState.count == batch * units, "\(gradLastState.count) gradient values for [\(batch), \(units)]")
        let stateBlock = batch * units, gateBlock = batch * gateWidth
        var gradGates = [Float](repeating: 0, count: time * gateBlock)
        var gradKernel = Tensor.zeros(kernel.shape)
        var gradRecurrent = Tensor.zeros(recurrentKernel.shape)
        var gradBias = Tensor.zeros(bias.shape)
        var gradInput = [Float](repeating: 0, count: time * batch * inputSize)
        guard time > 0 && batch > 0 else {
            return (gradInput, Gradients(kernel: gradKernel, recurrentKernel: gradRecurrent, bias: gradBias))
        }
        // Uᵀ, [4·units, units], so the per-step product ∂h_{t−1} = ∂z · Uᵀ runs over contiguous rows.
        var transposedRecurrent = [Float](repeating: 0, count: units * gateWidth)
        for k in 0..<units { for j in 0..<gateWidth { transposedRecurrent[j * units + k] = recurrentKernel.storage[k * gateWidth + j] } }
        var gradHidden = gradLastState
        var gradCell = [Float](repeating: 0, count: stateBlock)

        cache.gates.withUnsafeBufferPointer { gates in
            cache.cells.withUnsafeBufferPointer { cells in
                cache.cellTanh.withUnsafeBufferPointer { cellTanh in
                    transposedRecurrent.withUnsafeBufferPointer { ut in
                        gradGates.withUnsafeMutableBufferPointer { dz in
                            gradHidden.withUnsafeMutableBufferPointer { dh in
                                gradCell.withUnsafeMutableBufferPointer { dc in
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

        // The weight gradients and the input gradient, each one product over every step.
        gradGates.withUnsafeBufferPointer { dz in
            cache.input.withUnsafeBufferPointer { x in
                gradKernel.storage.withUnsafeMutableBufferPointer { dw in
                    sgemm(transposeA: true, m: inputSize, n: gateWidth, k: time * batch,
                          x.baseAddress!, lda: inputSize, dz.baseAddress!, ldb: gateWidth, dw.baseAddress!, ldc: gateWidth)
                }
            }
            cache.hidden.withUnsafeBufferPointer { h in
                // h_{t−1} for t = 0..<time is the first `time` blocks of `hidden` (block 0 is the zero state).
                gradRecurrent.storage.withUnsafeMutableBufferPointer { du in
                    sgemm(transposeA: true, m: units, n: gateWidth, k: time * batch,
                          h.baseAddress!, lda: units, dz.baseAddress!, ldb: gateWidth, du.baseAddress!, ldc: gateWidth)
                }
            }
            kernel.storage.withUnsafeBufferPointer { w in
                gradInput.withUnsafeMutableBufferPointer { dx in
                    sgemm(transposeB: true, m: time * batch, n: inputSize, k: gateWidth,
                          dz.baseAddress!, lda: gateWidth, w.baseAddress!, ldb: gateWidth, dx.baseAddress!, ldc: inputSize)
                }
            }
            gradBias.storage.withUnsafeMutableBufferPointer { db in
                for row in 0..<(time * batch) {
                    let source = dz.baseAddress! + row * gateWidth
                    for j in 0..<gateWidth { db[j] += source[j] }
                }
            }
        }
        return (gradInput, Gradients(kernel: gradKernel, recurrentKernel: gradRecurrent, bias: gradBias))
    }

    /// The backward recurrence: fills `gradGates` with `∂loss/∂z` (pre-activation) for every step, last step first.
    /// `gradHidden` holds `∂loss/∂h_last` on entry; `gradCell` starts at zero.
    private static func backwardSteps(
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
