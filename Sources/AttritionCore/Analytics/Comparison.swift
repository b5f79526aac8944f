import Foundation

/// Where a group sits on a funnel plot of a step rate against group size.
public enum FunnelPlotPosition: String, Sendable {
    /// Inside the 95% limits: consistent with the overall rate.
    case within
    /// Between the 95% and 99.8% limits, above.
    case above95
    /// Between the 95% and 99.8% limits, below.
    case below95
    /// Beyond the 99.8% limits, above.
    case above998
    /// Beyond the 99.8% limits, below.
    case below998
}

/// One group on a funnel plot.
public struct FunnelPlotPoint: Sendable {
    /// The group's label.
    public let name: String
    /// The group's step rate as count out of denominator.
    public let proportion: Proportion
    /// The 95% control limits at this group's size.
    public let limits95: ClosedRange<Double>
    /// The 99.8% control limits at this group's size.
    public let limits998: ClosedRange<Double>
    /// Where the group falls.
    public let position: FunnelPlotPosition
}

/// A group's rate relative to a reference rate.
public struct Disparity: Sendable {
    /// The group's rate divided by the reference rate.
    public let ratio: Double
    /// The 95% interval of the ratio, when both counts are above zero.
    public let interval: ClosedRange<Double>?
}

/// Funnel plots and disparity ratios (docs/methodology.md).
public enum Comparison {
    /// The normal quantile for two-sided 99.8% limits.
    public static let z998 = 3.090232306167813

    /// Control limits around the overall rate `p0` for a group of `n` cases: p0 ± z·√(p0(1−p0)/n), within 0 and 1.
    public static func limits(around p0: Double, n: Int, z: Double) -> ClosedRange<Double> {
        let half = n > 0 ? z * (p0 * (1 - p0) / Double(n)).squareRoot() : 1
        return max(0, p0 - half)...min(1, p0 + half)
    }

    /// Every group's step `step` (index into the steps) placed on a funnel plot around the total's rate.
    public static func funnelPlot(_ funnel: Funnel, step: Int) -> [FunnelPlotPoint] {
        guard let p0 = funnel.total.steps[step].step.rate else { return [] }
        return funnel.groups.compactMap { group in
            let proportion = group.steps[step].step
            guard let rate = proportion.rate else { return nil }
            let inner = limits(around: p0, n: proportion.total, z: Statistics.z95)
            let outer = limits(around: p0, n: proportion.total, z: z998)
            let position: FunnelPlotPosition =
                rate > outer.upperBound ? .above998 : rate < outer.lowerBound ? .below998
                : rate > inner.upperBound ? .above95 : rate < inner.lowerBound ? .below95 : .within
            return FunnelPlotPoint(name: group.name, proportion: proportion, limits95: inner, limits998: outer, position: position)
        }
    }

    /// The ratio of `group`'s rate to `reference`'s, with the Katz log interval at 95%:
    /// exp(ln r ± 1.96·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)). Nil when either rate is missing or the reference is zero.
    public static func disparity(_ group: Proportion, against reference: Proportion) -> Disparity? {
        guard let p1 = group.rate, let p2 = reference.rate, p2 > 0 else { return nil }
        let ratio = p1 / p2
        guard group.count > 0 else { return Disparity(ratio: ratio, interval: nil) }
        let se = (1 / Double(group.count) - 1 / Double(group.total) + 1 / Double(reference.count) - 1 / Double(reference.total)).squareRoot()
        let interval = exp(log(ratio) - Statistics.z95 * se)...exp(log(ratio) + Statistics.z95 * se)
        return Disparity(ratio: ratio, interval: interval)
    }
}

/// A rate whose denominator is below `minimumDenominator` is shown as not reliable.
public struct Reliability: Equatable, Sendable {
    /// The smallest denominator whose rate is shown as reliable.
    public var minimumDenominator: Int

    /// The rule with a threshold of `minimumDenominator` cases (30 by default).
    public init(minimumDenominator: Int = 30) { self.minimumDenominator = minimumDenominator }

    /// Whether the rate of `proportion` is reliable under this rule.
    public func isReliable(_ proportion: Proportion) -> Bool { proportion.total >= minimumDenominator }
}
