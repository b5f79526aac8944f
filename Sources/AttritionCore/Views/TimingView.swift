/// Days from report to each later stage, by group: quartiles of completed cases, the rest apart.
public enum TimingView: AnalysisDescriptor {
    public static let view = AnalysisView.timing
    public static let parameters: [AnalysisParameter] = [.dimension]
    public static let command = AnalysisCommandText(
        name: "timing",
        abstract: "Days from report to referral, charge, first hearing and conviction per group: median and quartiles, open cases apart.",
        discussion: "Example: attrition timing cases.csv --by crime_type --format csv")
    public static let page = AnalysisPageText(key: "t", paletteName: "timing", summary: "days from report to each stage")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        try table.requireCaseDates(for: "the timing view")
        let timings = try TimingAnalysis.timings(of: table, by: table.requireDimension(query.dimension), filter: query.filter, asOf: query.asOf)
        return .timing(TimingTable(dimension: query.dimension, groups: timings.groups, total: timings.total, asOf: query.asOf ?? table.latestDate))
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.timing(analysis.asTiming, filter: query.filter)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape {
        .columns([tidy.groupColumn, .label(.field(.stage), "Stage"), .count(.field(.timed), "Cases timed"),
                  .days(.field(.medianDays), "Median days"), .quartiles, .count(.field(.stillOpen), "Still open"),
                  .count(.field(.noDate), "No date"), .days(.field(.kmMedianDays), "Median days, open cases censored")])
    }
}
