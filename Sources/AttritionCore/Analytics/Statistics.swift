import Foundation

/// A proportion with its count and the count it is out of.
public struct Proportion: Equatable, Sendable {
    /// Cases that moved on (the numerator).
    public let count: Int
    /// Cases that could have (the denominator).
    public let total: Int

    /// A proportion of `count` out of `total`.
    public init(_ count: Int, of total: Int) {
        self.count = count
        self.total = total
    }

    /// `count / total`, or nil when `total` is 0.
    public var rate: Double? { total > 0 ? Double(count) / Double(total) : nil }

    /// The 95% Wilson score interval (continuity-corrected), or nil when `total` is 0.
    public var wilson95: ClosedRange<Double>? { Statistics.wilsonInterval(count: count, total: total, z: Statistics.z95) }
}

/// Which way a group's rate differs from the rest of the table.
public enum RateFlag: String, Sendable {
    /// Significantly lower than all other cases.
    case low
    /// Significantly higher than all other cases.
    case high
}

/// The statistics behind every interval and flag (see docs/methodology.md).
public enum Statistics {
    /// The normal quantile for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// Wilson score interval with continuity correction (Newcombe 1998, method 4) for `count`
    /// successes in `total` trials at normal quantile `z`: the interval the contract's example uses.
    public static func wilsonInterval(count: Int, total: Int, z: Double) -> ClosedRange<Double>? {
        guard total > 0 else { return nil }
        let n = Double(total), p = Double(count) / n, z2 = z * z
        let denominator = 2 * (n + z2)
        let lower = count == 0 ? 0
            : (2 * n * p + z2 - 1 - z * (z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)).squareRoot()) / denominator
        let upper = count == total ? 1
            : (2 * n * p + z2 + 1 + z * (z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)).squareRoot()) / denominator
        return max(0, lower)...min(1, upper)
    }

    /// Two-sided p-value of the pooled two-proportion z-test of `a` against `b`; nil when it
    /// cannot be computed (an empty side, or no variation at all).
    public static func twoProportionPValue(_ a: Proportion, _ b: Proportion) -> Double? {
        guard a.total > 0, b.total > 0 else { return nil }
        let pooled = Double(a.count + b.count) / Double(a.total + b.total)
        let variance = pooled * (1 - pooled) * (1 / Double(a.total) + 1 / Double(b.total))
        guard variance > 0 else { return nil }
        let z = (Double(a.count) / Double(a.total) - Double(b.count) / Double(b.total)) / variance.squareRoot()
        return erfc(abs(z) / 2.0.squareRoot())
    }

    /// Holm's step-down procedure: which of the hypotheses with these p-values are rejected at
    /// family-wise level `alpha`. Nil p-values are not tested and never rejected.
    public static func holmRejections(_ pValues: [Double?], alpha: Double = 0.05) -> [Bool] {
        let tested = pValues.indices.filter { pValues[$0] != nil }.sorted { pValues[$0]! < pValues[$1]! }
        var rejected = [Bool](repeating: false, count: pValues.count)
        for (rank, index) in tested.enumerated() {
            guard pValues[index]! <= alpha / Double(tested.count - rank) else { break }
            rejected[index] = true
        }
        return rejected
    }

    /// Low/high flags for each group's proportion against all other cases in the table
    /// (`total` minus the group), Holm-corrected across the groups at the 95% level.
    public static func flags(groups: [Proportion], total: Proportion, alpha: Double = 0.05) -> [RateFlag?] {
        let rests = groups.map { Proportion(total.count - $0.count, of: total.total - $0.total) }
        let pValues = zip(groups, rests).map { twoProportionPValue($0, $1) }
        let rejected = holmRejections(pValues, alpha: alpha)
        return groups.indices.map { i in
            guard rejected[i], let mine = groups[i].rate, let theirs = rests[i].rate else { return nil }
            return mine < theirs ? .low : .high
        }
    }
}
