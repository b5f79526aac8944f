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

    /// The Benjamini–Hochberg step-up procedure: which hypotheses are rejected with the false
    /// discovery rate held at `alpha` (the largest k with p₍ₖ₎ ≤ k·alpha/m, and every smaller p).
    /// Nil p-values are not tested and never rejected.
    public static func benjaminiHochbergRejections(_ pValues: [Double?], alpha: Double = 0.05) -> [Bool] {
        let tested = pValues.indices.filter { pValues[$0] != nil }.sorted { pValues[$0]! < pValues[$1]! }
        var rejected = [Bool](repeating: false, count: pValues.count)
        let cut = tested.indices.last { pValues[tested[$0]]! <= Double($0 + 1) * alpha / Double(tested.count) }
        if let cut { for index in tested[...cut] { rejected[index] = true } }
        return rejected
    }

    /// The test a group's proportion is compared with the rest's by: none for a group of fewer
    /// than `smallestTested` cases or an empty rest; Fisher's exact test wherever an expected cell
    /// count of the 2×2 table is below 5 or the group has fewer than 30 cases; else the pooled z-test.
    public static func test(for group: Proportion, against rest: Proportion) -> GroupTest? {
        guard group.total >= smallestTested, rest.total > 0 else { return nil }
        let total = Double(group.total + rest.total), moved = Double(group.count + rest.count)
        let expected = [Double(group.total), Double(rest.total)].flatMap { side in [side * moved / total, side * (total - moved) / total] }
        return group.total < 30 || expected.contains { $0 < 5 } ? .fisher : .zTest
    }

    /// Groups smaller than this are never tested, so never flagged.
    public static let smallestTested = 3

    /// The p-value of `test` comparing `group` with `rest`.
    public static func pValue(_ test: GroupTest, _ group: Proportion, _ rest: Proportion) -> Double? {
        switch test {
        case .fisher: ExactMethods.fisherPValue(group, rest)
        case .zTest: twoProportionPValue(group, rest)
        }
    }

    /// Low/high flags for each group's proportion against all other cases in the table (`total`
    /// minus the group), each by the test valid at its size, corrected across the groups by
    /// `correction` at level `alpha`; with how many comparisons stand behind them.
    public static func flags(groups: [Proportion], total: Proportion, correction: MultipleComparison = .holm,
                             alpha: Double = 0.05) -> FlagSet {
        let rests = groups.map { Proportion(total.count - $0.count, of: total.total - $0.total) }
        let tests = zip(groups, rests).map { test(for: $0, against: $1) }
        let pValues = groups.indices.map { i in tests[i].flatMap { pValue($0, groups[i], rests[i]) } }
        let rejected = correction.rejections(pValues, alpha: alpha)
        let flags = groups.indices.map { i -> RateFlag? in
            guard rejected[i], let mine = groups[i].rate, let theirs = rests[i].rate else { return nil }
            return mine < theirs ? .low : .high
        }
        return FlagSet(flags: flags, tests: tests, comparisons: pValues.compactMap { $0 }.count, correction: correction)
    }
}

/// The test behind a group's flag.
public enum GroupTest: String, Sendable {
    /// Fisher's exact test (small groups or small expected counts).
    case fisher
    /// The pooled two-proportion z-test.
    case zTest = "z"
}

/// How p-values are corrected for the number of groups compared.
public enum MultipleComparison: String, CaseIterable, Sendable {
    /// Holm's step-down method: the chance of any false flag in the table stays at 5%.
    case holm
    /// Benjamini–Hochberg: the expected share of false flags among the flags stays at 5%.
    case fdr

    /// Which of `pValues` are rejected at `alpha`.
    public func rejections(_ pValues: [Double?], alpha: Double = 0.05) -> [Bool] {
        switch self {
        case .holm: Statistics.holmRejections(pValues, alpha: alpha)
        case .fdr: Statistics.benjaminiHochbergRejections(pValues, alpha: alpha)
        }
    }

    /// The correction in words, for notes and status lines.
    public var name: String {
        switch self {
        case .holm: "Holm correction (family-wise error 5%)"
        case .fdr: "Benjamini–Hochberg (false discovery rate 5%)"
        }
    }
}

/// The flags of one step across the groups of a table, and what stands behind them.
public struct FlagSet: Sendable {
    /// One flag (or none) per group.
    public let flags: [RateFlag?]
    /// The test each group was compared by; nil where it was not tested (fewer than 3 cases).
    public let tests: [GroupTest?]
    /// How many comparisons the correction counted.
    public let comparisons: Int
    /// The correction applied.
    public let correction: MultipleComparison
}
