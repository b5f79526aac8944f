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

    /// A funnel (one group per row, or all cases) with every count and rate, ready for export.
    public static func funnel(_ funnel: Funnel, filter: CaseFilter) -> DataTable {
        let stages = funnel.stages
        let early = stages.filter { $0 != .convicted }
        var columns = [funnel.dimension ?? "group"] + stages.map(\.name)
        columns += early.map { "open_\($0.name)" } + early.map { "closed_\($0.name)" }
        let stepStart = columns.count
        for step in funnel.total.steps {
            let prefix = "\(step.from.name)_to_\(step.to.name)"
            columns += ["\(prefix)_rate", "\(prefix)_ci_low", "\(prefix)_ci_high", "\(prefix)_flag"]
        }
        let cumulativeStart = columns.count
        columns += funnel.total.steps.map { "\($0.to.name)_cumulative_rate" }
        let groups = funnel.groups + [funnel.total]
        let rows: [[DataCell]] = groups.map { group in
            var cells: [DataCell] = [.text(group.name)]
            cells += stages.map { .count(group.counts.reached($0)) }
            cells += early.map { .count(group.counts.open(at: $0)) } + early.map { .count(group.counts.droppedOff(at: $0)) }
            for step in group.steps {
                let interval = step.step.wilson95
                cells += [.rate(step.step.rate), .rate(interval?.lowerBound), .rate(interval?.upperBound), .text(step.flag?.rawValue ?? "")]
            }
            cells += group.steps.map { .rate($0.cumulative.rate) }
            return cells
        }
        var layout = DisclosureLayout()
        let countColumns = Array(1..<stepStart)
        layout.countColumns = Set(countColumns)
        for (index, stage) in stages.enumerated() {
            // A stage's count feeds the step into it, the step out of it and its cumulative rate.
            var dependents: [Int] = []
            for (stepIndex, step) in funnel.total.steps.enumerated() where step.from == stage || step.to == stage {
                dependents += (0..<4).map { stepStart + stepIndex * 4 + $0 }
                if step.to == stage { dependents.append(cumulativeStart + stepIndex) }
            }
            layout.dependents[1 + index] = dependents
        }
        let totalRow = groups.count - 1
        for column in countColumns {
            layout.sums.append(((0..<totalRow).map { CellAddress($0, column) }, CellAddress(totalRow, column)))
        }
        // Each row: open and closed at every stage, plus convicted, add up to reported.
        let parts = Array((1 + stages.count)..<stepStart) + (stages.contains(.convicted) ? [stages.count] : [])
        for row in groups.indices {
            layout.sums.append((parts.map { CellAddress(row, $0) }, CellAddress(row, 1)))
        }
        return DataTable(
            title: "Funnel by \(funnel.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: funnel.basis, reliability: nil)
                + ["counts: cases that reached each stage; open_/closed_: cases whose journey stops at that stage, still open or closed",
                   "ci: 95% Wilson score interval with continuity correction; flag: differs from all other cases at 95% after Holm correction"],
            columns: columns, rows: rows, disclosure: layout)
    }

    /// Reason mixes at every stage (or one) for each group and the total: long format.
    public static func reasons(_ funnel: Funnel, stage: Stage?, filter: CaseFilter) -> DataTable {
        let stages = stage.map { [$0] } ?? funnel.stages.filter { $0 != .convicted }
        var rows: [[DataCell]] = []
        var layout = DisclosureLayout()
        layout.countColumns = [3, 4, 6]
        layout.dependents = [3: [5], 4: [5]]
        // rowOf[stage][reason] per group, to tie each group's count to the total's.
        var rowsByKey: [String: [Int]] = [:]
        let groups = funnel.groups + [funnel.total]
        for group in groups {
            for stage in stages {
                let mix = ReasonAnalysis.mix(group.counts, at: stage)
                let first = rows.count
                for (reason, count) in mix.counts {
                    rowsByKey["\(stage.name)|\(reason.name)", default: []].append(rows.count)
                    rows.append([.text(group.name), .text(stage.name), .text(reason.name), .count(count), .count(mix.closed),
                                 .rate(Proportion(count, of: mix.closed).rate), .count(mix.open)])
                }
                guard rows.count > first else { continue }
                let block = Array(first..<rows.count)
                layout.sums.append((block.map { CellAddress($0, 3) }, CellAddress(first, 4)))
                layout.copies[CellAddress(first, 4)] = block.dropFirst().map { CellAddress($0, 4) }
                layout.copies[CellAddress(first, 6)] = block.dropFirst().map { CellAddress($0, 6) }
            }
        }
        // Across groups, each (stage, reason) count adds up to the total's (the total's row comes last).
        for rowsOfKey in rowsByKey.values where rowsOfKey.count > 1 {
            let total = rowsOfKey.last!
            if case .text(let name) = rows[total][0], name == funnel.total.name {
                layout.sums.append((rowsOfKey.dropLast().map { CellAddress($0, 3) }, CellAddress(total, 3)))
            }
        }
        return DataTable(
            title: "Why cases stopped, by \(funnel.dimension ?? "all cases")",
            notes: notes(filter: filter, basis: nil, reliability: nil)
                + ["share = cases closed for the reason / all cases closed at that stage; open cases are counted apart"],
            columns: [funnel.dimension ?? "group", "stage", "reason", "count", "closed_at_stage", "share", "open_at_stage"],
            rows: rows, disclosure: layout)
    }

    /// Days from report to each later stage: quartiles of timed cases, the rest counted apart.
    public static func timing(_ timings: (groups: [GroupTiming], total: GroupTiming), dimension: String?, filter: CaseFilter) -> DataTable {
        let groups = timings.groups + [timings.total]
        let rows: [[DataCell]] = groups.flatMap { group in
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
            rows: rows, disclosure: timingLayout(groups: groups.count, stages: timings.total.stages.count))
    }

    /// Counts of the timing table and their sums: each group's count at a stage adds up to the total's.
    private static func timingLayout(groups: Int, stages: Int) -> DisclosureLayout {
        var layout = DisclosureLayout()
        layout.countColumns = [2, 6, 7, 8]
        layout.dependents = [2: [3, 4, 5]]
        let totalBlock = (groups - 1) * stages
        for stage in 0..<stages {
            for column in [2, 6, 7, 8] {
                let parts = (0..<(groups - 1)).map { CellAddress($0 * stages + stage, column) }
                layout.sums.append((parts, CellAddress(totalBlock + stage, column)))
            }
        }
        return layout
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
            rows: rows, disclosure: rateLayout(numerator: 1, denominator: 2, dependents: Array(3...14)))
    }

    /// Rows of one rate each: the numerator and denominator are counts, withheld with everything computed from them.
    private static func rateLayout(numerator: Int, denominator: Int, dependents: [Int]) -> DisclosureLayout {
        var layout = DisclosureLayout()
        layout.countColumns = [numerator, denominator]
        layout.dependents = [numerator: dependents, denominator: dependents]
        return layout
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
            rows: rows, disclosure: rateLayout(numerator: 2, denominator: 3, dependents: [4, 5, 6]))
    }
}
