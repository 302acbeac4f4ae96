import Foundation
import Learning
import Testing

@Suite struct MatMulTests {
    @Test func handComputedTwoByThreeTimesThreeByTwo() throws {
        let a = try Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
        // [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12]
        #expect(matmul(a, b) == (try Tensor(shape: [2, 2], storage: [58, 64, 139, 154])))
    }

    static func naive(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Double] {
        let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
        let n = transposeB ? b.shape[0] : b.shape[1]
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k {
            let x = transposeA ? a[p, i] : a[i, p], y = transposeB ? b[j, p] : b[p, j]
            c[i * n + j] += Double(x) * Double(y)
        } } }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesTripleLoop(transposeA: Bool, transposeB: Bool) {
        let (m, k, n) = (7, 5, 9)
        let a = GradientCheck.random(transposeA ? [k, m] : [m, k], seed: 11)
        let b = GradientCheck.random(transposeB ? [n, k] : [k, n], seed: 12)
        let c = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [m, n])
        let expected = Self.naive(a, b, transposeA: transposeA, transposeB: transposeB)
        for i in 0..<c.count { #expect(abs(Double(c.storage[i]) - expected[i]) < 1e-4) }
    }

    @Test(arguments: [(2, 3, 4), (5, 1, 3), (4, 6, 2)])
    func gradientMatchesFiniteDifferences(m: Int, k: Int, n: Int) {
        let a = GradientCheck.random([m, k], seed: 1), b = GradientCheck.random([k, n], seed: 2)
        let r = GradientCheck.random([m, n], seed: 3)
        let (gradA, gradB) = matmulBackward(gradOutput: r, a: a, b: b)
        #expect(GradientCheck.error(of: gradA, at: a) { GradientCheck.weightedSum(matmul($0, b), r) } < GradientCheck.tolerance)
        #expect(GradientCheck.error(of: gradB, at: b) { GradientCheck.weightedSum(matmul(a, $0), r) } < GradientCheck.tolerance)
    }
}
