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

/// The tidy layout of this view's figures.
extension AnalysisTables {
    /// One step's rate per group with its interval, flag, funnel-plot position and disparity ratio.
    static func comparison(_ comparison: ComparisonTable, filter: CaseFilter, reliability: Reliability) -> DataTable {
        let funnel = comparison.funnel, step = comparison.step
        let plotted = Dictionary(uniqueKeysWithValues: zip(comparison.points, comparison.disparities).map { ($0.name, ($0, $1)) })
        let rows = funnel.groups.map { group in
            let proportion = group.steps[step].step
            let interval = proportion.wilson95
            let (point, disparity) = plotted[group.name] ?? (nil, nil)
            let chosen = group.steps[step]
            return TableRow([
                .text(group.name), .count(proportion.count), .count(proportion.total), .rate(proportion.rate),
                .rate(interval?.lowerBound), .rate(interval?.upperBound), .text(chosen.flag?.rawValue ?? ""),
                .text(chosen.test?.rawValue ?? ""),
                .text(point?.position.rawValue ?? ""), .rate(point?.limits95.lowerBound), .rate(point?.limits95.upperBound),
                .rate(point?.limits998.lowerBound), .rate(point?.limits998.upperBound),
                .ratio(disparity?.ratio), .ratio(disparity?.interval?.lowerBound), .ratio(disparity?.interval?.upperBound),
                .text(reliability.isReliable(proportion) ? "yes" : "no"),
            ] + (funnel.adjustedFor == nil ? [] : adjustedCells(chosen)))
        }
        let against = comparison.reference.map { "the group \($0)" } ?? "the rest of the table (all other groups together)"
        let both = ColumnRole.derived(from: [.field(.numerator), .field(.denominator)])
        let bySize = ColumnRole.derived(from: [.field(.denominator)])
        let limits = "funnel-plot limits around the overall rate \(NumberText.percent(comparison.overall.step.rate)) at each group's size "
            + "(95% and 99.8%; exact binomial under \(Comparison.exactBelow) cases)"
        return DataTable(
            title: "\(comparison.overall.from.title) → \(comparison.overall.to.title), by \(funnel.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: funnel.basis, reliability: reliability) + [intervalNote] + flagNotes(funnel) + [
                limits, comparison.overdispersion?.summary ?? "overdispersion: fewer than two groups with a rate, not estimated",
                "disparity: the group's rate / \(against), with the 95% Miettinen–Nurminen score interval",
            ],
            columns: [TableColumn(.group(funnel.dimension), .group)] + rateColumns + [
                TableColumn(.field(.flag), .flag(of: .field(.rate))), TableColumn(.field(.test), .flag(of: .field(.rate))),
                TableColumn(.field(.funnelPosition), both),
                TableColumn(.field(.limit95Low), bySize), TableColumn(.field(.limit95High), bySize),
                TableColumn(.field(.limit998Low), bySize), TableColumn(.field(.limit998High), bySize),
                TableColumn(.field(.disparity), both), TableColumn(.field(.disparityCiLow), both), TableColumn(.field(.disparityCiHigh), both),
                TableColumn(.field(.reliable), bySize),
            ] + (funnel.adjustedFor == nil ? [] : adjustedColumns(of: .field(.rate))),
            rows: rows)
    }
}
