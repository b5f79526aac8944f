/// The performance framework's measures by crime type and group, against their targets.
public enum ScorecardView: AnalysisDescriptor {
    public static let view = AnalysisView.scorecard
    public static let parameters: [AnalysisParameter] = [.dimension, .measures, .period, .baseline, .counting]
    public static let defaultDimension = BuiltInDimension.bcu.rawValue
    public static let formats: [AnalysisFormat] = [.table, .csv, .json, .md, .xlsx]
    public static let command = AnalysisCommandText(
        name: "scorecard",
        abstract: "Each measure of the VAWG performance framework (or --measures FILE) per crime type and group, with its 95% interval, target and status: met, not met or uncertain.",
        discussion: """
        Periods: a financial year (2021-22), a quarter (2023-Q1), a year (2023) or a month (2023-04).
        Examples:
          attrition scorecard cases.csv --by bcu
          attrition scorecard cases.csv --by bcu --period 2023-24 --baseline 2021-22 --format json
          attrition scorecard cases.csv --by bcu --count period --period 2023-24 --format xlsx --out scorecard.xlsx
        """)
    public static let page = AnalysisPageText(key: "K", paletteName: "scorecard",
                                              summary: "scorecard: the VAWG framework's measures against their targets, by group")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        .scorecard(try ScorecardAnalysis.scorecard(of: table, by: table.requireDimension(query.dimension), filter: query.filter,
                                                   measures: query.measures, counting: query.counting, period: query.period,
                                                   baseline: query.baseline))
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        ScorecardOutput.table(analysis.asScorecard, filter: query.filter)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape {
        .columns([.label(.field(.measure), "Measure"), .label(.field(.crimeType), "Crime type"), tidy.groupColumn,
                  .rate(.field(.rate), "Rate"), .interval(.field(.rate), "95% CI"), .target, .label(.field(.status), "Status")]
                 + (tidy.has(.field(.baselineRate)) ? [.rate(.field(.baselineRate), "Baseline"), .change] : []))
    }

    public static func ownRendering(_ format: AnalysisFormat, analysis: Analysis, query: AnalysisQuery) -> String? {
        format == .json ? ScorecardOutput.json(analysis.asScorecard).text + "\n" : nil
    }
}
