import Dispatch

/// Two `LSTM`s over the same sequence, one reading it forwards and one backwards, whose last states are
/// concatenated `[forward, backward]` (Keras's `Bidirectional(LSTM(units))` with `merge_mode="concat"`): the output
/// is `[batch, 2·units]`, and the backward half is the state after reading step 0 last.
public struct BidirectionalLSTM: Sendable, Equatable {
    /// The gradients of both directions.
    public struct Gradients: Sendable, Equatable {
        /// The forward direction's gradients.
        public var forward: LSTM.Gradients
        /// The backward direction's gradients.
        public var backward: LSTM.Gradients
    }

    /// The values `backward` needs from `forward`.
    public struct Cache: Sendable {
        var forward = LSTM.Cache()
        var backward = LSTM.Cache()
    }

    /// Scratch buffers for both directions' backpropagation, reused across steps.
    struct Workspace: Sendable {
        var forward = LSTM.BackwardWorkspace()
        var backward = LSTM.BackwardWorkspace()
    }

    /// The direction that reads step 0 first.
    public var forwardLayer: LSTM
    /// The direction that reads the last step first (`goesBackwards` is set).
    public var backwardLayer: LSTM

    /// The width of each input step.
    public var inputSize: Int { forwardLayer.inputSize }
    /// The units per direction (the output has twice as many).
    public var units: Int { forwardLayer.units }

    /// Creates both directions with Keras's LSTM initialisation, the forward layer's values drawn first.
    public init(
        inputSize: Int, units: Int, recurrentInitializer: LSTM.RecurrentInitializer = .orthogonal,
        using generator: inout some RandomNumberGenerator
    ) {
        forwardLayer = LSTM(inputSize: inputSize, units: units, recurrentInitializer: recurrentInitializer, using: &generator)
        backwardLayer = LSTM(
            inputSize: inputSize, units: units, goesBackwards: true, recurrentInitializer: recurrentInitializer, using: &generator)
    }

    /// Creates the layer from two directions of equal sizes; `backward.goesBackwards` is forced on and
    /// `forward.goesBackwards` off.
    public init(forward: LSTM, backward: LSTM) {
        precondition(forward.kernel.shape == backward.kernel.shape, "directions differ: \(forward.kernel.shape) vs \(backward.kernel.shape)")
        forwardLayer = forward
        forwardLayer.goesBackwards = false
        backwardLayer = backward
        backwardLayer.goesBackwards = true
    }

    /// Runs both directions over `x` (`[batch, time, inputSize]`).
    /// - Returns: `[batch, 2·units]`, the forward direction's last state then the backward direction's, and the cache.
    public func forward(_ x: Tensor) -> (output: Tensor, cache: Cache) {
        let (forwardState, forwardCache) = forwardLayer.forward(x)
        let (backwardState, backwardCache) = backwardLayer.forward(x)
        let output = Self.concatenate(forwardState.storage, backwardState.storage, batch: x.shape[0], units: units)
        return (Tensor(unchecked: [x.shape[0], 2 * units], output), Cache(forward: forwardCache, backward: backwardCache))
    }

    /// Backpropagation through time for both directions.
    /// - Parameter gradOutput: `∂loss/∂output`, `[batch, 2·units]`.
    /// - Returns: `∂loss/∂x` (`[batch, time, inputSize]`, both directions' contributions summed) and the gradients.
    public func backward(_ gradOutput: Tensor, cache: Cache) -> (gradInput: Tensor, gradients: Gradients) {
        let batch = cache.forward.batch
        precondition(gradOutput.shape == [batch, 2 * units], "gradient \(gradOutput.shape) for a [\(batch), \(2 * units)] output")
        let (gradForward, gradBackward) = Self.split(gradOutput.storage, batch: batch, units: units)
        var (gradInput, forwardGradients) = forwardLayer.backward(Tensor(unchecked: [batch, units], gradForward), cache: cache.forward)
        let (gradInputBackward, backwardGradients) = backwardLayer.backward(Tensor(unchecked: [batch, units], gradBackward), cache: cache.backward)
        for i in 0..<gradInput.count { gradInput.storage[i] += gradInputBackward.storage[i] }
        return (gradInput, Gradients(forward: forwardGradients, backward: backwardGradients))
    }

    /// Updates both directions, named `"<name>.forward.…"` and `"<name>.backward.…"`.
    public mutating func update(with gradients: Gradients, using optimizer: inout some Optimizer, name: String) {
        forwardLayer.update(with: gradients.forward, using: &optimizer, name: name + ".forward")
        backwardLayer.update(with: gradients.backward, using: &optimizer, name: name + ".backward")
    }

    /// Runs both directions on inputs already in reading order: `cache.forward.input` is `[time, batch, inputSize]` in
    /// time order and `cache.backward.input` the same values with time reversed; the rest of `cache` is overwritten,
    /// reusing its buffers.
    /// - Parameter parallel: run the two recurrences on two threads (the BLAS products stay on the calling thread).
    /// - Returns: the concatenated `[batch, 2·units]` output.
    func run(_ cache: inout Cache, batch: Int, time: Int, parallel: Bool) -> [Float] {
        forwardLayer.project(&cache.forward, batch: batch, time: time)
        backwardLayer.project(&cache.backward, batch: batch, time: time)
        return recur(&cache, parallel: parallel)
    }

    /// The recurrences of both directions over caches whose gates hold the input projections (see `LSTM.prepare`),
    /// or that `prologue` fills first. Returns the concatenated `[batch, 2·units]` output.
    /// - Parameter prologue: called for each direction (`true` for the backward one) on that direction's thread just
    ///   before its recurrence; it may touch only that direction's cache and its own data.
    func recur(_ cache: inout Cache, parallel: Bool, prologue: DirectionHook<LSTM.Cache>? = nil) -> [Float] {
        let batch = cache.forward.batch
        if parallel {
            var forwardCache = LSTM.Cache(), backwardCache = LSTM.Cache()
            swap(&forwardCache, &cache.forward)
            swap(&backwardCache, &cache.backward)
            let (forwardLayer, backwardLayer) = (self.forwardLayer, self.backwardLayer)
            withUnsafeMutablePointer(to: &forwardCache) { forwardPointer in
                withUnsafeMutablePointer(to: &backwardCache) { backwardPointer in
                    let pointers = UncheckedPair(forwardPointer, backwardPointer)
                    DispatchQueue.concurrentPerform(iterations: 2) { direction in
                        if direction == 0 {
                            prologue?.body(false, &pointers.first.pointee)
                            forwardLayer.recur(&pointers.first.pointee)
                        } else {
                            prologue?.body(true, &pointers.second.pointee)
                            backwardLayer.recur(&pointers.second.pointee)
                        }
                    }
                }
            }
            swap(&forwardCache, &cache.forward)
            swap(&backwardCache, &cache.backward)
        } else {
            prologue?.body(false, &cache.forward)
            forwardLayer.recur(&cache.forward)
            prologue?.body(true, &cache.backward)
            backwardLayer.recur(&cache.backward)
        }
        return Self.concatenate(
            Array(forwardLayer.lastState(cache.forward)), Array(backwardLayer.lastState(cache.backward)), batch: batch, units: units)
    }

    /// Backpropagation for `run`: leaves each direction's input gradient, in its own reading order (the backward one
    /// time-reversed), in `workspace.forward.gradInput` and `workspace.backward.gradInput`.
    /// - Parameter parallel: run the two backward recurrences on two threads.
    func backward(gradOutput: [Float], cache: Cache, workspace: inout Workspace, parallel: Bool) -> Gradients {
        backwardRecurrences(gradOutput: gradOutput, cache: cache, workspace: &workspace, parallel: parallel)
        let forwardGradients = forwardLayer.backwardProducts(cache: cache.forward, workspace: &workspace.forward)
        let backwardGradients = backwardLayer.backwardProducts(cache: cache.backward, workspace: &workspace.backward)
        return Gradients(forward: forwardGradients, backward: backwardGradients)
    }

    /// Both directions' backward recurrences: leaves each step's `∂loss/∂z` in `workspace.forward.gradGates` and
    /// `workspace.backward.gradGates`.
    /// - Parameter epilogue: called for each direction (`true` for the backward one) on that direction's thread right
    ///   after its recurrence; it may touch only that direction's workspace and its own data.
    func backwardRecurrences(
        gradOutput: [Float], cache: Cache, workspace: inout Workspace, parallel: Bool, epilogue: DirectionHook<LSTM.BackwardWorkspace>? = nil
    ) {
        let (gradForward, gradBackward) = Self.split(gradOutput, batch: cache.forward.batch, units: units)
        if parallel {
            var forwardWorkspace = LSTM.BackwardWorkspace(), backwardWorkspace = LSTM.BackwardWorkspace()
            swap(&forwardWorkspace, &workspace.forward)
            swap(&backwardWorkspace, &workspace.backward)
            let (forwardLayer, backwardLayer) = (self.forwardLayer, self.backwardLayer)
            withUnsafeMutablePointer(to: &forwardWorkspace) { forwardPointer in
                withUnsafeMutablePointer(to: &backwardWorkspace) { backwardPointer in
                    let pointers = UncheckedPair(forwardPointer, backwardPointer)
                    DispatchQueue.concurrentPerform(iterations: 2) { direction in
                        if direction == 0 {
                            forwardLayer.backwardRecurrence(
                                gradLastState: gradForward[...], cache: cache.forward, workspace: &pointers.first.pointee)
                            epilogue?.body(false, &pointers.first.pointee)
                        } else {
                            backwardLayer.backwardRecurrence(
                                gradLastState: gradBackward[...], cache: cache.backward, workspace: &pointers.second.pointee)
                            epilogue?.body(true, &pointers.second.pointee)
                        }
                    }
                }
            }
            swap(&forwardWorkspace, &workspace.forward)
            swap(&backwardWorkspace, &workspace.backward)
        } else {
            forwardLayer.backwardRecurrence(gradLastState: gradForward[...], cache: cache.forward, workspace: &workspace.forward)
            epilogue?.body(false, &workspace.forward)
            backwardLayer.backwardRecurrence(gradLastState: gradBackward[...], cache: cache.backward, workspace: &workspace.backward)
            epilogue?.body(true, &workspace.backward)
        }
    }

    static func concatenate(_ first: [Float], _ second: [Float], batch: Int, units: Int) -> [Float] {
        var output = [Float](repeating: 0, count: batch * 2 * units)
        for b in 0..<batch {
            for k in 0..<units {
                output[b * 2 * units + k] = first[b * units + k]
                output[b * 2 * units + units + k] = second[b * units + k]
            }
        }
        return output
    }

    static func split(_ values: [Float], batch: Int, units: Int) -> (first: [Float], second: [Float]) {
        var first = [Float](repeating: 0, count: batch * units), second = first
        for b in 0..<batch {
            for k in 0..<units {
                first[b * units + k] = values[b * 2 * units + k]
                second[b * units + k] = values[b * 2 * units + units + k]
            }
        }
        return (first, second)
    }
}

/// Per-direction work run on that direction's thread (`true` for the backward direction). The closure must touch only
/// the value it is given and data no other direction writes; that is why it may be unchecked-`Sendable`.
struct DirectionHook<Value>: @unchecked Sendable {
    let body: (_ backward: Bool, _ value: inout Value) -> Void
}

/// Two pointers handed to the two iterations of `concurrentPerform`; each iteration touches only its own pointee.
private struct UncheckedPair<First, Second>: @unchecked Sendable {
    let first: UnsafeMutablePointer<First>
    let second: UnsafeMutablePointer<Second>
    init(_ first: UnsafeMutablePointer<First>, _ second: UnsafeMutablePointer<Second>) {
        self.first = first
        self.second = second
    }
}
