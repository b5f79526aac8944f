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

/// The tidy layout of this view's figures.
extension AnalysisTables {
    /// Reason mixes at every stage asked for, for each group and the total: long format.
    static func reasons(_ reasons: ReasonTable, filter: CaseFilter) -> DataTable {
        let rows = (reasons.groups.map { ($0, false) } + [(reasons.total, true)]).flatMap { group, isTotal in
            zip(reasons.stages, group.mixes).flatMap { stage, mix in
                mix.counts.map { reason, count in
                    TableRow([.text(group.name), .text(stage.name), .text(reason.name), .count(count), .count(mix.closed),
                              .rate(Proportion(count, of: mix.closed).rate), .count(mix.open)], isTotal: isTotal)
                }
            }
        }
        return DataTable(
            title: "Why cases stopped, by \(reasons.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: nil, reliability: nil)
                + ["share = cases closed for the reason / all cases closed at that stage; open cases are counted apart"],
            columns: [TableColumn(.group(reasons.dimension), .group), TableColumn(.field(.stage), .label), TableColumn(.field(.reason), .label),
                      TableColumn(.field(.count), .count(parts: [])),
                      TableColumn(.field(.closedAtStage), .repeated(across: .field(.reason), sumOf: .field(.count))),
                      TableColumn(.field(.share), .rate(numerator: .field(.count), denominator: .field(.closedAtStage))),
                      TableColumn(.field(.openAtStage), .repeated(across: .field(.reason), sumOf: nil))],
            rows: rows)
    }
}
