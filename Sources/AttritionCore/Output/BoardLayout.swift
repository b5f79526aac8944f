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
        switch view.descriptor.board(reader) {
        case .stagesAsRows: return funnelByStage(reader)
        case .pivot: return pivot(reader, tidy: tidy)
        case .columns(let chosen): columns = chosen
        }
        let header = columns.map { TableColumn(.heading($0.heading), $0.role) }
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
        let stages = Stage.allCases.filter { reader.tidy.rows.indices.contains(row) && reader.value(.reached($0), row) != .notRecorded }
        let rows = stages.enumerated().map { position, stage -> TableRow in
            let step: ColumnKey? = position == 0 ? nil : .step(stages[position - 1], stage, .rate)
            return TableRow([
                .text(stage.title), reader.value(.reached(stage), row),
                step.map { reader.cell(.rate($0, ""), row: row) } ?? .text(""),
                step.map { reader.cell(.interval($0, ""), row: row) } ?? .text(""),
                position == 0 ? .text("") : reader.cell(.rate(.cumulativeRate(stage), ""), row: row),
                reader.value(.open(stage), row), reader.value(.closed(stage), row),
            ])
        }
        let figure = ColumnRole.derived(from: [])
        let columns = [TableColumn(.heading("Stage"), .label), TableColumn(.heading("Cases"), .count(parts: [])),
                       TableColumn(.heading("Step rate"), figure), TableColumn(.heading("95% CI"), figure),
                       TableColumn(.heading("Of reported"), figure), TableColumn(.heading("Still open here"), .count(parts: [])),
                       TableColumn(.heading("Stopped here"), .count(parts: []))]
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
            cells[[r, c]] = reader.cell(.rate(.field(.rate), ""), row: row)
        }
        let heading = { (cell: DataCell) -> String in if case .text(let text) = cell { return text } else { return "" } }
        let columns = [TableColumn(.heading(dimensionTitle(rowLabel)), .group)]
            + columnNames.map { TableColumn(.heading(heading($0)), .derived(from: [])) }
        let rows = rowNames.map { name in TableRow([name] + columnNames.map { cells[[name, $0]] ?? .text("") }) }
        return DataTable(title: tidy.title + " (rows: \(dimensionTitle(rowLabel)), columns: \(dimensionTitle(columnLabel)))",
                         notes: tidy.notes + boardNotes, columns: columns, rows: rows).with(metadata: tidy.metadata)
    }
}

/// A column of a board table: where its cells come from in the tidy table and its heading.
public enum BoardColumn: Sendable {
    /// A label or group column copied as it is.
    case label(ColumnKey, String)
    /// A count copied as it is.
    case count(ColumnKey, String)
    /// A rate written with its numerator and denominator and any flag: `41.7% (5/12) ▼`.
    case rate(ColumnKey, String)
    /// A rate's 95% interval, from its `ci_low`/`ci_high` siblings.
    case interval(ColumnKey, String)
    /// A proportion written as a percentage, without counts.
    case percent(ColumnKey, String)
    /// Days, whole.
    case days(ColumnKey, String)
    /// A ratio to two decimals.
    case ratio(ColumnKey, String)
    /// The timing quartiles, `q1–q3`.
    case quartiles
    /// A scorecard target with its direction: `≥ 30%`.
    case target
    /// A scorecard change from baseline, its interval and verdict.
    case change

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

/// Cells of a tidy table read by column key.
public struct TidyReader {
    /// The tidy table.
    public let tidy: DataTable
    /// Each column's index by key.
    let index: [ColumnKey: Int]

    /// A reader of `tidy`.
    public init(_ tidy: DataTable) {
        self.tidy = tidy
        index = tidy.columnIndex
    }

    /// The group column, as a board shows it: its key with the dimension's title.
    public var groupColumn: BoardColumn { .label(groupKey, BoardLayout.dimensionTitle(groupKey.name)) }

    /// The group column's key.
    public var groupKey: ColumnKey { tidy.columns.first { $0.role == .group }?.key ?? tidy.columns.first?.key ?? .group(nil) }

    /// The funnel's steps, in order.
    public var steps: [(from: Stage, to: Stage)] {
        tidy.columns.compactMap { if case let .step(from, to, .rate) = $0.key { (from, to) } else { nil } }
    }

    /// Whether the table has column `key`.
    public func has(_ key: ColumnKey) -> Bool { index[key] != nil }

    /// The tidy cell of column `key` in `row`, or not recorded when there is no such column.
    func value(_ key: ColumnKey, _ row: Int) -> DataCell { index[key].map { tidy.rows[row].cells[$0] } ?? .notRecorded }

    /// The board cell of `column` in `row`.
    func cell(_ column: BoardColumn, row: Int) -> DataCell {
        switch column {
        case .label(let key, _), .count(let key, _): return value(key, row)
        case .rate(let key, _):
            guard case .rate(let numeratorKey, let denominatorKey)? = index[key].map({ tidy.columns[$0].role }) else { return value(key, row) }
            let parts = [value(key, row), value(numeratorKey, row), value(denominatorKey, row)]
            if parts.contains(.suppressed) { return .suppressed }
            guard case .rate(let rate?) = parts[0], case .count(let numerator) = parts[1], case .count(let denominator) = parts[2] else {
                return .text("–")
            }
            let flag = index[key.sibling(.flag)].flatMap { tidy.columns[$0].role == .flag(of: key) ? tidy.rows[row].cells[$0] : nil }
            let glyph = flag == .text("low") ? " ▼" : flag == .text("high") ? " ▲" : ""
            return .text("\(NumberText.percent(rate)) (\(NumberText.thousands(numerator))/\(NumberText.thousands(denominator)))\(glyph)")
        case .interval(let key, _):
            let bounds = [value(key.sibling(.ciLow), row), value(key.sibling(.ciHigh), row)]
            if bounds.contains(.suppressed) { return .suppressed }
            guard case .rate(let low?) = bounds[0], case .rate(let high?) = bounds[1] else { return .text("–") }
            return .text("\(NumberText.percent(low))–\(NumberText.percent(high))")
        case .percent(let key, _):
            if case .rate(let value) = value(key, row) { return .text(NumberText.percent(value)) }
            return value(key, row)
        case .days(let key, _):
            if case .days(let days) = value(key, row) { return .text(days.map { String(Int($0.rounded())) } ?? "–") }
            return value(key, row)
        case .ratio(let key, _):
            if case .ratio(let ratio) = value(key, row) { return .text(ratio.map { $0.isInfinite ? "∞" : String(format: "%.2f", $0) } ?? "–") }
            return value(key, row)
        case .quartiles:
            guard case .days(let low?) = value(.field(.q1Days), row), case .days(let high?) = value(.field(.q3Days), row) else { return .text("–") }
            return .text("\(Int(low.rounded()))–\(Int(high.rounded()))")
        case .target:
            guard case .rate(let target?) = value(.field(.target), row) else { return .text(text(.field(.target), row) ?? "baseline") }
            return .text("\(text(.field(.direction), row) == "at most" ? "≤" : "≥") \(NumberText.percent(target))")
        case .change:
            if [value(.field(.change), row), value(.field(.baselineRate), row)].contains(.suppressed) { return .suppressed }
            guard case .ratio(let change?) = value(.field(.change), row), case .ratio(let low?) = value(.field(.changeCiLow), row),
                  case .ratio(let high?) = value(.field(.changeCiHigh), row) else { return .text("–") }
            let points = { (x: Double) in String(format: "%+.1f", x * 100) }
            return .text("\(points(change)) pts (\(points(low)) to \(points(high)))\(text(.field(.changeVerdict), row).map { " \($0)" } ?? "")")
        }
    }

    /// The text of column `key` in `row`, if it holds text.
    private func text(_ key: ColumnKey, _ row: Int) -> String? {
        if case .text(let text) = value(key, row), !text.isEmpty { return text }
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
