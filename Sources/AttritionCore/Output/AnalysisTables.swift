/// The reviewer's analyses as data tables, every rate beside its numerator and denominator.
public enum AnalysisTables {
    /// Notes every table carries: filters (with maturity) and the rate basis.
    public static func notes(filter: CaseFilter, basis: RateBasis?, reliability: Reliability?) -> [String] {
        var notes = ["Filters: \(filter.summary)"]
        if let basis { notes.append("Rates over \(basis == .all ? "all cases" : "closed cases (those still open at the earlier stage left out)")") }
        if let reliability {
            notes.append("Rates with a denominator under \(reliability.minimumDenominator) are marked reliable = no")
        }
        return notes
    }

    /// Reason mixes at every stage (or one) for each group and the total: long format.
    public static func reasons(_ funnel: Funnel, stage: Stage?, filter: CaseFilter) -> DataTable {
        let stages = stage.map { [$0] } ?? funnel.stages.filter { $0 != .convicted }
        var rows: [[DataCell]] = []
        for group in funnel.groups + [funnel.total] {
            for stage in stages {
                let mix = ReasonAnalysis.mix(group.counts, at: stage)
                for (reason, count) in mix.counts {
                    rows.append([.text(group.name), .text(stage.name), .text(reason.name), .count(count), .count(mix.closed),
                                 .rate(Proportion(count, of: mix.closed).rate), .count(mix.open)])
                }
            }
        }
        return DataTable(
            title: "Why cases stopped, by \(funnel.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: nil, reliability: nil)
                + ["share = cases closed for the reason / all cases closed at that stage; open cases are counted apart"],
            columns: [funnel.dimension ?? "group", "stage", "reason", "count", "closed_at_stage", "share", "open_at_stage"],
            rows: rows)
    }

    /// Days from report to each later stage: quartiles of timed cases, the rest counted apart.
    public static func timing(_ timings: (groups: [GroupTiming], total: GroupTiming), dimension: String?, filter: CaseFilter) -> DataTable {
        let rows: [[DataCell]] = (timings.groups + [timings.total]).flatMap { group in
            group.stages.map { timing in
                [.text(group.name), .text(timing.stage.name), .count(timing.timed), .days(timing.quartiles?.q1),
                 .days(timing.quartiles?.median), .days(timing.quartiles?.q3), .count(timing.undated), .count(timing.outOfOrder),
                 .count(timing.stillOpen)]
            }
        }
        return DataTable(
            title: "Days from report to each stage, by \(dimension ?? "all cases")",
            notes: notes(filter: filter, basis: nil, reliability: nil)
                + ["Quartiles of cases with both dates; cases without a stage date, with dates out of order, or still open are counted apart, never averaged in"],
            columns: [dimension ?? "group", "stage", "timed", "q1_days", "median_days", "q3_days", "no_date", "dates_out_of_order", "still_open"],
            rows: rows)
    }

    /// One step's rate per group with its interval, flag, funnel-plot position and disparity ratio.
    public static func comparison(_ funnel: Funnel, step: Int, reference: String?, filter: CaseFilter,
                                  reliability: Reliability) throws -> DataTable {
        let stepInfo = funnel.total.steps[step]
        let referenceGroup = try reference.map { name in
            guard let group = funnel.groups.first(where: { CategoryKey.of($0.name) == CategoryKey.of(name) }) else {
                throw QueryError.unknownValue(name, dimension: funnel.dimension ?? "group", known: funnel.groups.map(\.name))
            }
            return group
        }
        let referenceRate = (referenceGroup ?? funnel.total).steps[step].step
        let points = Dictionary(uniqueKeysWithValues: Comparison.funnelPlot(funnel, step: step).map { ($0.name, $0) })
        let rows: [[DataCell]] = funnel.groups.map { group in
            let proportion = group.steps[step].step
            let interval = proportion.wilson95
            let point = points[group.name]
            let disparity = Comparison.disparity(proportion, against: referenceRate)
            return [.text(group.name), .count(proportion.count), .count(proportion.total), .rate(proportion.rate),
                    .rate(interval?.lowerBound), .rate(interval?.upperBound), .text(group.steps[step].flag?.rawValue ?? ""),
                    .text(point?.position.rawValue ?? ""), .rate(point?.limits95.lowerBound), .rate(point?.limits95.upperBound),
                    .rate(point?.limits998.lowerBound), .rate(point?.limits998.upperBound),
                    .ratio(disparity?.ratio), .ratio(disparity?.interval?.lowerBound), .ratio(disparity?.interval?.upperBound),
                    .text(reliability.isReliable(proportion) ? "yes" : "no")]
        }
        let against = referenceGroup.map { "the group \($0.name)" } ?? "the overall rate \(SummaryRendering.percent(referenceRate.rate))"
        return DataTable(
            title: "\(stepInfo.from.title) → \(stepInfo.to.title), by \(funnel.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: funnel.basis, reliability: reliability) + [
                "ci: 95% Wilson score interval with continuity correction; flag: differs from all other cases at 95% after Holm correction",
                "funnel-plot limits around the overall rate \(SummaryRendering.percent(funnel.total.steps[step].step.rate)) at each group's size (95% and 99.8%)",
                "disparity: the group's rate / \(against), with a 95% Katz log interval",
            ],
            columns: [funnel.dimension ?? "group", "numerator", "denominator", "rate", "ci_low", "ci_high", "flag", "funnel_position",
                      "limit95_low", "limit95_high", "limit998_low", "limit998_high", "disparity", "disparity_ci_low",
                      "disparity_ci_high", "reliable"],
            rows: rows)
    }

    /// A cross-tabulated step rate in long format (heatmap, or trend when the columns are report quarters).
    public static func crossTab(_ tab: CrossTab, title: String, filter: CaseFilter, basis: RateBasis, reliability: Reliability) -> DataTable {
        var rows: [[DataCell]] = []
        for (r, rowLabel) in tab.rows.enumerated() {
            for (c, columnLabel) in tab.columns.enumerated() {
                let cell = tab.cells[r][c]
                let interval = cell.wilson95
                rows.append([.text(rowLabel), .text(columnLabel), .count(cell.count), .count(cell.total), .rate(cell.rate),
                             .rate(interval?.lowerBound), .rate(interval?.upperBound), .text(reliability.isReliable(cell) ? "yes" : "no")])
            }
        }
        return DataTable(
            title: "\(title): \(tab.from.title) → \(tab.to.title)",
            notes: notes(filter: filter, basis: basis, reliability: reliability),
            columns: [tab.rowDimension ?? "group", tab.columnDimension, "numerator", "denominator", "rate", "ci_low", "ci_high", "reliable"],
            rows: rows)
    }
}
