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

/// The tidy layout of this view's figures.
extension AnalysisTables {
    /// Days from report to each later stage: quartiles of timed cases, the rest counted apart.
    static func timing(_ timing: TimingTable, filter: CaseFilter) -> DataTable {
        let rows = (timing.groups.map { ($0, false) } + [(timing.total, true)]).flatMap { group, isTotal in
            group.stages.map { stage in
                TableRow([.text(group.name), .text(stage.stage.name), .count(stage.timed), .days(stage.quartiles?.q1),
                          .days(stage.quartiles?.median), .days(stage.quartiles?.q3), .count(stage.undated), .count(stage.outOfOrder),
                          .count(stage.stillOpen), .days(stage.censoredMedian)], isTotal: isTotal)
            }
        }
        let quartile = ColumnRole.derived(from: [.field(.timed)])
        return DataTable(
            title: "Days from report to each stage, by \(timing.dimension)",
            notes: notes(filter: filter, basis: nil, reliability: nil)
                + ["Quartiles of cases with both dates; cases without a stage date, with dates out of order, or still open are counted apart, never averaged in",
                   "km_median_days: Kaplan–Meier median over the timed cases and those still open short of the stage, censored at "
                       + "\(timing.asOf?.iso ?? "the as-of date"); empty while fewer than half have reached the stage"],
            columns: [TableColumn(.group(timing.dimension), .group), TableColumn(.field(.stage), .label), TableColumn(.field(.timed), .count(parts: [])),
                      TableColumn(.field(.q1Days), quartile), TableColumn(.field(.medianDays), quartile), TableColumn(.field(.q3Days), quartile),
                      TableColumn(.field(.noDate), .count(parts: [])), TableColumn(.field(.datesOutOfOrder), .count(parts: [])),
                      TableColumn(.field(.stillOpen), .count(parts: [])),
                      TableColumn(.field(.kmMedianDays), .derived(from: [.field(.timed), .field(.stillOpen)]))],
            rows: rows)
    }
}
