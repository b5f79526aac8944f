import Foundation

/// A group's step rate after case-mix adjustment by indirect standardisation: the cases that
/// made the step against those expected had the group's cases, stratum by stratum, moved on at
/// the whole table's rate for their stratum.
public struct StandardisedRate: Sendable, Equatable {
    /// Cases that made the step (O).
    public let observed: Int
    /// Cases expected to: Σ over strata of the group's cases at the earlier stage × the table's
    /// step rate in that stratum (E).
    public let expected: Double
    /// The group's cases at the earlier stage (over the basis), what E is worked out from.
    public let denominator: Int
    /// O/E, nil when nothing was expected.
    public let ratio: Double?
    /// The exact (Garwood) Poisson 95% interval of O, divided by E.
    public let interval: ClosedRange<Double>?
    /// Low/high when O differs from E beyond chance after the table's correction.
    public let flag: RateFlag?
}

/// How a group's flag changes once case mix is allowed for.
public enum FlagChange: String, Sendable {
    /// Flagged before adjustment, not after: the difference is explained by case mix.
    case disappears
    /// Flagged only after adjustment: case mix was hiding it.
    case appears
    /// Flagged both ways, in opposite directions.
    case reverses

    /// The change from `crude` to `adjusted`, nil when there is none.
    public static func between(_ crude: RateFlag?, _ adjusted: RateFlag?) -> FlagChange? {
        switch (crude, adjusted) {
        case (nil, nil): nil
        case (.some, nil): .disappears
        case (nil, .some): .appears
        case let (a?, b?): a == b ? nil : .reverses
        }
    }
}

/// Indirect standardisation of step rates for the case mix of a second dimension (for example
/// crime type), as in Breslow and Day (1987, Statistical Methods in Cancer Research II, ch. 2).
public enum CaseMixAnalysis {
    /// Per step, per group (in the order of `groupCodes`' labels): the standardised rate of the
    /// step between `pairs`' stages, with strata from `strata`, flags corrected by `correction`.
    static func standardise(_ table: CaseTable, groupCodes: PackedColumn?, groupCount: Int, strata: DimensionColumn,
                            filter: CompiledFilter, pairs: [(Stage, Stage)], basis: RateBasis,
                            correction: MultipleComparison) -> (rates: [[StandardisedRate?]], comparisons: [Int]) {
        let strataCount = max(strata.labels.count, 1), stages = Stage.allCases.count
        // counts[(group × strata + stratum) × stages × 2 + furthest × 2 + open]
        var counts = [Int](repeating: 0, count: groupCount * strataCount * stages * 2)
        let open = UInt32(CaseOutcome.open.code)
        for row in 0..<table.rowCount where filter.keeps(row) {
            let group = groupCodes.map { Int($0[row]) } ?? 0
            let cell = (group * strataCount + Int(strata.codes[row])) * stages + Int(table.furthestStages[row])
            counts[cell * 2 + (table.outcomes[row] == open ? 1 : 0)] += Int(table.weights[row])
        }
        func reached(_ group: Int, _ stratum: Int, _ stage: Stage) -> Int {
            let base = (group * strataCount + stratum) * stages
            return (stage.rawValue..<stages).reduce(0) { $0 + counts[(base + $1) * 2] + counts[(base + $1) * 2 + 1] }
        }
        func openAt(_ group: Int, _ stratum: Int, _ stage: Stage) -> Int {
            counts[((group * strataCount + stratum) * stages + stage.rawValue) * 2 + 1]
        }
        var rates: [[StandardisedRate?]] = []
        var comparisons: [Int] = []
        for (from, to) in pairs {
            let moved = (0..<groupCount).map { g in (0..<strataCount).map { reached(g, $0, to) } }
            let at = (0..<groupCount).map { g in
                (0..<strataCount).map { reached(g, $0, from) - (basis == .closed ? openAt(g, $0, from) : 0) }
            }
            let stratumRates = (0..<strataCount).map { s -> Double in
                let n = at.reduce(0) { $0 + $1[s] }
                return n > 0 ? Double(moved.reduce(0) { $0 + $1[s] }) / Double(n) : 0
            }
            let parts = (0..<groupCount).map { g -> (observed: Int, expected: Double, denominator: Int) in
                (moved[g].reduce(0, +), zip(at[g], stratumRates).reduce(0) { $0 + Double($1.0) * $1.1 }, at[g].reduce(0, +))
            }
            let pValues = parts.map { part -> Double? in
                part.denominator >= Statistics.smallestTested ? ExactMethods.poissonPValue(part.observed, expected: part.expected) : nil
            }
            let rejected = correction.rejections(pValues)
            comparisons.append(pValues.compactMap { $0 }.count)
            rates.append(parts.indices.map { g in
                let part = parts[g]
                guard part.denominator > 0 else { return nil }
                let ratio = part.expected > 0 ? Double(part.observed) / part.expected : nil
                let interval = part.expected > 0 ? ExactMethods.poissonInterval(part.observed) : nil
                let flag: RateFlag? = rejected[g] ? (Double(part.observed) < part.expected ? .low : .high) : nil
                return StandardisedRate(observed: part.observed, expected: part.expected, denominator: part.denominator, ratio: ratio,
                                        interval: interval.map { ($0.lowerBound / part.expected)...($0.upperBound / part.expected) },
                                        flag: flag)
            })
        }
        return (rates, comparisons)
    }
}
