/// One step's rate by group: interval, flag, funnel-plot position and disparity ratio.
public enum CompareView: AnalysisDescriptor {
    public static let view = AnalysisView.compare
    public static let parameters: [AnalysisParameter] = [.dimension, .step, .basis, .minN, .adjust, .correction, .reference, .overdispersion]
    public static let defaultDimension = BuiltInDimension.bcu.rawValue
    public static let command = AnalysisCommandText(
        name: "compare",
        abstract: "One step's rate per group with its 95% interval, low/high flag, funnel-plot position and disparity ratio.",
        discussion: """
        --step names the stage the step leads to (referred, charged, prosecuted, convicted).
        Example: attrition compare cases.csv --by bcu --step referred --filter crime_type=Rape --reference "North West"
        """)
    public static let page = AnalysisPageText(key: "p", paletteName: "plot", summary: "funnel plot: a step rate against group size")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        .comparison(try ComparisonTable(funnel, step: query.step(in: funnel), reference: query.reference, model: query.overdispersion))
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.comparison(analysis.asComparison, filter: query.filter, reliability: query.reliability)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape {
        .columns([tidy.groupColumn, .rate(.field(.rate), "Step rate"), .interval(.field(.rate), "95% CI"),
                  .label(.field(.funnelPosition), "Funnel plot"), .ratio(.field(.disparity), "Disparity ratio"),
                  .label(.field(.reliable), "Reliable")])
    }
}
