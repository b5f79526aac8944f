/// The scorecard as a data table (every format) and as the JSON `attrition scorecard` promises.
public enum ScorecardOutput {
    /// One row per measure, crime type and group, the crime type's total after its groups.
    public static func table(_ scorecard: Scorecard, filter: CaseFilter) -> DataTable {
        let baseline = scorecard.baseline != nil
        var rows: [TableRow] = []
        for (measure, cells) in scorecard.measures {
            for cell in cells {
                let interval = cell.proportion.wilson95
                var values: [DataCell] = [
                    .text(measure.id), .text(cell.crimeType), .text(cell.name), .count(cell.proportion.count), .count(cell.proportion.total),
                    .rate(cell.proportion.rate), .rate(interval?.lowerBound), .rate(interval?.upperBound), .rate(cell.targetRate),
                    .text(direction(cell.target)), .text(cell.status?.rawValue ?? ""),
                ]
                if baseline {
                    values += [.count(cell.baseline?.count ?? 0), .count(cell.baseline?.total ?? 0), .rate(cell.baseline?.rate),
                               .ratio(cell.change?.difference), .ratio(cell.change?.interval.lowerBound),
                               .ratio(cell.change?.interval.upperBound), .text(cell.changeVerdict ?? "")]
                }
                rows.append(TableRow(values, isTotal: cell.name == "Total"))
            }
        }
        var columns = [TableColumn(.field(.measure), .label), TableColumn(.field(.crimeType), .label),
                       TableColumn(.group(scorecard.dimension), .group)] + AnalysisTables.rateColumns
            + [TableColumn(.field(.target), .derived(from: [])), TableColumn(.field(.direction), .derived(from: [])),
               TableColumn(.field(.status), .flag(of: .field(.rate)))]
        if baseline {
            let counts: [ColumnKey] = [.field(.numerator), .field(.denominator), .field(.baselineNumerator), .field(.baselineDenominator)]
            let both = ColumnRole.derived(from: counts)
            columns += [TableColumn(.field(.baselineNumerator), .count(parts: [])), TableColumn(.field(.baselineDenominator), .count(parts: [])),
                        TableColumn(.field(.baselineRate), .rate(numerator: .field(.baselineNumerator), denominator: .field(.baselineDenominator)))]
                + [ColumnKey.Field.change, .changeCiLow, .changeCiHigh, .changeVerdict].map { TableColumn(.field($0), both) }
        }
        return DataTable(title: "Scorecard by \(scorecard.dimension)", notes: notes(scorecard, filter: filter), columns: columns, rows: rows)
    }

    /// What the scorecard's figures rest on.
    static func notes(_ scorecard: Scorecard, filter: CaseFilter) -> [String] {
        var notes = ["Filters: \(filter.summary)", "Measures: \(scorecard.source)"]
        switch scorecard.counting {
        case .cohort:
            notes.append("Counted by report cohort: cases reported \(scorecard.period.map { "in \($0.label)" } ?? "at any time"), and what has happened to them so far")
        case .period:
            notes.append("Counted by period, as the Home Office outcome statistics count: outcomes recorded \(scorecard.period.map { "in \($0.label)" } ?? "at any time") by their outcome date (a charge by its date), cases by their report date"
                + (scorecard.undated > 0 ? "; \(scorecard.undated) cases without a date to place them were left out" : ""))
        }
        notes.append("status: met when the whole 95% interval (Wilson, continuity-corrected) is on the target's side, not met when it is wholly on the other side, uncertain otherwise")
        if let baseline = scorecard.baseline {
            notes.append("baseline \(baseline.label): change = rate − baseline rate with the 95% Newcombe hybrid score interval; a baseline target is met when the change is beyond chance in its direction")
        }
        if !scorecard.missingCrimeTypes.isEmpty { notes.append("Not in this data: \(scorecard.missingCrimeTypes.joined(separator: ", "))") }
        for (measure, _) in scorecard.measures {
            notes.append("\(measure.id): \(measure.name); numerator: \(measure.numerator.summary); denominator: \(measure.denominator.summary)")
        }
        return notes
    }

    private static func direction(_ target: MeasureTarget?) -> String {
        switch target {
        case .rate(_, .atLeast)?: "at least"
        case .rate(_, .atMost)?: "at most"
        case .baseline(.atLeast)?: "increase from baseline"
        case .baseline(.atMost)?: "decrease from baseline"
        case nil: ""
        }
    }

    /// `{"measures": [{"id", "name", "groups": [{"crime_type", "name", "numerator", "denominator", "rate", "ci_low", "ci_high",
    /// "target", "status"}, …]}, …]}`, rates rounded to 4 decimals; with a baseline each group also has
    /// `baseline_rate`, `change`, `change_ci_low`, `change_ci_high` and `change_verdict`.
    public static func json(_ scorecard: Scorecard) -> JSON {
        let rounded = { (value: Double?) -> JSON in value.map { .number(SummaryRendering.rounded($0)) } ?? .null }
        return .object([
            ("counting", .string(scorecard.counting.rawValue)),
            ("period", scorecard.period.map { .string($0.label) } ?? .null),
            ("baseline", scorecard.baseline.map { .string($0.label) } ?? .null),
            ("measures", .array(scorecard.measures.map { measure, cells in
                .object([("id", .string(measure.id)), ("name", .string(measure.name)), ("groups", .array(cells.map { cell in
                    let interval = cell.proportion.wilson95
                    var fields: [(String, JSON)] = [
                        ("crime_type", .string(cell.crimeType)), ("name", .string(cell.name)), ("numerator", .int(cell.proportion.count)),
                        ("denominator", .int(cell.proportion.total)), ("rate", rounded(cell.proportion.rate)),
                        ("ci_low", rounded(interval?.lowerBound)), ("ci_high", rounded(interval?.upperBound)), ("target", rounded(cell.targetRate)),
                        ("status", cell.status.map { .string($0.rawValue) } ?? .null),
                    ]
                    if scorecard.baseline != nil {
                        fields += [("baseline_rate", rounded(cell.baseline?.rate)), ("change", rounded(cell.change?.difference)),
                                   ("change_ci_low", rounded(cell.change?.interval.lowerBound)),
                                   ("change_ci_high", rounded(cell.change?.interval.upperBound)),
                                   ("change_verdict", cell.changeVerdict.map(JSON.string) ?? .null)]
                    }
                    return .object(fields)
                }))])
            })),
            ("publication", .string(Publication.notForPublication)),
        ])
    }
}
