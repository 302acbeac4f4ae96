/// Training through the vocabulary: when a batch holds more token positions than the vocabulary has ids
/// (`batch · inputLength > K`, e.g. 32 · 176 = 5,632 > 2,500), the LSTM input projections are cheaper as
/// `table · kernel` once per id than as `x · kernel` once per position, because every input row is an embedding row.
/// Both directions go through one product each time, with their kernels side by side (`W = [W_fwd | W_bwd]`):
///
/// - forward: `P = table · W` (`[K, E] · [E, 8H]`), then each position's gates start as its id's row of `P`;
/// - backward: with `S[id] = Σ ∂z` over the positions holding `id` (both directions side by side, `[K, 8H]`),
///   `∂W = tableᵀ · S` and the table's gradient is `S · Wᵀ`, so `∂x` per position is never formed.
///
/// For the original synopsis model this replaces six `[5632, 64] × [64, 80]` products by three `[2500, 64] × [64, 160]`
/// ones (or the transposed shapes). Results equal the direct path up to float summation order.
extension TextModel {
    /// Whether a batch of `batch` rows goes through the vocabulary projections.
    func projectsThroughVocabulary(batch: Int) -> Bool {
        vocabularyProjection ?? (batch * configuration.inputLength > configuration.vocabularySize)
    }

    /// Computes `P` and sizes both directions' caches; returns the per-direction work that fills each direction's
    /// gates with its rows of `P`, in its reading order (the backward one time-reversed), on that direction's thread.
    func projectThroughVocabulary(_ inputs: [Int32], batch: Int, scratch: inout Scratch) -> DirectionHook<LSTM.Cache> {
        let time = configuration.inputLength, vocabularySize = embedding.vocabularySize, width = embedding.dimension
        let gateWidth = 4 * configuration.unitsPerDirection, bothWidth = 2 * gateWidth
        resize(&scratch.kernels, width * bothWidth)
        resize(&scratch.projections, vocabularySize * bothWidth)
        recurrent.forwardLayer.kernel.storage.withUnsafeBufferPointer { forwardKernel in
            recurrent.backwardLayer.kernel.storage.withUnsafeBufferPointer { backwardKernel in
                scratch.kernels.withUnsafeMutableBufferPointer { kernels in
                    for e in 0..<width {
                        (kernels.baseAddress! + e * bothWidth).update(from: forwardKernel.baseAddress! + e * gateWidth, count: gateWidth)
                        (kernels.baseAddress! + e * bothWidth + gateWidth).update(from: backwardKernel.baseAddress! + e * gateWidth, count: gateWidth)
                    }
                }
            }
        }
        embedding.table.storage.withUnsafeBufferPointer { table in
            scratch.kernels.withUnsafeBufferPointer { kernels in
                scratch.projections.withUnsafeMutableBufferPointer { projections in
                    sgemm(m: vocabularySize, n: bothWidth, k: width, table.baseAddress!, lda: width, kernels.baseAddress!, ldb: bothWidth,
                          projections.baseAddress!, ldc: bothWidth)
                }
            }
        }
        recurrent.forwardLayer.prepare(&scratch.recurrent.forward, batch: batch, time: time)
        recurrent.backwardLayer.prepare(&scratch.recurrent.backward, batch: batch, time: time)
        let projections = scratch.projections
        return DirectionHook { backward, cache in
            inputs.withUnsafeBufferPointer { ids in
                projections.withUnsafeBufferPointer { projections in
                    cache.gates.withUnsafeMutableBufferPointer { gates in
                        let offset = backward ? gateWidth : 0
                        for b in 0..<batch {
                            for t in 0..<time {
                                let row = projections.baseAddress! + Int(ids[b * time + t]) * bothWidth + offset
                                let step = backward ? time - 1 - t : t
                                (gates.baseAddress! + (step * batch + b) * gateWidth).update(from: row, count: gateWidth)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Both backward recurrences, each followed on its own thread by summing its `∂loss/∂z` per token id into its
    /// half of `S`; then the LSTM gradients and the embedding table's gradient (into `scratch.gradTable`).
    func backwardThroughVocabulary(
        gradHidden: [Float], ids inputs: [Int32], batch: Int, parallel: Bool, scratch: inout Scratch
    ) -> BidirectionalLSTM.Gradients {
        let time = configuration.inputLength, vocabularySize = embedding.vocabularySize, width = embedding.dimension
        let gateWidth = 4 * configuration.unitsPerDirection, bothWidth = 2 * gateWidth
        resize(&scratch.gateSums, vocabularySize * bothWidth)
        resize(&scratch.kernelGradients, width * bothWidth)
        if scratch.gradTable.shape != embedding.table.shape { scratch.gradTable = .zeros(embedding.table.shape) }
        scratch.gateSums.withUnsafeMutableBufferPointer { sums in
            sums.update(repeating: 0)
            let base = UncheckedPointer(sums.baseAddress!)
            let scatter = DirectionHook<LSTM.BackwardWorkspace> { backward, workspace in
                inputs.withUnsafeBufferPointer { ids in
                    workspace.gradGates.withUnsafeBufferPointer { grad in
                        // Each direction writes only its own half of every row of S.
                        let offset = backward ? gateWidth : 0
                        for b in 0..<batch {
                            for t in 0..<time {
                                let step = backward ? time - 1 - t : t
                                addRow(grad.baseAddress! + (step * batch + b) * gateWidth,
                                       into: base.pointer + Int(ids[b * time + t]) * bothWidth + offset, count: gateWidth)
                            }
                        }
                    }
                }
            }
            recurrent.backwardRecurrences(
                gradOutput: gradHidden, cache: scratch.recurrent, workspace: &scratch.workspace, parallel: parallel, epilogue: scatter)
        }
        embedding.table.storage.withUnsafeBufferPointer { table in
            scratch.gateSums.withUnsafeBufferPointer { sums in
                scratch.kernelGradients.withUnsafeMutableBufferPointer { kernelGradients in
                    // ∂W = tableᵀ · S: [E, K] · [K, 8H].
                    sgemm(transposeA: true, m: width, n: bothWidth, k: vocabularySize, table.baseAddress!, lda: width,
                          sums.baseAddress!, ldb: bothWidth, kernelGradients.baseAddress!, ldc: bothWidth)
                }
                scratch.kernels.withUnsafeBufferPointer { kernels in
                    scratch.gradTable.storage.withUnsafeMutableBufferPointer { gradTable in
                        // ∂table = S · Wᵀ: [K, 8H] · [8H, E], both directions summed by the product.
                        sgemm(transposeB: true, m: vocabularySize, n: width, k: bothWidth, sums.baseAddress!, lda: bothWidth,
                              kernels.baseAddress!, ldb: bothWidth, gradTable.baseAddress!, ldc: width)
                    }
                }
            }
        }
        var forwardKernel = Tensor.zeros([width, gateWidth]), backwardKernel = Tensor.zeros([width, gateWidth])
        for e in 0..<width {
            for j in 0..<gateWidth {
                forwardKernel.storage[e * gateWidth + j] = scratch.kernelGradients[e * bothWidth + j]
                backwardKernel.storage[e * gateWidth + j] = scratch.kernelGradients[e * bothWidth + gateWidth + j]
            }
        }
        let forwardRest = recurrent.forwardLayer.recurrentGradients(
            cache: scratch.recurrent.forward, gradGates: scratch.workspace.forward.gradGates)
        let backwardRest = recurrent.backwardLayer.recurrentGradients(
            cache: scratch.recurrent.backward, gradGates: scratch.workspace.backward.gradGates)
        return BidirectionalLSTM.Gradients(
            forward: LSTM.Gradients(kernel: forwardKernel, recurrentKernel: forwardRest.recurrentKernel, bias: forwardRest.bias),
            backward: LSTM.Gradients(kernel: backwardKernel, recurrentKernel: backwardRest.recurrentKernel, bias: backwardRest.bias))
    }
}

/// A pointer shared by the two direction threads, which write disjoint halves of what it points to.
private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

/// `destination[0..<count] += source[0..<count]`, four lanes at a time when `count` is a multiple of 4 (the compiler
/// cannot vectorise the scalar loop: the pointers might overlap).
@inline(__always)
func addRow(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
    if count % 4 == 0 {
        var j = 0
        while j < count {
            let sum = UnsafeRawPointer(destination + j).loadUnaligned(as: SIMD4<Float>.self)
                + UnsafeRawPointer(source + j).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(destination + j).storeBytes(of: sum, as: SIMD4<Float>.self)
            j += 4
        }
    } else {
        for j in 0..<count { destination[j] += source[j] }
    }
}
