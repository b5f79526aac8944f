/// Every analysis as a data table, each column declaring its role, every rate beside its
/// numerator and denominator. One layout per view, for every output.
public enum AnalysisTables {
    /// The table of `analysis`, worked out for `query` (by its view's descriptor).
    public static func table(_ analysis: Analysis, query: AnalysisQuery) -> DataTable {
        query.view.descriptor.table(analysis, query: query)
    }

    /// Notes every table carries: filters (with maturity) and the rate basis.
    static func notes(filter: CaseFilter, basis: RateBasis?, reliability: Reliability?) -> [String] {
        var notes = ["Filters: \(filter.summary)"]
        if let basis { notes.append("Rates over \(basis == .all ? "all cases" : "closed cases (those still open at the earlier stage left out)")") }
        if let reliability {
            notes.append("Rates with a denominator under \(reliability.minimumDenominator) are marked reliable = no")
        }
        return notes
    }

    private static let intervalNote = "ci: 95% Wilson score interval with continuity correction"

    /// What the flags of `funnel` rest on: the tests, the correction and the comparisons per step.
    static func flagNotes(_ funnel: Funnel) -> [String] {
        var notes = ["flag: low/high against all other cases at 95%: Fisher's exact test for groups under 30 cases or expected counts under 5, "
            + "the pooled z-test otherwise; groups of 1 or 2 cases are not tested; \(funnel.correction.name) across the groups"]
        let steps = funnel.total.steps
        if !steps.isEmpty {
            notes.append("comparisons behind the flags: " + steps.indices.map { i in
                "\(steps[i].from.name)→\(steps[i].to.name) \(funnel.comparisons[i])"
                    + (funnel.adjustedFor == nil ? "" : " (\(funnel.adjustedComparisons[i]) adjusted)")
            }.joined(separator: ", "))
        }
        if let adjusted = funnel.adjustedFor {
            notes.append("adjusted for \(adjusted) by indirect standardisation: expected = Σ the group's cases at the earlier stage × the table's "
                + "step rate in each \(adjusted); adjusted_ratio = observed/expected with an exact Poisson 95% interval; adjusted_flag from the "
                + "exact Poisson test of observed against expected; flag_change says where adjustment removes, adds or reverses a flag")
        }
        return notes
    }

    /// The columns of a case-mix adjusted rate, siblings of `rate` (a step's, or a one-step table's).
    private static func adjustedColumns(of rate: ColumnKey) -> [TableColumn] {
        let both = ColumnRole.derived(from: [rate.sibling(.numerator), rate.sibling(.denominator)])
        return [ColumnKey.Field.expected, .adjustedRatio, .adjustedCiLow, .adjustedCiHigh, .adjustedFlag, .flagChange]
            .map { TableColumn(rate.sibling($0), both) }
    }

    /// The cells of `step`'s adjusted columns (empty for the total row, which is its own standard).
    private static func adjustedCells(_ step: StepRate) -> [DataCell] {
        let rate = step.adjusted
        return [.ratio(rate?.expected), .ratio(rate?.ratio), .ratio(rate?.interval?.lowerBound), .ratio(rate?.interval?.upperBound),
                .text(rate?.flag?.rawValue ?? ""), .text(step.flagChange?.rawValue ?? "")]
    }

    /// A funnel (one group per row and a total row, or all cases): every stage of the contract
    /// (stages the file cannot speak to are not recorded, never 0), cases open and closed at each,
    /// and every step with its numerator, denominator, rate, interval and flag. The summary's CSV,
    /// the funnel and breakdown exports and every other funnel output use this one layout.
    public static func funnel(_ funnel: Funnel, filter: CaseFilter) -> DataTable {
        let available = Set(funnel.stages)
        let early = Stage.allCases.filter { $0 != .convicted }
        let next = Dictionary(uniqueKeysWithValues: zip(funnel.stages, funnel.stages.dropFirst()).map { ($0, $1) })
        var columns = [TableColumn(.group(funnel.dimension), .group)]
        columns += Stage.allCases.map { stage in
            // A stage's cases are those at the next stage plus those open or closed at it.
            TableColumn(.reached(stage), .count(parts: next[stage].map { [.reached($0), .open(stage), .closed(stage)] } ?? []))
        }
        columns += early.map { TableColumn(.open($0), .count(parts: [])) }
        columns += early.map { TableColumn(.closed($0), .count(parts: [])) }
        for step in funnel.total.steps {
            let key = { (field: ColumnKey.Field) in ColumnKey.step(step.from, step.to, field) }
            let denominatorParts: [ColumnKey] = funnel.basis == .all ? [.reached(step.from)] : [.reached(step.to), .closed(step.from)]
            columns += [
                TableColumn(key(.numerator), .count(parts: [.reached(step.to)])),
                TableColumn(key(.denominator), .count(parts: denominatorParts)),
                TableColumn(key(.rate), .rate(numerator: key(.numerator), denominator: key(.denominator))),
                TableColumn(key(.ciLow), .interval(of: key(.rate))),
                TableColumn(key(.ciHigh), .interval(of: key(.rate))),
                TableColumn(key(.flag), .flag(of: key(.rate))),
            ]
            if funnel.adjustedFor != nil { columns += adjustedColumns(of: key(.rate)) }
        }
        columns += funnel.total.steps.map { TableColumn(.cumulativeRate($0.to), .rate(numerator: .reached($0.to), denominator: .reached(.reported))) }
        let rows = (funnel.groups.map { ($0, false) } + [(funnel.total, true)]).map { group, isTotal in
            let recorded = { (stage: Stage, count: Int) -> DataCell in available.contains(stage) ? .count(count) : .notRecorded }
            var cells: [DataCell] = [.text(group.name)]
            cells += Stage.allCases.map { recorded($0, group.counts.reached($0)) }
            cells += early.map { recorded($0, group.counts.open(at: $0)) } + early.map { recorded($0, group.counts.droppedOff(at: $0)) }
            for step in group.steps {
                let interval = step.step.wilson95
                cells += [.count(step.step.count), .count(step.step.total), .rate(step.step.rate), .rate(interval?.lowerBound),
                          .rate(interval?.upperBound), .text(step.flag?.rawValue ?? "")]
                if funnel.adjustedFor != nil { cells += adjustedCells(step) }
            }
            cells += group.steps.map { .rate($0.cumulative.rate) }
            return TableRow(cells, isTotal: isTotal)
        }
        let unrecorded = Stage.allCases.filter { !available.contains($0) }
        return DataTable(
            title: "Funnel by \(funnel.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: funnel.basis, reliability: nil)
                + ["counts: cases that reached each stage; open_/closed_: cases whose journey stops at that stage, still open or closed",
                   "numerator/denominator: the cases each step rate is worked out from", intervalNote]
                + (funnel.dimension == nil ? [] : flagNotes(funnel))
                + (unrecorded.isEmpty ? [] : ["Not recorded in this data (left empty, never 0): \(unrecorded.map(\.name).joined(separator: ", "))"]),
            columns: columns, rows: rows)
    }

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

    /// Numerator, denominator, rate and interval: the columns of one rate.
    static let rateColumns = [
        TableColumn(.field(.numerator), .count(parts: [])), TableColumn(.field(.denominator), .count(parts: [])),
        TableColumn(.field(.rate), .rate(numerator: .field(.numerator), denominator: .field(.denominator))),
        TableColumn(.field(.ciLow), .interval(of: .field(.rate))), TableColumn(.field(.ciHigh), .interval(of: .field(.rate))),
    ]

    /// A cross-tabulated step rate in long format (heatmap, or trend when the columns are report quarters).
    static func crossTab(_ tab: CrossTab, title: String, filter: CaseFilter, basis: RateBasis, reliability: Reliability) -> DataTable {
        var rows: [TableRow] = []
        for (r, rowLabel) in tab.rows.enumerated() {
            for (c, columnLabel) in tab.columns.enumerated() {
                let cell = tab.cells[r][c]
                let interval = cell.wilson95
                rows.append(TableRow([.text(rowLabel), .text(columnLabel), .count(cell.count), .count(cell.total), .rate(cell.rate),
                                      .rate(interval?.lowerBound), .rate(interval?.upperBound),
                                      .text(reliability.isReliable(cell) ? "yes" : "no")]))
            }
        }
        return DataTable(
            title: "\(title): \(tab.from.title) → \(tab.to.title)",
            notes: notes(filter: filter, basis: basis, reliability: reliability),
            columns: [TableColumn(.group(tab.rowDimension), .group), TableColumn(.columnGroup(tab.columnDimension), .label)] + rateColumns
                + [TableColumn(.field(.reliable), .derived(from: [.field(.denominator)]))],
            rows: rows)
    }
}
