/// The views of the data: what the interface's analysis pages show, what the command line
/// prints and what an export holds. One view, one analysis, one table layout.
public enum AnalysisView: String, CaseIterable, Sendable {
    /// The overall funnel.
    case funnel
    /// The funnel by one dimension.
    case breakdown
    /// Why cases stopped, by group and stage.
    case reasons
    /// Days from report to each stage, by group.
    case timing
    /// One step's rate by group: intervals, flags, funnel-plot position, disparity.
    case compare
    /// One step's rate by two dimensions.
    case heatmap
    /// One step's rate by quarter reported, by group.
    case trend
    /// The share of cases reaching a stage within so many days of report, open cases censored.
    case survival
    /// The performance framework's measures against their targets, by group.
    case scorecard

    /// Whether the view is of one step between stages (and so needs a file with two stages at
    /// least): the views whose rates are marked reliable or not.
    public var isOfOneStep: Bool { descriptor.takes(.minN) }
}

extension AnalysisView {
    /// The descriptor of this view: the registry of analyses. A new view is a case above, a line
    /// here (the compiler asks for it), its descriptor in this folder and its page in the interface.
    public var descriptor: any AnalysisDescriptor.Type {
        switch self {
        case .funnel: FunnelView.self
        case .breakdown: BreakdownView.self
        case .reasons: ReasonsView.self
        case .timing: TimingView.self
        case .compare: CompareView.self
        case .heatmap: HeatmapView.self
        case .trend: TrendView.self
        case .survival: SurvivalView.self
        case .scorecard: ScorecardView.self
        }
    }
}

