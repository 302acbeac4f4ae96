/// Decides whether a candidate model replaces the accepted one: lower scores are better, and a candidate worse than
/// the accepted model by more than `tolerance` (relative) is rejected, keeping the old one.
public struct QualityGate: Sendable, Equatable {
    /// The decision and the sentence that explains it (logged and pushed to the run's XCom).
    public struct Decision: Sendable, Equatable, Codable {
        public var accepted: Bool
        public var reason: String
    }

    /// How much worse than the accepted score a candidate may be, as a fraction (0.05: 5%).
    public var tolerance: Double

    public init(tolerance: Double) { self.tolerance = tolerance }

    /// Compares scores (lower is better) named `metric`.
    /// - Parameters:
    ///   - candidate: the candidate's score.
    ///   - accepted: the accepted model's score on the same data, or nil when there is no accepted model yet.
    public func decide(metric: String, candidate: Double, accepted: Double?) -> Decision {
        guard candidate.isFinite else {
            return Decision(accepted: false, reason: "candidate \(metric) is \(candidate); a model that diverged is never accepted")
        }
        guard let accepted else {
            return Decision(accepted: true, reason: "first model: \(metric) \(Self.format(candidate)), nothing to compare with")
        }
        let limit = accepted * (1 + tolerance) + 1e-9
        if candidate <= limit {
            let change = accepted == 0 ? 0 : (candidate - accepted) / abs(accepted) * 100
            let verdict = change <= 0 ? "better" : "within the \(Self.format(tolerance * 100))% tolerance"
            return Decision(
                accepted: true,
                reason: "\(metric) \(Self.format(candidate)) vs accepted \(Self.format(accepted)) (\(Self.signed(change))%, \(verdict))")
        }
        let change = (candidate - accepted) / max(abs(accepted), 1e-12) * 100
        return Decision(
            accepted: false,
            reason: "\(metric) \(Self.format(candidate)) is \(Self.format(change))% worse than the accepted \(Self.format(accepted)) (tolerance \(Self.format(tolerance * 100))%); keeping the accepted model")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + format(value) }
}
