/// The share of cases reaching a stage within so many days of report, open cases censored.
public enum SurvivalView: AnalysisDescriptor {
    public static let view = AnalysisView.survival
    public static let parameters: [AnalysisParameter] = [.dimension, .targetStage, .days]
    public static let formats: [AnalysisFormat] = [.table, .csv, .json]
    public static let command = AnalysisCommandText(
        name: "survival",
        abstract: "Per group, the share of cases reaching a stage within D days of report (Aalen–Johansen: open cases censored at the as-of date, closing short of the stage a competing event).",
        discussion: """
        Unlike a step rate over all cases, recent cases are not counted as failures: a case still \
        open is followed only up to the as-of date (--as-of, default the latest date in the data).
        Example: attrition survival cases.csv --by bcu --stage charged --days 365 --filter crime_type=Rape --format json
        """)
    public static let page = AnalysisPageText(key: "C", paletteName: "survival",
                                              summary: "time to a stage: share reaching it within D days, open cases censored")

    public static func analysis(_ query: AnalysisQuery, of table: CaseTable, funnel: Funnel) throws -> Analysis {
        try table.requireCaseDates(for: "the survival view")
        return .survival(try SurvivalAnalysis.survival(of: table, by: table.requireDimension(query.dimension), stage: query.survivalStage(table),
                                                       days: query.days, asOf: query.asOf, filter: query.filter))
    }

    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        AnalysisTables.survival(analysis.asSurvival, filter: query.filter)
    }

    public static func board(_ tidy: TidyReader) -> BoardShape {
        .columns([tidy.groupColumn, .count(.field(.cases), "Cases"), .percent(.field(.reached), "Reached"), .interval(.field(.reached), "95% CI"),
                  .count(.field(.reachedStage), "Reached the stage"), .count(.field(.closedBefore), "Closed before it"),
                  .count(.field(.openCensored), "Still open (censored)")])
    }

    public static func ownRendering(_ format: AnalysisFormat, analysis: Analysis, query: AnalysisQuery) -> String? {
        format == .json ? SurvivalRendering.json(analysis.asSurvival).text + "\n" : nil
    }
}

/// The tidy layout of this view's figures.
extension AnalysisTables {
    /// The share of cases reaching a stage within the days asked for, per group, open cases censored.
    static func survival(_ survival: SurvivalTable, filter: CaseFilter) -> DataTable {
        let rows = (survival.groups.map { ($0, false) } + [(survival.total, true)]).map { group, isTotal in
            TableRow([.text(group.name), .count(group.cases), .rate(group.reached), .rate(group.interval?.lowerBound),
                      .rate(group.interval?.upperBound), .count(group.events), .count(group.competing), .count(group.censored),
                      .count(group.leftOut)], isTotal: isTotal)
        }
        let ended: [ColumnKey] = [.field(.reachedStage), .field(.closedBefore), .field(.openCensored)]
        let estimate = ColumnRole.derived(from: ended)
        return DataTable(
            title: "Reached \(survival.stage.title) within \(survival.days) days of report, by \(survival.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: nil, reliability: nil) + [
                "reached: Aalen–Johansen cumulative incidence by day \(survival.days); closing before the stage is a competing event; "
                    + "cases still open are censored at the as-of date \(survival.asOf.iso)",
                "ci: 95% interval, delta-method variance on the log(−log) scale",
                "reached_stage, closed_before, open_censored: how each case's follow-up ended (any day); left_out: the stage reached with no usable date",
            ],
            columns: [TableColumn(.group(survival.dimension), .group),
                      TableColumn(.field(.cases), .count(parts: ended + [.field(.leftOut)])),
                      TableColumn(.field(.reached), estimate), TableColumn(.field(.ciLow), estimate), TableColumn(.field(.ciHigh), estimate)]
                + (ended + [.field(.leftOut)]).map { TableColumn($0, .count(parts: [])) },
            rows: rows)
    }
}
