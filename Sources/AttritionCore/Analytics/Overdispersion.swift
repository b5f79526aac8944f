import Foundation

/// How a funnel plot's limits allow for groups varying more than chance alone would make them.
public enum OverdispersionModel: String, CaseIterable, Sendable {
    /// Limits from the binomial alone (the estimate is still shown).
    case none
    /// Limits widened by √φ: every group's variance multiplied by φ.
    case multiplicative
    /// Limits widened by a between-group variance τ² added to every group's.
    case additive

    /// The limits the model draws, in words.
    public var title: String {
        switch self {
        case .none: "binomial only (exact under \(Comparison.exactBelow) cases)"
        case .multiplicative: "widened by φ (multiplicative overdispersion)"
        case .additive: "widened by τ² (additive, random effects)"
        }
    }
}

/// Overdispersion of one step's rates across groups, estimated as Spiegelhalter (2005,
/// "Handling over-dispersion of performance indicators", Quality and Safety in Health Care
/// 14:347) sets out: z-scores against the overall rate, the most extreme 10% at each end pulled
/// in to the next value (winsorised), φ = mean of their squares, and the random-effects τ² that
/// matches it (DerSimonian–Laird form).
public struct Overdispersion: Sendable, Equatable {
    /// The multiplicative overdispersion factor φ (1 when the groups vary as chance would).
    public let phi: Double
    /// The additive between-group variance τ² (0 when kφ does not exceed k − 1).
    public let tauSquared: Double
    /// How many groups the estimate rests on (k).
    public let groups: Int
    /// Z-scores pulled in at each end by winsorising.
    public let winsorisedEachEnd: Int
    /// The 95% point of χ² on k − 1 degrees of freedom: kφ beyond it is overdispersion beyond chance.
    public let criticalValue: Double
    /// The model the limits use.
    public let model: OverdispersionModel

    /// Whether kφ exceeds the 95% point of χ²(k − 1): the groups vary more than chance explains.
    public var isSignificant: Bool { Double(groups) * phi > criticalValue }

    /// Whether the limits are wider than the binomial ones under the chosen model.
    public var widens: Bool {
        switch model {
        case .none: false
        case .multiplicative: phi > 1
        case .additive: tauSquared > 0
        }
    }

    /// A group's variance of its rate under the chosen model, from its binomial variance.
    public func variance(_ binomial: Double) -> Double {
        switch model {
        case .none: binomial
        case .multiplicative: binomial * max(phi, 1)
        case .additive: binomial + tauSquared
        }
    }

    /// The estimate for `proportions` (every group on the plot) around the overall rate `p0`;
    /// nil with fewer than two groups or an overall rate of 0 or 1 (no spread to measure).
    public static func estimate(_ proportions: [Proportion], around p0: Double, model: OverdispersionModel) -> Overdispersion? {
        let groups = proportions.filter { $0.total > 0 }
        guard groups.count >= 2, p0 > 0, p0 < 1 else { return nil }
        let variances = groups.map { p0 * (1 - p0) / Double($0.total) }
        let scores = zip(groups, variances).map { ($0.rate! - p0) / $1.squareRoot() }
        let (winsorised, pulled) = winsorise(scores, share: 0.1)
        let k = Double(groups.count)
        let phi = winsorised.reduce(0) { $0 + $1 * $1 } / k
        let weights = variances.map { 1 / $0 }
        let sumWeights = weights.reduce(0, +), sumSquares = weights.reduce(0) { $0 + $1 * $1 }
        let tauSquared = max(0, (k * phi - (k - 1)) / (sumWeights - sumSquares / sumWeights))
        return Overdispersion(phi: phi, tauSquared: tauSquared, groups: groups.count, winsorisedEachEnd: pulled,
                              criticalValue: chiSquareQuantile(0.95, degrees: groups.count - 1), model: model)
    }

    /// `values` with the ⌊share·k⌋ smallest set to the next smallest and the ⌊share·k⌋ largest to
    /// the next largest, and that count.
    static func winsorise(_ values: [Double], share: Double) -> ([Double], Int) {
        let pulled = Int((share * Double(values.count)).rounded(.down))
        guard pulled > 0 else { return (values, 0) }
        let sorted = values.sorted()
        let (low, high) = (sorted[pulled], sorted[values.count - 1 - pulled])
        return (values.map { min(max($0, low), high) }, pulled)
    }

    /// The `q`-quantile of χ² on `degrees` degrees of freedom.
    static func chiSquareQuantile(_ q: Double, degrees: Int) -> Double {
        let k = Double(max(degrees, 1))
        return Distributions.solve(q, low: 0, high: 10 * k + 100, increasing: true) {
            1 - Distributions.regularisedGammaQ(a: k / 2, x: $0 / 2)
        }
    }

    /// One line for notes and the funnel plot: the estimates and what the limits use.
    public var summary: String {
        let verdict = isSignificant ? "groups vary more than chance explains" : "no overdispersion beyond chance"
        let limits: String
        switch model {
        case .none: limits = "limits: binomial only"
        case .multiplicative: limits = phi > 1 ? "limits widened by √φ" : "limits: binomial (φ ≤ 1)"
        case .additive: limits = tauSquared > 0 ? "limits widened by τ²" : "limits: binomial (τ² = 0)"
        }
        return "overdispersion φ = \(String(format: "%.2f", phi)), τ² = \(String(format: "%.5f", tauSquared)) over \(groups) groups (\(verdict)); \(limits)"
    }
}
