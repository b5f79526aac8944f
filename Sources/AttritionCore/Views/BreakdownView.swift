/// The funnel by one dimension: a row per group, every step's rate with its interval and flag.
public enum BreakdownView: AnalysisDescriptor {
    public static let view = AnalysisView.breakdown
    public static let parameters: [AnalysisParameter] = [.dimension, .step, .basis, .adjust, .correction]
    public static let command = AnalysisCommandText(
        name: "summary", aliases: ["breakdown"],
        abstract: "Print the attrition funnel of a case file, one row per group of a dimension.",
        discussion: """
        Dimensions: crime_type, bcu, borough, victim_sex, victim_age_band, victim_ethnicity, \
        victim_disability, victim_relationship, repeat_victim, reported_year, reported_quarter, \
        reported_month, and every extra column of the file.

        Examples:
          attrition summary cases.csv --by bcu
          attrition summary cases.csv --by victim_age_band --filter crime_type=Rape --format csv
          attrition summary cases.csv --by victim_relationship --adjust crime_type
        """)
    public static let page = AnalysisPageText(key: "b", paletteName: "breakdown", paletteKeys: "b [ ]", summary: "breakdown by a dimension", isReviewerPage: false)

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis { .funnel(funnel) }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.funnel(analysis.asFunnel, filter: query.filter)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape {
        .columns([tidy.groupColumn, .count(.reached(.reported), "Reported")]
            + tidy.steps.flatMap { from, to in [BoardColumn.rate(.step(from, to, .rate), to.title), .interval(.step(from, to, .rate), "95% CI")] })
    }

    /// The summary's terminal table and JSON keep the shape of docs/contracts/case-journey-format.md, section 8.
    public static func ownRendering(_ format: AnalysisFormat, analysis: Analysis, query: AnalysisQuery) -> String? {
        switch format {
        case .table: SummaryFormat.table.render(analysis.asFunnel, filter: query.filter)
        case .json: SummaryFormat.json.render(analysis.asFunnel, filter: query.filter)
        case .csv, .md, .xlsx: nil
        }
    }
}
