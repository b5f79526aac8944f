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

    static let intervalNote = "ci: 95% Wilson score interval with continuity correction"

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
    static func adjustedColumns(of rate: ColumnKey) -> [TableColumn] {
        let both = ColumnRole.derived(from: [rate.sibling(.numerator), rate.sibling(.denominator)])
        return [ColumnKey.Field.expected, .adjustedRatio, .adjustedCiLow, .adjustedCiHigh, .adjustedFlag, .flagChange]
            .map { TableColumn(rate.sibling($0), both) }
    }

    /// The cells of `step`'s adjusted columns (empty for the total row, which is its own standard).
    static func adjustedCells(_ step: StepRate) -> [DataCell] {
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

    /// Numerator, denominator, rate and interval: the columns of one rate.
    static let rateColumns = [
        TableColumn(.field(.numerator), .count(parts: [])), TableColumn(.field(.denominator), .count(parts: [])),
        TableColumn(.field(.rate), .rate(numerator: .field(.numerator), denominator: .field(.denominator))),
        TableColumn(.field(.ciLow), .interval(of: .field(.rate))), TableColumn(.field(.ciHigh), .interval(of: .field(.rate))),
    ]
}
