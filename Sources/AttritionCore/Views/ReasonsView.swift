/// Why cases stopped, by group and stage: outcomes grouped as analysts group them.
public enum ReasonsView: AnalysisDescriptor {
    public static let view = AnalysisView.reasons
    public static let parameters: [AnalysisParameter] = [.dimension, .stoppedAt]
    public static let command = AnalysisCommandText(
        name: "reasons",
        abstract: "Why cases stopped at each stage, per group: outcomes grouped as analysts group them, with counts and shares.",
        discussion: "Example: attrition reasons cases.csv --by bcu --stage reported --filter crime_type=Rape")
    public static let page = AnalysisPageText(key: "r", paletteName: "reasons", summary: "why cases stopped, group by group")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        let stopping = funnel.stoppingStages
        if let stage = query.stage, !stopping.contains(stage) {
            throw QueryError.unknownValue(stage.name, dimension: "stage cases stop at", known: stopping.map(\.name))
        }
        return .reasons(ReasonTable(funnel, stages: query.stage.map { [$0] } ?? stopping))
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.reasons(analysis.asReasons, filter: query.filter)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape {
        .columns([tidy.groupColumn, .label(.field(.stage), "Stopped at"), .label(.field(.reason), "Reason"),
                  .rate(.field(.share), "Share of cases closed there"), .count(.field(.openAtStage), "Still open there")])
    }
}
