/// Four-lane versions of the LSTM's per-step loops (used when `units` is a multiple of 4). The compiler does not
/// vectorise the scalar loops that read five gate arrays and write three state arrays (it cannot rule out aliasing),
/// and the recurrent products keep their running sums in registers here instead of re-reading the output row for
/// every unit.
extension LSTM {
    typealias Lanes = SIMD4<Float>

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self) }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Lanes { UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self) }

    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
    }

    /// The forward recurrence (see `forwardSteps`), four lanes at a time; requires `units % 4 == 0`.
     // also in debug builds: unoptimised SIMD code is ~50x slower, which the tests would feel
    static func forwardStepsVectorized(
        batch: Int, time: Int, units: Int, recurrentKernel u: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        gates: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>,
        hidden: UnsafeMutablePointer<Float>
    ) {
        let gateWidth = 4 * units, stateBlock = batch * units, gateBlock = batch * gateWidth
        for t in 0..<time {
            let z = gates + t * gateBlock
            if t > 0 { recurrentProductVectorized(hidden + t * stateBlock, u, into: z, batch: batch, units: units) }
            let previousCells = cells + t * stateBlock
            let newCells = cells + (t + 1) * stateBlock
            let newTanh = cellTanh + t * stateBlock
            let newHidden = hidden + (t + 1) * stateBlock
            for b in 0..<batch {
                let row = z + b * gateWidth
                var j = 0
                while j < 2 * units {
                    store(LSTMMath.sigmoid(load(row + j) + load(bias + j)), row + j)
                    j += 4
                }
                while j < 3 * units {
                    store(LSTMMath.tanh(load(row + j) + load(bias + j)), row + j)
                    j += 4
                }
                while j < gateWidth {
                    store(LSTMMath.sigmoid(load(row + j) + load(bias + j)), row + j)
                    j += 4
                }
                let c0 = previousCells + b * units, c1 = newCells + b * units
                let tc = newTanh + b * units, h = newHidden + b * units
                var k = 0
                while k < units {
                    let c = load(row + units + k) * load(c0 + k) + load(row + k) * load(row + 2 * units + k)
                    store(c, c1 + k)
                    let tanhC = LSTMMath.tanh(c)
                    store(tanhC, tc + k)
                    store(load(row + 3 * units + k) * tanhC, h + k)
                    k += 4
                }
            }
        }
    }

    /// `z += h · u` for `h [batch, units]`, `u [units, 4·units]`, with 32, 16 or 4 output columns summed in registers.
    @inline(__always)
    static func recurrentProductVectorized(
        _ h: UnsafePointer<Float>, _ u: UnsafePointer<Float>, into z: UnsafeMutablePointer<Float>, batch: Int, units: Int
    ) {
        let gateWidth = 4 * units
        for b in 0..<batch {
            let row = z + b * gateWidth, state = h + b * units
            var j = 0
            while j + 32 <= gateWidth {
                let out = row + j
                var a0 = load(out), a1 = load(out + 4), a2 = load(out + 8), a3 = load(out + 12)
                var a4 = load(out + 16), a5 = load(out + 20), a6 = load(out + 24), a7 = load(out + 28)
                for k in 0..<units {
                    let hk = Lanes(repeating: state[k])
                    let w = u + k * gateWidth + j
                    a0 += hk * load(w); a1 += hk * load(w + 4); a2 += hk * load(w + 8); a3 += hk * load(w + 12)
                    a4 += hk * load(w + 16); a5 += hk * load(w + 20); a6 += hk * load(w + 24); a7 += hk * load(w + 28)
                }
                store(a0, out); store(a1, out + 4); store(a2, out + 8); store(a3, out + 12)
                store(a4, out + 16); store(a5, out + 20); store(a6, out + 24); store(a7, out + 28)
                j += 32
            }
            while j + 16 <= gateWidth {
                let out = row + j
                var a0 = load(out), a1 = load(out + 4), a2 = load(out + 8), a3 = load(out + 12)
                for k in 0..<units {
                    let hk = Lanes(repeating: state[k])
                    let w = u + k * gateWidth + j
                    a0 += hk * load(w); a1 += hk * load(w + 4); a2 += hk * load(w + 8); a3 += hk * load(w + 12)
                }
                store(a0, out); store(a1, out + 4); store(a2, out + 8); store(a3, out + 12)
                j += 16
            }
            while j < gateWidth {
                var a0 = load(row + j)
                for k in 0..<units { a0 += Lanes(repeating: state[k]) * load(u + k * gateWidth + j) }
                store(a0, row + j)
                j += 4
            }
        }
    }

    /// The backward recurrence (see `backwardSteps`), four lanes at a time; requires `units % 4 == 0`.
   
    static func backwardStepsVectorized(
        batch: Int, time: Int, units: Int, gates: UnsafePointer<Float>, cells: UnsafePointer<Float>,
        cellTanh: UnsafePointer<Float>, transposedRecurrent ut: UnsafePointer<Float>,
        gradGates: UnsafeMutablePointer<Float>, gradHidden dh: UnsafeMutablePointer<Float>, gradCell dc: UnsafeMutablePointer<Float>
    ) {
        let gateWidth = 4 * units, stateBlock = batch * units, gateBlock = batch * gateWidth
        let one = Lanes(repeating: 1)
        for t in stride(from: time - 1, through: 0, by: -1) {
            let a = gates + t * gateBlock
            let dz = gradGates + t * gateBlock
            let previousCells = cells + t * stateBlock
            let tanhCells = cellTanh + t * stateBlock
            for b in 0..<batch {
                let row = a + b * gateWidth, gradRow = dz + b * gateWidth
                let c0 = previousCells + b * units, tc = tanhCells + b * units
                let dhRow = dh + b * units, dcRow = dc + b * units
                var k = 0
                while k < units {
                    let i = load(row + k), f = load(row + units + k), g = load(row + 2 * units + k), o = load(row + 3 * units + k)
                    let tanhC = load(tc + k), gradH = load(dhRow + k)
                    let gradC = load(dcRow + k) + gradH * o * (one - tanhC * tanhC)
                    store(gradC * g * i * (one - i), gradRow + k)
                    store(gradC * load(c0 + k) * f * (one - f), gradRow + units + k)
                    store(gradC * i * (one - g * g), gradRow + 2 * units + k)
                    store(gradH * tanhC * o * (one - o), gradRow + 3 * units + k)
                    store(gradC * f, dcRow + k)
                    k += 4
                }
            }
            if t > 0 {
                // ∂h_{t−1} = ∂z_t · Uᵀ with 16 or 4 units summed in registers.
                for b in 0..<batch {
                    let gradRow = dz + b * gateWidth, dhRow = dh + b * units
                    var k = 0
                    while k + 16 <= units {
                        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
                        for j in 0..<gateWidth {
                            let gj = Lanes(repeating: gradRow[j])
                            let w = ut + j * units + k
                            a0 += gj * load(w); a1 += gj * load(w + 4); a2 += gj * load(w + 8); a3 += gj * load(w + 12)
                        }
                        store(a0, dhRow + k); store(a1, dhRow + k + 4); store(a2, dhRow + k + 8); store(a3, dhRow + k + 12)
                        k += 16
                    }
                    while k < units {
                        var a0 = Lanes()
                        for j in 0..<gateWidth { a0 += Lanes(repeating: gradRow[j]) * load(ut + j * units + k) }
                        store(a0, dhRow + k)
                        k += 4
                    }
                }
            }
        }
    }
}
