/// Four-lane versions of the LSTM's per-step loops (used when `units` is a multiple of 4). The compiler does not
/// vectorise the scalar loops that read five gate arrays and write three state arrays (it cannot rule out aliasing).
/// The per-step recurrent products go to BLAS. Both recurrences call only the single-threaded small-matrix path of
/// `sgemm` (a few tens of thousands of multiply-adds), so the two directions can run them on two threads at once.
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
            if t > 0 {
                // z += h_{t−1} · U. OpenBLAS's small-matrix AVX-512 kernels beat register-blocked four-lane Swift loops
                // here (measured: 11.2 vs 13.4 ms CPU per synopsis training step; Swift code is compiled for SSE only).
                sgemm(m: batch, n: gateWidth, k: units, hidden + t * stateBlock, lda: units, u, ldb: gateWidth, beta: 1, z, ldc: gateWidth)
            }
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
                // ∂h_{t−1} = ∂z_t · Uᵀ (Uᵀ stored as [4·units, units]).
                sgemm(m: batch, n: units, k: gateWidth, dz, lda: gateWidth, ut, ldb: units, dh, ldc: units)
            }
        }
    }
}
