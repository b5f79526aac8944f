/// How an exported table is laid out.
public enum TableLayout: String, CaseIterable, Sendable {
    /// The table as the screen shows it, for people: plain headings, each rate written with its
    /// numerator and denominator (`41.7% (5/12)`), the funnel's stages as rows, one Total row.
    case board
    /// The analyst's layout: one value a column, machine names (`reported_to_referred_ci_low`).
    case tidy
}

/// The board layout of a tidy analysis table, read from its (already suppressed) cells by column
/// name: a withheld count or rate shows as `[c]`, and no figure appears that the tidy table
/// withholds, so the tidy table's audit covers it.
public enum BoardLayout {
    /// `tidy`, the table of a query of `view`, laid out for a board.
    public static func table(_ tidy: DataTable, view: AnalysisView) -> DataTable {
        let reader = TidyReader(tidy)
        let columns: [BoardColumn]
        switch view {
        case .funnel: return funnelByStage(reader)
        case .breakdown:
            let steps = reader.steps
            columns = [.label(reader.groupName, BoardLayout.dimensionTitle(reader.groupName)), .count("reported", "Reported")]
                + steps.flatMap { step in
                    [BoardColumn.rate("\(step)_rate", Stage(name: String(step.split(separator: "_").last!))?.title ?? step),
                     .interval("\(step)_rate", "95% CI")]
                }
        case .reasons:
            columns = [.label(reader.groupName, dimensionTitle(reader.groupName)), .label("stage", "Stopped at"), .label("reason", "Reason"),
                       .rate("share", "Share of cases closed there"), .count("open_at_stage", "Still open there")]
        case .timing:
            columns = [.label(reader.groupName, dimensionTitle(reader.groupName)), .label("stage", "Stage"), .count("timed", "Cases timed"),
                       .days("median_days", "Median days"), .quartiles, .count("still_open", "Still open"),
                       .count("no_date", "No date"), .days("km_median_days", "Median days, open cases censored")]
        case .compare:
            columns = [.label(reader.groupName, dimensionTitle(reader.groupName)), .rate("rate", "Step rate"), .interval("rate", "95% CI"),
                       .label("funnel_position", "Funnel plot"), .ratio("disparity", "Disparity ratio"), .label("reliable", "Reliable")]
        case .heatmap, .trend: return pivot(reader, tidy: tidy)
        case .survival:
            columns = [.label(reader.groupName, dimensionTitle(reader.groupName)), .count("cases", "Cases"),
                       .percent("reached", "Reached"), .interval("reached", "95% CI"), .count("reached_stage", "Reached the stage"),
                       .count("closed_before", "Closed before it"), .count("open_censored", "Still open (censored)")]
        case .scorecard:
            columns = [.label("measure", "Measure"), .label("crime_type", "Crime type"), .label(reader.groupName, dimensionTitle(reader.groupName)),
                       .rate("rate", "Rate"), .interval("rate", "95% CI"), .target, .label("status", "Status")]
                + (reader.has("baseline_rate") ? [.rate("baseline_rate", "Baseline"), .change] : [])
        }
        let header = columns.map { TableColumn($0.heading, $0.role) }
        let board = tidy.rows.indices.map { row in TableRow(columns.map { reader.cell($0, row: row) }, isTotal: tidy.rows[row].isTotal) }
        return DataTable(title: tidy.title, notes: tidy.notes + boardNotes, columns: header, rows: board).with(metadata: tidy.metadata)
    }

    /// Notes on how the board layout writes figures.
    static let boardNotes = ["Rates are written with their numerator and denominator: 41.7% (5/12); ▼/▲ mark a flag; [c] is withheld"]

    /// A dimension's heading: a built-in's title, or the column's own name.
    public static func dimensionTitle(_ name: String) -> String {
        BuiltInDimension(rawValue: name)?.title ?? (name == "group" ? "Group" : name)
    }

    /// The funnel of all cases with its stages as rows: cases, step rate and interval, share of reported, open and closed there.
    private static func funnelByStage(_ reader: TidyReader) -> DataTable {
        let row = reader.tidy.rows.firstIndex { !$0.isTotal } ?? 0
        let stages = Stage.allCases.filter { reader.tidy.rows.indices.contains(row) && reader.value($0.name, row) != .notRecorded }
        let rows = stages.enumerated().map { position, stage -> TableRow in
            let step = position == 0 ? nil : "\(stages[position - 1].name)_to_\(stage.name)"
            let closed = reader.value("closed_\(stage.name)", row), open = reader.value("open_\(stage.name)", row)
            return TableRow([
                .text(stage.title), reader.value(stage.name, row),
                step.map { reader.cell(.rate("\($0)_rate", ""), row: row) } ?? .text(""),
                step.map { reader.cell(.interval("\($0)_rate", ""), row: row) } ?? .text(""),
                position == 0 ? .text("") : reader.cell(.rate("\(stage.name)_cumulative_rate", ""), row: row),
                open, closed,
            ])
        }
        let figure = ColumnRole.derived(from: [])
        let columns = [TableColumn("Stage", .label), TableColumn("Cases", .count(parts: [])), TableColumn("Step rate", figure),
                       TableColumn("95% CI", figure), TableColumn("Of reported", figure), TableColumn("Still open here", .count(parts: [])),
                       TableColumn("Stopped here", .count(parts: []))]
        return DataTable(title: "Funnel: all cases", notes: reader.tidy.notes + boardNotes, columns: columns, rows: rows)
            .with(metadata: reader.tidy.metadata)
    }

    /// A cross-tabulated rate as the heatmap shows it: row groups down, column groups across.
    private static func pivot(_ reader: TidyReader, tidy: DataTable) -> DataTable {
        let rowLabel = tidy.columns[0].name, columnLabel = tidy.columns[1].name
        var rowNames: [DataCell] = [], columnNames: [DataCell] = []
        var cells: [[DataCell]: DataCell] = [:]
        for row in tidy.rows.indices {
            let (r, c) = (tidy.rows[row].cells[0], tidy.rows[row].cells[1])
            if !rowNames.contains(r) { rowNames.append(r) }
            if !columnNames.contains(c) { columnNames.append(c) }
            cells[[r, c]] = reader.cell(.rate("rate", ""), row: row)
        }
        let heading = { (cell: DataCell) -> String in if case .text(let text) = cell { return text } else { return "" } }
        let columns = [TableColumn(dimensionTitle(rowLabel), .group)] + columnNames.map { TableColumn(heading($0), .derived(from: [])) }
        let rows = rowNames.map { name in TableRow([name] + columnNames.map { cells[[name, $0]] ?? .text("") }) }
        return DataTable(title: tidy.title + " (rows: \(dimensionTitle(rowLabel)), columns: \(dimensionTitle(columnLabel)))",
                         notes: tidy.notes + boardNotes, columns: columns, rows: rows).with(metadata: tidy.metadata)
    }
}

/// A column of a board table: where its cells come from in the tidy table and its heading.
enum BoardColumn {
    /// A label or group column copied as it is.
    case label(String, String)
    /// A count copied as it is.
    case count(String, String)
    /// A rate written with its numerator and denominator and any flag: `41.7% (5/12) ▼`.
    case rate(String, String)
    /// A rate's 95% interval, from its `_ci_low`/`_ci_high` (or `ci_low`/`ci_high`) columns.
    case interval(String, String)
    /// A proportion written as a percentage, without counts.
    case percent(String, String)
    /// Days, whole.
    case days(String, String)
    /// A ratio to two decimals.
    case ratio(String, String)
    /// The timing quartiles, `q1–q3`.
    case quartiles
    /// A scorecard target with its direction: `≥ 30%`.
    case target
    /// A scorecard change from baseline, its interval and verdict.
    case change

    /// The tidy column a cell starts from.
    var source: String {
        switch self {
        case .label(let name, _), .count(let name, _), .rate(let name, _), .interval(let name, _), .percent(let name, _),
             .days(let name, _), .ratio(let name, _): name
        case .quartiles: "q1_days"
        case .target: "target"
        case .change: "change"
        }
    }

    /// The heading.
    var heading: String {
        switch self {
        case .label(_, let heading), .count(_, let heading), .rate(_, let heading), .interval(_, let heading), .percent(_, let heading),
             .days(_, let heading), .ratio(_, let heading): heading
        case .quartiles: "Quartiles (days)"
        case .target: "Target"
        case .change: "Change from baseline (95% CI)"
        }
    }

    /// The role of the board column: counts stay counts, labels stay labels, and figures written
    /// as text are derived (aligned as figures).
    var role: ColumnRole {
        switch self {
        case .count: .count(parts: [])
        case .label: .label
        default: .derived(from: [])
        }
    }
}

/// Cells of a tidy table read by column name.
struct TidyReader {
    /// The tidy table.
    let tidy: DataTable
    /// Each column's index by name.
    let index: [String: Int]

    init(_ tidy: DataTable) {
        self.tidy = tidy
        index = Dictionary(tidy.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The group column's name.
    var groupName: String { tidy.columns.first { $0.role == .group }?.name ?? tidy.columns.first?.name ?? "group" }

    /// The funnel's steps, as `from_to_to` prefixes, in order.
    var steps: [String] { tidy.columns.map(\.name).filter { $0.hasSuffix("_rate") && $0.contains("_to_") && !$0.contains("cumulative") }.map { String($0.dropLast(5)) } }

    /// Whether the table has column `name`.
    func has(_ name: String) -> Bool { index[name] != nil }

    /// The tidy cell of column `name` in `row`, or not recorded when there is no such column.
    func value(_ name: String, _ row: Int) -> DataCell { index[name].map { tidy.rows[row].cells[$0] } ?? .notRecorded }

    /// The board cell of `column` in `row`.
    func cell(_ column: BoardColumn, row: Int) -> DataCell {
        switch column {
        case .label(let name, _), .count(let name, _): return value(name, row)
        case .rate(let name, _):
            guard case .rate(let numeratorName, let denominatorName)? = index[name].map({ tidy.columns[$0].role }) else { return value(name, row) }
            let parts = [value(name, row), value(numeratorName, row), value(denominatorName, row)]
            if parts.contains(.suppressed) { return .suppressed }
            guard case .rate(let rate?) = parts[0], case .count(let numerator) = parts[1], case .count(let denominator) = parts[2] else {
                return .text("–")
            }
            let flag = tidy.columns.indices.first { tidy.columns[$0].role == .flag(of: name) && tidy.columns[$0].name.hasSuffix("flag") }
            let glyph = flag.map { tidy.rows[row].cells[$0] == .text("low") ? " ▼" : tidy.rows[row].cells[$0] == .text("high") ? " ▲" : "" } ?? ""
            return .text("\(NumberText.percent(rate)) (\(NumberText.thousands(numerator))/\(NumberText.thousands(denominator)))\(glyph)")
        case .interval(let name, _):
            let prefix = name == "rate" || name == "reached" ? "" : String(name.dropLast("rate".count))
            let bounds = [value(prefix + "ci_low", row), value(prefix + "ci_high", row)]
            if bounds.contains(.suppressed) { return .suppressed }
            guard case .rate(let low?) = bounds[0], case .rate(let high?) = bounds[1] else { return .text("–") }
            return .text("\(NumberText.percent(low))–\(NumberText.percent(high))")
        case .percent(let name, _):
            if case .rate(let value) = value(name, row) { return .text(NumberText.percent(value)) }
            return value(name, row)
        case .days(let name, _):
            if case .days(let days) = value(name, row) { return .text(days.map { String(Int($0.rounded())) } ?? "–") }
            return value(name, row)
        case .ratio(let name, _):
            if case .ratio(let ratio) = value(name, row) { return .text(ratio.map { $0.isInfinite ? "∞" : String(format: "%.2f", $0) } ?? "–") }
            return value(name, row)
        case .quartiles:
            guard case .days(let low?) = value("q1_days", row), case .days(let high?) = value("q3_days", row) else { return .text("–") }
            return .text("\(Int(low.rounded()))–\(Int(high.rounded()))")
        case .target:
            guard case .rate(let target?) = value("target", row) else { return .text(text("target", row) ?? "baseline") }
            return .text("\(text("direction", row) == "at most" ? "≤" : "≥") \(NumberText.percent(target))")
        case .change:
            if [value("change", row), value("baseline_rate", row)].contains(.suppressed) { return .suppressed }
            guard case .ratio(let change?) = value("change", row), case .ratio(let low?) = value("change_ci_low", row),
                  case .ratio(let high?) = value("change_ci_high", row) else { return .text("–") }
            let points = { (x: Double) in String(format: "%+.1f", x * 100) }
            return .text("\(points(change)) pts (\(points(low)) to \(points(high)))\(text("change_verdict", row).map { " \($0)" } ?? "")")
        }
    }

    /// The text of column `name` in `row`, if it holds text.
    private func text(_ name: String, _ row: Int) -> String? {
        if case .text(let text) = value(name, row), !text.isEmpty { return text }
        return nil
    }
}

extension DataTable {
    /// This table with `metadata`.
    func with(metadata: [(String, String)]) -> DataTable {
        var table = self
        table.metadata = metadata
        return table
    }
}
