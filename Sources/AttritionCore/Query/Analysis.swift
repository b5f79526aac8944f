/// The figures of one query, before they become a table: what the interface draws and what
/// `AnalysisTables` lays out for every other output.
public enum Analysis: Sendable {
    /// A funnel, overall or by group (the funnel and breakdown views).
    case funnel(Funnel)
    /// Reason mixes by group and stage.
    case reasons(ReasonTable)
    /// Days from report to each stage, by group.
    case timing(TimingTable)
    /// One step's rate by group, with funnel-plot limits and disparity ratios.
    case comparison(ComparisonTable)
    /// One step's rate by two dimensions (heatmap, or trend by report quarter).
    case crossTab(CrossTab)
    /// The share of cases reaching a stage within so many days, by group, open cases censored.
    case survival(SurvivalTable)
    /// The performance framework's measures by group.
    case scorecard(Scorecard)

    /// The row labels, in order (the groups of the dimension, or the cross-tab's rows).
    public var groupNames: [String] {
        switch self {
        case .funnel(let funnel): funnel.groups.map(\.name)
        case .reasons(let reasons): reasons.groups.map(\.name)
        case .timing(let timing): timing.groups.map(\.name)
        case .comparison(let comparison): comparison.points.map(\.name)
        case .crossTab(let tab): tab.rows
        case .survival(let survival): survival.groups.map(\.name)
        case .scorecard(let scorecard): scorecard.groupNames
        }
    }
}

/// The reason mix of every group, and of all cases, at each stage asked for.
public struct ReasonTable: Sendable {
    /// One group's mixes, one per stage of `stages`.
    public typealias Row = (name: String, mixes: [ReasonMix])

    /// The dimension grouped by, nil for all cases.
    public let dimension: String?
    /// The stages cases stopped at.
    public let stages: [Stage]
    /// One row per group.
    public let groups: [Row]
    /// All cases.
    public let total: Row

    /// The mixes of `funnel`'s groups and total at `stages`.
    public init(_ funnel: Funnel, stages: [Stage]) {
        let row = { (group: GroupFunnel) -> Row in (group.name, stages.map { ReasonAnalysis.mix(group.counts, at: $0) }) }
        dimension = funnel.dimension
        self.stages = stages
        groups = funnel.groups.map(row)
        total = row(funnel.total)
    }
}

/// Timings of every group and of all cases.
public struct TimingTable: Sendable {
    /// The dimension grouped by.
    public let dimension: String
    /// One entry per group.
    public let groups: [GroupTiming]
    /// All cases.
    public let total: GroupTiming
    /// The date open cases are censored at for the Kaplan–Meier medians.
    public let asOf: DayNumber?
}

/// One step's rate per group, placed on a funnel plot and set against a reference rate.
public struct ComparisonTable: Sendable {
    /// The funnel the step belongs to.
    public let funnel: Funnel
    /// The step's index among the funnel's steps.
    public let step: Int
    /// Groups with a rate, on the funnel plot around the overall rate.
    public let points: [FunnelPlotPoint]
    /// Each point's rate over the reference rate.
    public let disparities: [Disparity?]
    /// The reference group, nil for the rest of the table (every other group together).
    public let reference: String?
    /// The groups' overdispersion at this step, and how the limits allow for it (nil with fewer than two groups).
    public let overdispersion: Overdispersion?

    /// The comparison of step `step` of `funnel` against `reference` (a group's name, matched
    /// ignoring case and spacing) or, when nil, each group against the rest of the table, with
    /// funnel-plot limits under `model`.
    public init(_ funnel: Funnel, step: Int, reference: String?, model: OverdispersionModel = .none) throws {
        let referenceGroup = try reference.map { name in
            guard let group = funnel.groups.first(where: { CategoryKey.of($0.name) == CategoryKey.of(name) }) else {
                throw QueryError.unknownValue(name, dimension: funnel.dimension ?? "group", known: funnel.groups.map(\.name))
            }
            return group
        }
        let total = funnel.total.steps[step].step
        self.funnel = funnel
        self.step = step
        (points, overdispersion) = Comparison.funnelPlot(funnel, step: step, model: model)
        disparities = points.map { point in
            let against = referenceGroup?.steps[step].step
                ?? Proportion(total.count - point.proportion.count, of: total.total - point.proportion.total)
            return referenceGroup?.name == point.name ? nil : Comparison.disparity(point.proportion, against: against)
        }
        self.reference = referenceGroup?.name
    }

    /// The overall step: its stages and rate.
    public var overall: StepRate { funnel.total.steps[step] }
}

/// Each kind of figures, for the descriptor whose analysis made them: asking for another kind is
/// a programming error, stopped at once.
extension Analysis {
    /// The funnel (funnel and breakdown views).
    public var asFunnel: Funnel { if case .funnel(let value) = self { value } else { mismatch("a funnel") } }
    /// The reason mixes.
    public var asReasons: ReasonTable { if case .reasons(let value) = self { value } else { mismatch("reasons") } }
    /// The timings.
    public var asTiming: TimingTable { if case .timing(let value) = self { value } else { mismatch("timings") } }
    /// The comparison of one step.
    public var asComparison: ComparisonTable { if case .comparison(let value) = self { value } else { mismatch("a comparison") } }
    /// The cross-tabulated rate.
    public var asCrossTab: CrossTab { if case .crossTab(let value) = self { value } else { mismatch("a cross-tab") } }
    /// The survival shares.
    public var asSurvival: SurvivalTable { if case .survival(let value) = self { value } else { mismatch("survival shares") } }
    /// The scorecard.
    public var asScorecard: Scorecard { if case .scorecard(let value) = self { value } else { mismatch("a scorecard") } }

    private func mismatch(_ wanted: String) -> Never {
        preconditionFailure("a descriptor asked for \(wanted) from figures of another view")
    }
}
