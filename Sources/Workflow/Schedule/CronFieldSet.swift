/// The values one cron field matches, as a bit set over 0...63.
struct CronFieldSet: Sendable, Hashable {
    /// Bit `n` is set when the field matches `n`.
    private(set) var bits: UInt64 = 0

    /// An empty set.
    init() {}

    /// A set holding every value of `range` (which must lie within 0...63).
    init(_ range: ClosedRange<Int>) {
        for value in range { insert(value) }
    }

    /// Adds `value` (0...63).
    mutating func insert(_ value: Int) {
        precondition((0..<64).contains(value), "cron field value \(value) outside 0...63")
        bits |= 1 << UInt64(value)
    }

    /// Whether the set holds `value`.
    func contains(_ value: Int) -> Bool {
        (0..<64).contains(value) && bits & (1 << UInt64(value)) != 0
    }

    /// Whether the set holds every value of `range`.
    func containsAll(_ range: ClosedRange<Int>) -> Bool {
        range.allSatisfy(contains)
    }

    /// The smallest member greater than or equal to `value`, if any.
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = bits & (UInt64.max << UInt64(max(value, 0)))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// The largest member less than or equal to `value`, if any.
    func last(atOrBefore value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let masked = value >= 63 ? bits : bits & ((1 << UInt64(value + 1)) - 1)
        return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
    }

    /// The members in increasing order.
    var values: [Int] {
        (0..<64).filter(contains)
    }

    /// The number of members.
    var count: Int {
        bits.nonzeroBitCount
    }
}
