/// One step's rate per quarter reported, by group.
public enum TrendView: AnalysisDescriptor {
    public static let view = AnalysisView.trend
    public static let parameters: [AnalysisParameter] = [.dimension, .step, .basis, .minN]
    /// The trend's columns: the quarter cases were reported in.
    public static let columns = BuiltInDimension.reportedQuarter.rawValue
    public static let command = AnalysisCommandText(
        name: "trend",
        abstract: "A step rate per quarter of report, for all cases or per group.",
        discussion: "Example: attrition trend cases.csv --by crime_type --step charged --basis closed")
    public static let page = AnalysisPageText(key: "T", paletteName: "trend", summary: "trend: a step rate per quarter reported")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        try CrossTabView.analysis(query, of: table, funnel: funnel, columns: columns)
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.crossTab(analysis.asCrossTab, title: "Trend by quarter reported", filter: query.filter, basis: query.basis,
                                reliability: query.reliability)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape { .pivot }
}
