/// The funnel of all cases: each stage's count, step rate with its interval, open and closed cases.
public enum FunnelView: AnalysisDescriptor {
    public static let view = AnalysisView.funnel
    public static let parameters: [AnalysisParameter] = [.basis]
    public static let command = AnalysisCommandText(
        name: "funnel",
        abstract: "Print the attrition funnel of all cases: each stage's count, step rate with its 95% interval, open and closed cases.",
        discussion: "Example: attrition funnel cases.csv --filter crime_type=Rape --basis closed --format md")
    public static let page = AnalysisPageText(key: nil, paletteName: "funnel", paletteKeys: "Esc…", summary: "back to the funnel", isReviewerPage: false)

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis { .funnel(funnel) }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.funnel(analysis.asFunnel, filter: query.filter)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape { .stagesAsRows }

    /// In a terminal, the funnel reads down the page: its stages as rows, as the board layout has them.
    public static func ownRendering(_ format: AnalysisFormat, analysis: Analysis, query: AnalysisQuery) -> String? {
        guard format == .table else { return nil }
        return DataTableFormat.table.render(Publication.labelled(BoardLayout.table(table(analysis, query: query), view: view)))
    }
}
