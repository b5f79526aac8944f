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

    /// The row labels, in order (the groups of the dimension, or the cross-tab's rows).
    public var groupNames: [String] {
        switch self {
        case .funnel(let funnel): funnel.groups.map(\.name)
        case .reasons(let reasons): reasons.groups.map(\.name)
        case .timing(let timing): timing.groups.map(\.name)
        case .comparison(let comparison): comparison.points.map(\.name)
        case .crossTab(let tab): tab.rows
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
    /// The reference group, nil for the overall rate.
    public let reference: String?

    /// The comparison of step `step` of `funnel` against `reference` (a group's name, matched
    /// ignoring case and spacing) or, when nil, the overall rate.
    public init(_ funnel: Funnel, step: Int, reference: String?) throws {
        let referenceGroup = try reference.map { name in
            guard let group = funnel.groups.first(where: { CategoryKey.of($0.name) == CategoryKey.of(name) }) else {
                throw QueryError.unknownValue(name, dimension: funnel.dimension ?? "group", known: funnel.groups.map(\.name))
            }
            return group
        }
        let against = (referenceGroup ?? funnel.total).steps[step].step
        self.funnel = funnel
        self.step = step
        points = Comparison.funnelPlot(funnel, step: step)
        disparities = points.map { Comparison.disparity($0.proportion, against: against) }
        self.reference = referenceGroup?.name
    }

    /// The overall step: its stages and rate.
    public var overall: StepRate { funnel.total.steps[step] }

    /// The rate disparities are taken against.
    public var referenceRate: Proportion {
        (funnel.groups.first { $0.name == reference } ?? funnel.total).steps[step].step
    }
}
