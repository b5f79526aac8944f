/// Which cases a rate is read over (docs/contracts/case-journey-format.md, section 3).
public enum RateBasis: String, CaseIterable, Sendable {
    /// Every case that reached the earlier stage.
    case all
    /// Only cases that reached the earlier stage and are no longer open there.
    case closed
}

/// Weighted case counts for one group, by furthest stage and outcome.
public struct StageCounts: Equatable, Sendable {
    /// `cells[stage][outcome code]`: cases whose furthest stage and outcome these are.
    public let cells: [[Int]]

    /// Cases that reached `stage` (furthest stage at or beyond it).
    public func reached(_ stage: Stage) -> Int {
        cells[stage.rawValue...].reduce(0) { $0 + $1.reduce(0, +) }
    }

    /// Cases whose furthest stage is `stage` and which are still open there.
    public func open(at stage: Stage) -> Int { cells[stage.rawValue][Int(CaseOutcome.open.code)] }

    /// Cases whose furthest stage is `stage` and which were closed there without conviction.
    public func droppedOff(at stage: Stage) -> Int {
        cells[stage.rawValue].indices.reduce(0) { sum, code in
            CaseOutcome(code: UInt8(code)).isDropOff ? sum + cells[stage.rawValue][code] : sum
        }
    }

    /// Closed drop-offs at `stage` by reason, largest first.
    public func dropOffReasons(at stage: Stage) -> [(outcome: CaseOutcome, count: Int)] {
        cells[stage.rawValue].enumerated()
            .map { (CaseOutcome(code: UInt8($0.offset)), $0.element) }
            .filter { $0.0.isDropOff && $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.code < $1.0.code }
    }
}

/// The move from one stage to the next available one, for one group.
public struct StepRate: Equatable, Sendable {
    /// The earlier stage.
    public let from: Stage
    /// The later stage.
    public let to: Stage
    /// Cases at `to` out of cases at `from` (over the chosen basis).
    public let step: Proportion
    /// Cases at `to` out of all reported cases.
    public let cumulative: Proportion
    /// Whether this group's step rate is significantly low or high against the rest of the table.
    public let flag: RateFlag?
    /// The test behind the flag; nil where the group was not tested (the total, or fewer than 3 cases).
    public var test: GroupTest? = nil
    /// The step rate adjusted for case mix, when the funnel is adjusted.
    public var adjusted: StandardisedRate? = nil

    /// How the flag changes under case-mix adjustment; nil without adjustment or when it does not.
    public var flagChange: FlagChange? { adjusted == nil ? nil : FlagChange.between(flag, adjusted?.flag) }
}

/// One row of a funnel table: a group (or the total) with its counts and step rates.
public struct GroupFunnel: Sendable {
    /// The group's label (`Total` for the total row).
    public let name: String
    /// Counts by furthest stage and outcome.
    public let counts: StageCounts
    /// Step rates between consecutive available stages.
    public let steps: [StepRate]
}

/// A funnel for every group of one dimension (or for all cases), under a filter.
public struct Funnel: Sendable {
    /// The dimension grouped by; nil for a single overall funnel.
    public let dimension: String?
    /// Stages the file can speak to, in order.
    public let stages: [Stage]
    /// Which cases rates are read over.
    public let basis: RateBasis
    /// Why the stages missing from `stages` are not recorded (the source says nothing about them).
    public var unrecordedReason = CaseTable.defaultUnrecordedReason
    /// One row per group with at least one case after filtering, in the dimension's order.
    public private(set) var groups: [GroupFunnel]
    /// All filtered cases.
    public let total: GroupFunnel
    /// How flags are corrected for the number of groups compared.
    public var correction = MultipleComparison.holm
    /// Per step: how many groups were compared (the family the correction counts).
    public var comparisons: [Int] = []
    /// The dimension rates are adjusted for (indirect standardisation), if any.
    public var adjustedFor: String?
    /// Per step: how many groups were compared after adjustment.
    public var adjustedComparisons: [Int] = []

    /// Stages the source does not record, in order.
    public var unrecordedStages: [Stage] { Stage.allCases.filter { !stages.contains($0) } }

    /// One line saying which stages are not recorded and why, with stages named by `name`; nil when all are.
    public func unrecordedLine(_ name: (Stage) -> String = \.name) -> String? {
        unrecordedStages.isEmpty ? nil : "Not recorded: \(unrecordedStages.map(name).joined(separator: ", ")) (\(unrecordedReason))"
    }

    /// The stages a case can stop at (every stage but the last, conviction).
    public var stoppingStages: [Stage] { stages.filter { $0 != .convicted } }

    /// The same cases with no grouping: one group, `All cases`, as the funnel view has them.
    public var ungrouped: Funnel {
        let all = total.counts.reached(.reported) > 0 ? [GroupFunnel(name: "All cases", counts: total.counts, steps: total.steps)] : []
        var funnel = Funnel(dimension: nil, stages: stages, basis: basis, groups: all, total: total)
        funnel.unrecordedReason = unrecordedReason
        funnel.correction = correction
        funnel.comparisons = comparisons.map { _ in 0 }
        return funnel
    }

    /// The same funnel with its groups in the order `precedes` gives.
    public func reordered(by precedes: (GroupFunnel, GroupFunnel) -> Bool) -> Funnel {
        var funnel = self
        funnel.groups = groups.sorted(by: precedes)
        return funnel
    }
}

/// Builds funnels from a case table: pure functions of the table, the grouping and the filter.
public enum FunnelAnalysis {
    /// The funnel of `table` grouped by `dimension` (nil for none), counting the cases `filter`
    /// keeps; flags corrected by `correction`; with rates also adjusted for the case mix of
    /// `adjustFor` when given.
    public static func funnel(of table: CaseTable, by dimension: DimensionColumn?, filter: CaseFilter = CaseFilter(),
                              basis: RateBasis = .all, correction: MultipleComparison = .holm,
                              adjustFor: DimensionColumn? = nil) throws -> Funnel {
        try funnels(of: table, by: dimension, filter: filter, bases: [basis], correction: correction, adjustFor: adjustFor)[0]
    }

    /// The funnel of `table` grouped by `dimension` under each of `bases`, in that order, from one
    /// pass over the rows (a case's stage and outcome are counted alike under every basis; only
    /// the rates' denominators differ). Case-mix adjustment, when asked for, is in the first.
    public static func funnels(of table: CaseTable, by dimension: DimensionColumn?, filter: CaseFilter = CaseFilter(),
                               bases: [RateBasis], correction: MultipleComparison = .holm,
                               adjustFor: DimensionColumn? = nil) throws -> [Funnel] {
        let groupCount = max(dimension?.labels.count ?? 1, 1)
        let compiled = try filter.compiled(for: table)
        let groupCounts = tallies(table, groupCodes: dimension?.codes, groupCount: groupCount, filter: compiled).map(StageCounts.init(cells:))
        return bases.enumerated().map { index, basis in
            funnel(of: table, groupCounts, by: dimension, filter: compiled, basis: basis, correction: correction,
                   adjustFor: index == 0 ? adjustFor : nil)
        }
    }

    /// The funnel from counts already tallied per group.
    private static func funnel(of table: CaseTable, _ groupCounts: [StageCounts], by dimension: DimensionColumn?, filter compiled: CompiledFilter,
                               basis: RateBasis, correction: MultipleComparison, adjustFor: DimensionColumn?) -> Funnel {
        let groupCount = groupCounts.count
        let stages = table.availableStages
        let totalCounts = StageCounts(cells: (0..<Stage.allCases.count).map { stage in
            (0..<CaseOutcome.codeCount).map { code in groupCounts.reduce(0) { $0 + $1.cells[stage][code] } }
        })
        let present = groupCounts.indices.filter { groupCounts[$0].reached(.reported) > 0 }
        let pairs = Array(zip(stages, stages.dropFirst()))
        let totalSteps = pairs.map { proportion($0, $1, totalCounts, basis) }
        // flagSets[step]: each step's flags across the groups present, corrected across them
        let flagSets = pairs.indices.map { stepIndex in
            Statistics.flags(groups: present.map { proportion(pairs[stepIndex].0, pairs[stepIndex].1, groupCounts[$0], basis) },
                             total: totalSteps[stepIndex], correction: correction)
        }
        let adjustment = adjustFor.map {
            CaseMixAnalysis.standardise(table, groupCodes: dimension?.codes, groupCount: groupCount, strata: $0, filter: compiled,
                                        pairs: pairs, basis: basis, correction: correction)
        }
        let groups = present.enumerated().map { position, group in
            row(name: dimension?.labels[group] ?? "All cases", counts: groupCounts[group], pairs: pairs, basis: basis) { step in
                (flagSets[step].flags[position], flagSets[step].tests[position], adjustment?.rates[step][group])
            }
        }
        let total = row(name: "Total", counts: totalCounts, pairs: pairs, basis: basis) { _ in (nil, nil, nil) }
        var funnel = Funnel(dimension: dimension?.name, stages: stages, basis: basis, groups: groups, total: total)
        funnel.unrecordedReason = table.unrecordedReason
        funnel.correction = correction
        funnel.comparisons = flagSets.map(\.comparisons)
        funnel.adjustedFor = adjustFor?.name
        funnel.adjustedComparisons = adjustment?.comparisons ?? []
        return funnel
    }

    private static func row(name: String, counts: StageCounts, pairs: [(Stage, Stage)], basis: RateBasis,
                            extras: (Int) -> (RateFlag?, GroupTest?, StandardisedRate?)) -> GroupFunnel {
        let reported = counts.reached(.reported)
        let steps = pairs.enumerated().map { index, pair in
            let (flag, test, adjusted) = extras(index)
            var step = StepRate(from: pair.0, to: pair.1, step: proportion(pair.0, pair.1, counts, basis),
                                cumulative: Proportion(counts.reached(pair.1), of: reported), flag: flag)
            step.test = test
            step.adjusted = adjusted
            return step
        }
        return GroupFunnel(name: name, counts: counts, steps: steps)
    }

    /// Cases reaching `to` out of those reaching `from`; over closed cases, those still open at `from` are left out.
    static func proportion(_ from: Stage, _ to: Stage, _ counts: StageCounts, _ basis: RateBasis) -> Proportion {
        let denominator = counts.reached(from) - (basis == .closed ? counts.open(at: from) : 0)
        return Proportion(counts.reached(to), of: denominator)
    }

    /// `tally[group][stage][outcome]`: weighted cases kept by `filter`, in one pass over the rows
    /// (a block at a time, split across cores on a large table), counted by group and dense
    /// journey-state code. Each part counts into four interleaved copies of the tally when it is
    /// small, so that rows falling in the same cell one after another do not wait on each other's
    /// additions; the copies are added up, and the codes spelt out, at the end.
    private static func tallies(_ table: CaseTable, groupCodes: PackedColumn?, groupCount: Int,
                                filter: CompiledFilter) -> [[[Int]]] {
        let outcomes = CaseOutcome.codeCount, stages = Stage.allCases.count, keys = table.journeyStateKeys
        let stride = max(keys.count, 1)
        let weights = table.weights, states = table.journeyStates, filtered = !filter.isEmpty
        let size = groupCount * stride, lanes = size <= 16_384 ? 4 : 1
        let flat = RowScan.tally(rows: table.rowCount, cells: size * lanes) { rows, buffers, cells in
            if filtered { filter.mark(rows, in: buffers) }
            let group = buffers.first, state = buffers.second, weight = buffers.third, keep = buffers.mask
            // The usual table: one-byte groups and journey states, every row counting one, read in
            // place. Under a filter the rows kept are listed first (without a branch), so a filter
            // that keeps few rows costs few additions.
            if weights.width == 0, let codes = groupCodes?.bytes(rows), let journeys = states.bytes(rows) {
                let constant = Int(weights.constant), count = rows.count
                @inline(__always) func cell(_ lane: Int, _ row: Int) -> Int {
                    (lane & (lanes - 1)) &* size &+ Int(codes[row]) &* stride &+ Int(journeys[row])
                }
                if filtered {
                    let kept = buffers.fourth
                    var keptCount = 0
                    for index in 0..<count {
                        kept[keptCount] = UInt32(truncatingIfNeeded: index)
                        keptCount &+= Int(keep[index])
                    }
                    for position in 0..<keptCount { cells[cell(position, Int(kept[position]))] &+= constant }
                } else if lanes == 4 {
                    // Four rows a turn, each into its own copy of the tally.
                    let base = cells.baseAddress!
                    let copies = (base, base + size, base + 2 &* size, base + 3 &* size)
                    @inline(__always) func at(_ row: Int) -> Int { Int(codes[row]) &* stride &+ Int(journeys[row]) }
                    var index = 0
                    while index &+ 4 <= count {
                        copies.0[at(index)] &+= constant
                        copies.1[at(index &+ 1)] &+= constant
                        copies.2[at(index &+ 2)] &+= constant
                        copies.3[at(index &+ 3)] &+= constant
                        index &+= 4
                    }
                    while index < count { copies.0[at(index)] &+= constant; index &+= 1 }
                } else {
                    for index in 0..<count { cells[cell(index, index)] &+= constant }
                }
                return
            }
            if let groupCodes { groupCodes.decode(rows, into: group) } else { group.update(repeating: 0, count: rows.count) }
            states.decode(rows, into: state)
            if weights.width > 0 { weights.decode(rows, into: weight) }
            let constant = Int(weights.constant), count = rows.count
            func cell(_ index: Int) -> Int { (index & (lanes - 1)) &* size &+ Int(group[index]) &* stride &+ Int(state[index]) }
            switch (filtered, weights.width > 0) {
            case (false, false): for index in 0..<count { cells[cell(index)] &+= constant }
            case (true, false): for index in 0..<count { cells[cell(index)] &+= constant &* Int(keep[index]) }
            case (false, true): for index in 0..<count { cells[cell(index)] &+= Int(weight[index]) }
            case (true, true): for index in 0..<count { cells[cell(index)] &+= Int(weight[index]) &* Int(keep[index]) }
            }
        }
        return (0..<groupCount).map { group in
            var cells = [[Int]](repeating: [Int](repeating: 0, count: outcomes), count: stages)
            for (code, key) in keys.enumerated() {
                let at = group * stride + code
                cells[key / outcomes][key % outcomes] += (0..<lanes).reduce(0) { $0 + flat[$1 * size + at] }
            }
            return cells
        }
    }
}
