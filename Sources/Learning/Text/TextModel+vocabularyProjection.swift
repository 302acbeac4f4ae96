/// Training through the vocabulary: when a batch holds more token positions than the vocabulary has ids
/// (`batch · inputLength > K`, e.g. 32 · 176 = 5,632 > 2,500), the LSTM input projections are cheaper as
/// `table · kernel` once per id than as `x · kernel` once per position, because every input row is an embedding row:
///
/// - forward: `P = table · kernel` (`[K, E] · [E, 4H]`), then each position's gates start as `P[id]`;
/// - backward: with `S[id] = Σ ∂z` over the positions holding `id`, `∂kernel = tableᵀ · S` and the table's gradient
///   is `S · kernelᵀ` summed over both directions, so `∂x` per position is never formed.
///
/// For the original synopsis model this replaces six `[5632, 64] × [64, 80]` products by six `[2500, 64] × [64, 80]`
/// ones. Results equal the direct path up to float summation order.
extension TextModel {
    /// Whether a batch of `batch` rows goes through the vocabulary projections.
    func projectsThroughVocabulary(batch: Int) -> Bool {
        vocabularyProjection ?? (batch * configuration.inputLength > configuration.vocabularySize)
    }

    /// Fills both directions' gates with `P[id]` in their reading orders (the backward direction time-reversed).
    func projectThroughVocabulary(_ inputs: [Int32], batch: Int, scratch: inout Scratch) {
        let time = configuration.inputLength, vocabularySize = embedding.vocabularySize, width = embedding.dimension
        let gateWidth = 4 * configuration.unitsPerDirection
        resize(&scratch.forwardProjection, vocabularySize * gateWidth)
        resize(&scratch.backwardProjection, vocabularySize * gateWidth)
        embedding.table.storage.withUnsafeBufferPointer { table in
            recurrent.forwardLayer.kernel.storage.withUnsafeBufferPointer { kernel in
                scratch.forwardProjection.withUnsafeMutableBufferPointer { projection in
                    sgemm(m: vocabularySize, n: gateWidth, k: width, table.baseAddress!, lda: width, kernel.baseAddress!, ldb: gateWidth,
                          projection.baseAddress!, ldc: gateWidth)
                }
            }
            recurrent.backwardLayer.kernel.storage.withUnsafeBufferPointer { kernel in
                scratch.backwardProjection.withUnsafeMutableBufferPointer { projection in
                    sgemm(m: vocabularySize, n: gateWidth, k: width, table.baseAddress!, lda: width, kernel.baseAddress!, ldb: gateWidth,
                          projection.baseAddress!, ldc: gateWidth)
                }
            }
        }
        recurrent.forwardLayer.prepare(&scratch.recurrent.forward, batch: batch, time: time)
        recurrent.backwardLayer.prepare(&scratch.recurrent.backward, batch: batch, time: time)
        inputs.withUnsafeBufferPointer { ids in
            scratch.forwardProjection.withUnsafeBufferPointer { forwardProjection in
                scratch.backwardProjection.withUnsafeBufferPointer { backwardProjection in
                    scratch.recurrent.forward.gates.withUnsafeMutableBufferPointer { forwardGates in
                        scratch.recurrent.backward.gates.withUnsafeMutableBufferPointer { backwardGates in
                            for b in 0..<batch {
                                for t in 0..<time {
                                    let id = Int(ids[b * time + t])
                                    let f = forwardProjection.baseAddress! + id * gateWidth
                                    let r = backwardProjection.baseAddress! + id * gateWidth
                                    let fg = forwardGates.baseAddress! + (t * batch + b) * gateWidth
                                    let rg = backwardGates.baseAddress! + ((time - 1 - t) * batch + b) * gateWidth
                                    fg.update(from: f, count: gateWidth)
                                    rg.update(from: r, count: gateWidth)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// After both backward recurrences: the LSTM gradients and the embedding table's gradient (into `scratch.gradTable`).
    func vocabularyProjectionGradients(ids inputs: [Int32], batch: Int, scratch: inout Scratch) -> BidirectionalLSTM.Gradients {
        let time = configuration.inputLength, vocabularySize = embedding.vocabularySize, width = embedding.dimension
        let gateWidth = 4 * configuration.unitsPerDirection
        resize(&scratch.forwardGateSums, vocabularySize * gateWidth)
        resize(&scratch.backwardGateSums, vocabularySize * gateWidth)
        if scratch.gradTable.shape != embedding.table.shape { scratch.gradTable = .zeros(embedding.table.shape) }
        inputs.withUnsafeBufferPointer { ids in
            scratch.workspace.forward.gradGates.withUnsafeBufferPointer { forwardGrad in
                scratch.workspace.backward.gradGates.withUnsafeBufferPointer { backwardGrad in
                    scratch.forwardGateSums.withUnsafeMutableBufferPointer { forwardSums in
                        scratch.backwardGateSums.withUnsafeMutableBufferPointer { backwardSums in
                            forwardSums.update(repeating: 0)
                            backwardSums.update(repeating: 0)
                            for b in 0..<batch {
                                for t in 0..<time {
                                    let id = Int(ids[b * time + t])
                                    let fs = forwardSums.baseAddress! + id * gateWidth, rs = backwardSums.baseAddress! + id * gateWidth
                                    let fg = forwardGrad.baseAddress! + (t * batch + b) * gateWidth
                                    let rg = backwardGrad.baseAddress! + ((time - 1 - t) * batch + b) * gateWidth
                                    addRow(fg, into: fs, count: gateWidth)
                                    addRow(rg, into: rs, count: gateWidth)
                                }
                            }
                        }
                    }
                }
            }
        }
        // Per direction: ∂kernel = tableᵀ · S ([E, K] · [K, 4H]) and ∂table (+)= S · kernelᵀ ([K, 4H] · [4H, E]).
        func kernelGradient(sums: [Float], kernel: [Float], accumulate: Bool, gradTable: inout Tensor) -> Tensor {
            var gradKernel = Tensor.zeros([width, gateWidth])
            embedding.table.storage.withUnsafeBufferPointer { table in
                sums.withUnsafeBufferPointer { s in
                    gradKernel.storage.withUnsafeMutableBufferPointer { dw in
                        sgemm(transposeA: true, m: width, n: gateWidth, k: vocabularySize, table.baseAddress!, lda: width,
                              s.baseAddress!, ldb: gateWidth, dw.baseAddress!, ldc: gateWidth)
                    }
                    kernel.withUnsafeBufferPointer { w in
                        gradTable.storage.withUnsafeMutableBufferPointer { dt in
                            sgemm(transposeB: true, m: vocabularySize, n: width, k: gateWidth, s.baseAddress!, lda: gateWidth,
                                  w.baseAddress!, ldb: gateWidth, beta: accumulate ? 1 : 0, dt.baseAddress!, ldc: width)
                        }
                    }
                }
            }
            return gradKernel
        }
        let forwardKernel = kernelGradient(
            sums: scratch.forwardGateSums, kernel: recurrent.forwardLayer.kernel.storage, accumulate: false, gradTable: &scratch.gradTable)
        let backwardKernel = kernelGradient(
            sums: scratch.backwardGateSums, kernel: recurrent.backwardLayer.kernel.storage, accumulate: true, gradTable: &scratch.gradTable)
        let forwardRest = recurrent.forwardLayer.recurrentGradients(cache: scratch.recurrent.forward, gradGates: scratch.workspace.forward.gradGates)
        let backwardRest = recurrent.backwardLayer.recurrentGradients(cache: scratch.recurrent.backward, gradGates: scratch.workspace.backward.gradGates)
        return BidirectionalLSTM.Gradients(
            forward: LSTM.Gradients(kernel: forwardKernel, recurrentKernel: forwardRest.recurrentKernel, bias: forwardRest.bias),
            backward: LSTM.Gradients(kernel: backwardKernel, recurrentKernel: backwardRest.recurrentKernel, bias: backwardRest.bias))
    }
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
