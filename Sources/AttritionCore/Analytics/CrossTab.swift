/// A step rate for every pair of groups of two dimensions (a heatmap; by quarter, a trend).
public struct CrossTab: Sendable {
    /// The row dimension's name (nil for a single row of all cases).
    public let rowDimension: String?
    /// The column dimension's name.
    public let columnDimension: String
    /// Row labels with at least one case.
    public let rows: [String]
    /// Column labels with at least one case.
    public let columns: [String]
    /// The step shown.
    public let from: Stage, to: Stage
    /// `cells[row][column]`: cases reaching `to` out of those reaching `from` (over the chosen basis).
    public let cells: [[Proportion]]
}

/// Two-way step rates in one pass over the cases.
public enum CrossTabAnalysis {
    /// The step `from` → `to` for every (row group, column group) pair under `filter`.
    public static func crossTab(of table: CaseTable, rows rowDimension: DimensionColumn?, columns columnDimension: DimensionColumn,
                                from: Stage, to: Stage, filter: CaseFilter = CaseFilter(), basis: RateBasis = .all) throws -> CrossTab {
        let compiled = try filter.compiled(for: table)
        let rowCount = max(rowDimension?.labels.count ?? 1, 1), columnCount = columnDimension.labels.count
        // Per cell: cases whose furthest stage is each stage, and of those still open.
        var atStage = [[Int]](repeating: [Int](repeating: 0, count: 5), count: rowCount * columnCount)
        var openAt = atStage
        for row in 0..<table.rowCount where compiled.keeps(row) {
            let cell = (rowDimension.map { Int($0.codes[row]) } ?? 0) * columnCount + Int(columnDimension.codes[row])
            let furthest = Int(table.furthestStages[row]), weight = Int(table.weights[row])
            atStage[cell][furthest] += weight
            if table.outcomes[row] == CaseOutcome.open.code { openAt[cell][furthest] += weight }
        }
        func proportion(_ cell: Int) -> Proportion {
            let reachedFrom = atStage[cell][from.rawValue...].reduce(0, +)
            let reachedTo = atStage[cell][to.rawValue...].reduce(0, +)
            return Proportion(reachedTo, of: reachedFrom - (basis == .closed ? openAt[cell][from.rawValue] : 0))
        }
        let reported = { (cell: Int) in atStage[cell].reduce(0, +) }
        let presentRows = (0..<rowCount).filter { r in (0..<columnCount).contains { reported(r * columnCount + $0) > 0 } }
        let presentColumns = (0..<columnCount).filter { c in (0..<rowCount).contains { reported($0 * columnCount + c) > 0 } }
        return CrossTab(
            rowDimension: rowDimension?.name, columnDimension: columnDimension.name,
            rows: presentRows.map { rowDimension?.labels[$0] ?? "All cases" }, columns: presentColumns.map { columnDimension.labels[$0] },
            from: from, to: to,
            cells: presentRows.map { r in presentColumns.map { c in proportion(r * columnCount + c) } })
    }
}
