/// The hinge losses of a GAN with FastGAN's random margin (Liu et al. 2021, arXiv 2101.04775): the discriminator's
/// `mean relu(m − D(real)) + mean relu(m' + D(fake))` with every margin drawn from U(0.8, 1), the generator's
/// `−mean D(G(z))`. The random margin stands in for label smoothing.
///
/// ```swift
/// let margins = HingeLoss.margins(count: 2 * n, using: &rng)
/// let d = HingeLoss.discriminator(realLogits: real, fakeLogits: fake, margins: margins)
/// let g = HingeLoss.generator(fakeLogits: fakeAgain)
/// ```
public enum HingeLoss {
    /// `count` margins drawn from U(0.8, 1).
    public static func margins(count: Int, using generator: inout some RandomNumberGenerator) -> [Float] {
        (0..<count).map { _ in 0.8 + 0.2 * Tensor.unitFloat(&generator) }
    }

    /// The discriminator's loss and its gradients with respect to both logit tensors.
    /// - Parameters:
    ///   - realLogits: `[n, 1]` (any shape; every element is one score).
    ///   - fakeLogits: `[m, 1]`.
    ///   - margins: `n + m` margins, the real ones first.
    public static func discriminator(
        realLogits: Tensor, fakeLogits: Tensor, margins: [Float]
    ) -> (loss: Float, gradReal: Tensor, gradFake: Tensor) {
        let n = realLogits.count, m = fakeLogits.count
        precondition(margins.count == n + m, "\(margins.count) margins for \(n) real and \(m) fake logits")
        precondition(n > 0 && m > 0, "hinge loss needs real and fake logits")
        var gradReal = Tensor.zeros(realLogits.shape), gradFake = Tensor.zeros(fakeLogits.shape)
        var real: Double = 0, fake: Double = 0
        for i in 0..<n {
            let slack = margins[i] - realLogits.storage[i]
            if slack > 0 {
                real += Double(slack)
                gradReal.storage[i] = -1 / Float(n)
            }
        }
        for i in 0..<m {
            let slack = margins[n + i] + fakeLogits.storage[i]
            if slack > 0 {
                fake += Double(slack)
                gradFake.storage[i] = 1 / Float(m)
            }
        }
        return (Float(real / Double(n) + fake / Double(m)), gradReal, gradFake)
    }

    /// The generator's loss `−mean D(G(z))` and its gradient `−1/m` per logit.
    public static func generator(fakeLogits: Tensor) -> (loss: Float, gradLogits: Tensor) {
        let m = fakeLogits.count
        precondition(m > 0, "hinge loss needs fake logits")
        var sum: Double = 0
        for value in fakeLogits.storage { sum += Double(value) }
        return (Float(-sum / Double(m)), Tensor(shape: fakeLogits.shape, repeating: -1 / Float(m)))
    }
}
