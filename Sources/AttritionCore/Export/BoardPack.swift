/// The board pack: one workbook with the funnel, the breakdowns by BCU and by crime type, the
/// reasons, the timings and the scorecard, each suppressed, audited and in the board layout, with
/// native bar charts of the funnel and of the BCU breakdown, and one notes sheet for them all.
public enum BoardPack {
    /// The sheets of the pack of `cases` under `base` (its filter, basis, correction and as-of
    /// date), and its notes: what every sheet shares once, then each sheet's own. A sheet whose
    /// dimension the data lacks (police.uk data has no BCU) is left out, and the notes say so.
    public static func sheets(of cases: CaseTable, base: AnalysisQuery, source: ImportReport, suppression: Suppression?,
                              ledger: String? = nil) throws -> (sheets: [WorkbookSheet], notes: [(String, String)]) {
        let plan: [(name: String, view: AnalysisView, dimension: String)] = [
            ("Funnel", .funnel, base.dimension), ("By BCU", .breakdown, BuiltInDimension.bcu.rawValue),
            ("By crime type", .breakdown, BuiltInDimension.crimeType.rawValue), ("Reasons", .reasons, BuiltInDimension.crimeType.rawValue),
            ("Timing", .timing, BuiltInDimension.crimeType.rawValue), ("Scorecard", .scorecard, BuiltInDimension.bcu.rawValue),
        ]
        var sheets: [WorkbookSheet] = []
        var tables: [(name: String, table: DataTable)] = []
        var leftOut: [String] = []
        for entry in plan {
            var query = base
            query.view = entry.view
            query.dimension = entry.dimension
            query.stage = nil
            guard entry.view == .funnel || cases.dimension(named: entry.dimension) != nil else {
                leftOut.append("\(entry.name) (no \(entry.dimension) in this data)")
                continue
            }
            guard entry.view != .timing || !cases.isCube else {
                leftOut.append("\(entry.name) (a cube has no case's own dates)")
                continue
            }
            let tidy = try Exporter.prepare(try query.table(of: cases), query: query, source: source, suppression: suppression,
                                            ledger: ledger.map { LedgerUse(path: $0, cases: cases) })
            let board = BoardLayout.table(tidy, view: entry.view)
            let sheet: WorkbookSheet
            switch entry.view {
            case .funnel: sheet = funnelSheet(entry.name, board: board)
            case .breakdown where entry.dimension == BuiltInDimension.bcu.rawValue: sheet = breakdownSheet(entry.name, board: board, tidy: tidy)
            default: sheet = WorkbookSheet(name: entry.name, table: board)
            }
            sheets.append(sheet)
            tables.append((entry.name, board))
        }
        return (sheets, notes(tables, leftOut: leftOut))
    }

    /// The funnel with a chart of the cases at each stage.
    private static func funnelSheet(_ name: String, board: DataTable) -> WorkbookSheet {
        let table = appending(board, column: "Cases (chart; withheld left blank)", cells: board.rows.map { chartValue($0.cells[1]) })
        return WorkbookSheet(name: name, table: table, chart: BarChart(
            title: "Cases at each stage", labels: 0, values: table.columns.count - 1, axisTitle: "Cases", percent: false,
            rows: Array(table.rows.indices)))
    }

    /// A breakdown with a chart of the share of reported cases charged (or reaching the first
    /// later stage the data records), group by group, the total left out.
    private static func breakdownSheet(_ name: String, board: DataTable, tidy: DataTable) -> WorkbookSheet {
        let reader = TidyReader(tidy)
        let stage = reader.has(.cumulativeRate(.charged)) ? Stage.charged
            : Stage.allCases.dropFirst().first { reader.has(.cumulativeRate($0)) } ?? .referred
        let cells = tidy.rows.indices.map { chartValue(reader.value(.cumulativeRate(stage), $0)) }
        let table = appending(board, column: "\(stage.title), share of reported (chart; withheld left blank)", cells: cells)
        return WorkbookSheet(name: name, table: table, chart: BarChart(
            title: "\(stage.title) as a share of cases reported, by \(BoardLayout.dimensionTitle(reader.groupKey.name))", labels: 0,
            values: table.columns.count - 1, axisTitle: "Share of reported", percent: true,
            rows: table.rows.indices.filter { !table.rows[$0].isTotal }))
    }

    /// A figure a chart can draw: a withheld or missing one becomes a blank (a gap, never a zero bar).
    private static func chartValue(_ cell: DataCell) -> DataCell {
        switch cell {
        case .count, .rate: cell
        default: .notRecorded
        }
    }

    /// `table` with one more column, of figures.
    private static func appending(_ table: DataTable, column: String, cells: [DataCell]) -> DataTable {
        var result = DataTable(title: table.title, notes: table.notes, columns: table.columns + [TableColumn(.heading(column), .derived(from: []))],
                               rows: zip(table.rows, cells).map { TableRow($0.cells + [$1], isTotal: $0.isTotal) })
        result.metadata = table.metadata
        return result
    }

    /// The notes sheet: what every sheet's metadata shares, once; then each sheet's title, notes
    /// and the metadata of its own (view, dimension, audit).
    private static func notes(_ tables: [(name: String, table: DataTable)], leftOut: [String]) -> [(String, String)] {
        let shared = (tables.first?.table.metadata ?? []).filter { pair in
            tables.allSatisfy { table in table.table.metadata.contains { $0 == pair } }
        }
        var lines: [(String, String)] = [("Title", "Board pack")] + shared
        if !leftOut.isEmpty { lines.append(("left out", leftOut.joined(separator: "; "))) }
        for (name, table) in tables {
            lines += [("", ""), ("Sheet", name), ("Title", table.title)] + table.notes.map { ("Note", $0) }
            lines += table.metadata.filter { pair in !shared.contains { $0 == pair } }
        }
        return lines
    }
}
