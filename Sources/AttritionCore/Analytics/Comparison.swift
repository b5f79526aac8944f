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
    /// The group's rate divided by the reference rate (infinite when the reference rate is 0).
    public let ratio: Double
    /// The 95% score interval of the ratio (its upper bound infinite when the reference rate is 0).
    public let interval: ClosedRange<Double>?
}

/// Funnel plots and disparity ratios (docs/methodology.md).
public enum Comparison {
    /// The normal quantile for two-sided 99.8% limits.
    public static let z998 = 3.090232306167813

    /// Below this many cases a funnel plot's limits are exact binomial ones; from it on the
    /// normal approximation, which is then accurate to well within the width of a plotted point.
    public static let exactBelow = 1000

    /// Control limits around the overall rate `p0` for a group of `n` cases at normal quantile `z`
    /// (`Statistics.z95` or `z998`). Without overdispersion: exact binomial limits below
    /// `exactBelow` cases, p0 ± z·√(p0(1−p0)/n) from there. With it, the normal limits widened
    /// as `overdispersion` says (Spiegelhalter 2005). Always within 0 and 1.
    public static func limits(around p0: Double, n: Int, z: Double,
                              overdispersion: Overdispersion? = nil) -> ClosedRange<Double> {
        guard n > 0 else { return 0...1 }
        if overdispersion?.widens != true, n < exactBelow {
            let tail = 0.5 * erfc(z / 2.0.squareRoot())
            return ExactMethods.binomialLimit(around: p0, n: n, level: tail)...ExactMethods.binomialLimit(around: p0, n: n, level: 1 - tail)
        }
        let variance = p0 * (1 - p0) / Double(n)
        let half = z * (overdispersion?.variance(variance) ?? variance).squareRoot()
        return max(0, p0 - half)...min(1, p0 + half)
    }

    /// Every group's step `step` (index into the steps) placed on a funnel plot around the total's
    /// rate, with limits widened for overdispersion when `model` says so.
    public static func funnelPlot(_ funnel: Funnel, step: Int, model: OverdispersionModel = .none)
        -> (points: [FunnelPlotPoint], overdispersion: Overdispersion?) {
        guard let p0 = funnel.total.steps[step].step.rate else { return ([], nil) }
        let plotted = funnel.groups.filter { $0.steps[step].step.total > 0 }
        let estimate = Overdispersion.estimate(plotted.map { $0.steps[step].step }, around: p0, model: model)
        let points = plotted.map { group in
            let proportion = group.steps[step].step
            let rate = proportion.rate ?? 0
            let inner = limits(around: p0, n: proportion.total, z: Statistics.z95, overdispersion: estimate)
            let outer = limits(around: p0, n: proportion.total, z: z998, overdispersion: estimate)
            let position: FunnelPlotPosition =
                rate > outer.upperBound ? .above998 : rate < outer.lowerBound ? .below998
                : rate > inner.upperBound ? .above95 : rate < inner.lowerBound ? .below95 : .within
            return FunnelPlotPoint(name: group.name, proportion: proportion, limits95: inner, limits998: outer, position: position)
        }
        return (points, estimate)
    }

    /// The ratio of `group`'s rate to `reference`'s with the 95% Miettinen–Nurminen score interval
    /// (`riskRatioInterval`). Nil when either side is empty or neither has a case that moved on.
    public static func disparity(_ group: Proportion, against reference: Proportion) -> Disparity? {
        guard let p1 = group.rate, let p2 = reference.rate, group.count + reference.count > 0 else { return nil }
        return Disparity(ratio: p2 > 0 ? p1 / p2 : .infinity, interval: riskRatioInterval(group, reference))
    }

    /// The Miettinen–Nurminen (1985) score interval for the ratio of two proportions x₁/n₁ ÷ x₂/n₂:
    /// every ratio θ whose score statistic (p̂₁ − θp̂₂)² / ((p̃₁(1−p̃₁)/n₁ + θ²p̃₂(1−p̃₂)/n₂)·N/(N−1))
    /// stays below z², where p̃ are the maximum-likelihood proportions under p₁ = θp₂ (Farrington
    /// and Manning 1990, closed form). Unlike the Katz log interval it exists at 0% and 100%: the
    /// lower bound is 0 when x₁ = 0 and the upper bound infinite when x₂ = 0.
    public static func riskRatioInterval(_ group: Proportion, _ reference: Proportion,
                                         z: Double = Statistics.z95) -> ClosedRange<Double>? {
        let (x1, n1, x2, n2) = (Double(group.count), Double(group.total), Double(reference.count), Double(reference.total))
        guard n1 > 0, n2 > 0, x1 + x2 > 0 else { return nil }
        let score = { (theta: Double) in scoreStatistic(theta, x1: x1, n1: n1, x2: x2, n2: n2) }
        let target = z * z
        let estimate = x2 == 0 ? Double.infinity : (x1 / n1) / (x2 / n2)
        let (floor, ceiling) = (log(1e-12), log(1e12))
        let lower = x1 == 0 ? 0 : exp(Distributions.solve(target, low: floor, high: log(min(estimate, 1e12)), increasing: false) { score(exp($0)) })
        let upper = x2 == 0 ? Double.infinity
            : exp(Distributions.solve(target, low: log(max(estimate, 1e-12)), high: ceiling, increasing: true) { score(exp($0)) })
        return lower...upper
    }

    /// The Miettinen–Nurminen score statistic for the ratio `theta`.
    static func scoreStatistic(_ theta: Double, x1: Double, n1: Double, x2: Double, n2: Double) -> Double {
        let total = n1 + n2
        let a = total * theta, b = -(n1 * theta + x1 + n2 + x2 * theta), c = x1 + x2
        let p2 = (-b - max(0, b * b - 4 * a * c).squareRoot()) / (2 * a)
        let p1 = min(1, p2 * theta)
        let difference = x1 / n1 - theta * x2 / n2
        let variance = (p1 * (1 - p1) / n1 + theta * theta * p2 * (1 - p2) / n2) * total / (total - 1)
        guard variance > 0 else { return difference == 0 ? 0 : .infinity }
        return difference * difference / variance
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
