/// What to show, in one value: the view and everything that shapes it. The interface's pages,
/// the command line's analyses and exports all describe what they show with it, and work it out
/// through `analysis(of:)` and `table(of:)`.
public struct AnalysisQuery: Equatable, Sendable {
    /// The view.
    public var view: AnalysisView
    /// The dimension grouped by (ignored by the funnel view).
    public var dimension: String
    /// The heatmap's column dimension.
    public var columns: String
    /// The step, by the stage it leads to (compare, heatmap, trend; nil for the first step), or the
    /// stage cases stopped at (reasons; nil for every stage).
    public var stage: Stage?
    /// The cases kept.
    public var filter: CaseFilter
    /// Which cases rates are read over.
    public var basis: RateBasis
    /// Small-number threshold for `reliable` columns.
    public var reliability: Reliability
    /// A reference group for disparity ratios (compare).
    public var reference: String?
    /// The order of the breakdown's groups as shown (a sorted table), or nil for the dimension's order.
    public var groupOrder: [String]?
    /// How flags are corrected for the number of groups compared.
    public var correction: MultipleComparison
    /// A dimension whose case mix rates are adjusted for (indirect standardisation), or nil.
    public var adjust: String?
    /// How the funnel plot's limits allow for overdispersion (compare).
    public var overdispersion: OverdispersionModel
    /// Days from report the survival view reads its figure at.
    public var days: Int
    /// The as-of date time-to-event figures censor open cases at; nil for the latest date in the data.
    public var asOf: DayNumber?
    /// The scorecard's measures.
    public var measures = MeasureSet.builtIn
    /// How the scorecard counts cases.
    public var counting = CountingBasis.cohort
    /// The period the scorecard counts, nil for all time.
    public var period: ReportingPeriod?
    /// The scorecard's baseline period, if any.
    public var baseline: ReportingPeriod?

    /// A query for `view` with the defaults of the command line.
    public init(view: AnalysisView, dimension: String = BuiltInDimension.crimeType.rawValue,
                columns: String = BuiltInDimension.bcu.rawValue, stage: Stage? = nil, filter: CaseFilter = CaseFilter(),
                basis: RateBasis = .all, reliability: Reliability = Reliability(), reference: String? = nil,
                groupOrder: [String]? = nil, correction: MultipleComparison = .holm, adjust: String? = nil,
                overdispersion: OverdispersionModel = .none, days: Int = 365, asOf: DayNumber? = nil) {
        self.view = view
        self.dimension = dimension
        self.columns = columns
        self.stage = stage
        self.filter = filter
        self.basis = basis
        self.reliability = reliability
        self.reference = reference
        self.groupOrder = groupOrder
        self.correction = correction
        self.adjust = adjust
        self.overdispersion = overdispersion
        self.days = days
        self.asOf = asOf
    }

    /// The figures this query describes, worked out from `table`. `grouped`, when given, is the
    /// funnel of this query's grouping, filter and basis already worked out (the interface keeps one).
    public func analysis(of table: CaseTable, grouped: Funnel? = nil) throws -> Analysis {
        try view.descriptor.analysis(self, of: table, funnel: try ordered(grouped ?? self.funnel(of: table)))
    }

    /// The funnel of this query's cases: overall for the funnel view, else by its dimension.
    public func funnel(of table: CaseTable) throws -> Funnel {
        let grouping = view == .funnel ? nil : try table.requireDimension(dimension)
        if let adjust, grouping != nil, adjust.lowercased() == dimension.lowercased() {
            throw QueryError.notAnswerable("--adjust \(adjust) is the dimension grouped by: adjust for another one (for example crime_type)")
        }
        return try ordered(FunnelAnalysis.funnel(of: table, by: grouping, filter: filter, basis: basis, correction: correction,
                                                 adjustFor: grouping == nil ? nil : adjust.map(table.requireDimension)))
    }

    /// `funnel` with its groups in `groupOrder`, when one is set.
    private func ordered(_ funnel: Funnel) -> Funnel {
        guard let groupOrder else { return funnel }
        let rank = Dictionary(groupOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        return funnel.reordered { (rank[$0.name] ?? Int.max, $0.name) < (rank[$1.name] ?? Int.max, $1.name) }
    }

    /// The data table this query describes, worked out from `table`.
    public func table(of table: CaseTable) throws -> DataTable {
        AnalysisTables.table(try analysis(of: table), query: self)
    }

    /// The stage the survival view measures time to: the one asked for, else the first after report.
    public func survivalStage(_ table: CaseTable) -> Stage {
        stage ?? table.availableStages.first { $0 != .reported } ?? .referred
    }

    /// The index of this query's step among `funnel`'s steps; a clear error when the file has no
    /// step at all or not the one asked for.
    public func step(in funnel: Funnel) throws -> Int {
        guard !funnel.total.steps.isEmpty else {
            throw QueryError.notAnswerable(
                "this file records only the \(funnel.stages.first?.name ?? "reported") stage, so there is no step between stages to show; "
                    + "add a later stage's date or outcome column (docs/data-format.md)")
        }
        guard let stage else { return 0 }
        guard let index = funnel.total.steps.firstIndex(where: { $0.to == stage }) else {
            throw QueryError.unknownValue(stage.name, dimension: "step", known: funnel.total.steps.map(\.to.name))
        }
        return index
    }

    /// The settings behind the figures, as named values for metadata: view, grouping, step,
    /// filters, maturity, basis, reference and small-number rule, each only where the view reads it.
    public var settings: [(String, String)] {
        let takes = view.descriptor.takes
        var values: [(String, String)] = [("view", view.rawValue)]
        if takes(.dimension) { values.append(("dimension", dimension)) }
        if takes(.columns) { values.append(("columns", columns)) }
        if view == .trend { values.append(("columns", TrendView.columns)) }
        if takes(.step), view != .breakdown { values.append(("step", stage.map { "into \($0.name)" } ?? "the first step")) }
        if takes(.stoppedAt) { values.append(("stage", stage?.name ?? "every stage")) }
        if takes(.targetStage) { values.append(("stage", stage?.name ?? "the first after report")) }
        if takes(.days) { values.append(("days", String(days))) }
        if takes(.measures) {
            values += [("measures", measures.source), ("counting", counting.rawValue), ("period", period?.label ?? "all time"),
                       ("baseline", baseline?.label ?? "none")]
        }
        if [.survival, .timing].contains(view) { values.append(("as_of", asOf?.iso ?? "the latest date in the data")) }
        var dimensionFilter = filter
        dimensionFilter.reportedBy = nil
        values.append(("filters", dimensionFilter.summary))
        values.append(("maturity", filter.reportedBy.map { "only cases reported on or before \($0.iso)" } ?? "none: every case counts"))
        values.append(("rate_basis", !takes(.basis) ? "not applicable"
            : basis == .all ? "all cases" : "closed cases (those still open at the earlier stage left out)"))
        if takes(.reference) { values.append(("reference", reference ?? "the rest of the table")) }
        if takes(.overdispersion) { values.append(("overdispersion", overdispersion.rawValue)) }
        if takes(.correction) { values.append(("multiple_comparisons", correction.name)) }
        if takes(.adjust) { values.append(("adjusted_for", adjust ?? "nothing")) }
        if takes(.minN) { values.append(("reliable", "denominators of \(reliability.minimumDenominator) or more")) }
        return values
    }
}
