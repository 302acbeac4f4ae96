/// Updates named parameters from their gradients; per-parameter state is keyed by `name`.
public protocol Optimizer: Sendable {
    /// Applies one update step to `parameter` given its `gradient`.
    /// - Parameter name: a stable, unique name for the parameter (e.g. `"dense1.weight"`).
    mutating func update(_ parameter: inout Tensor, gradient: Tensor, name: String)
}
