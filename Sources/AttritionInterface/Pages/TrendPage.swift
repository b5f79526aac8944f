import AttritionCore
import AttritionTerminal

extension Page {
    /// A step rate per quarter of report, group by group.
    public static let trend = Page(view: .trend)
}

/// A step rate per quarter reported, as a sparkline per group.
enum TrendPage: PageUnit {
    static let name = "trend"
    static let view: AnalysisView? = .trend

    static var keys: [KeyHelp.Entry] { ReviewerKeys.keys(step: "previous / next step", cases: "list the group's cases that made the step") }

    static let notes = [
        "▁▂▃ … █        one character a quarter, scaled to the highest reliable rate; · a",
        "               quarter under 30 cases; blank for none.",
        "First, Last    the first and last reliable quarters' rates.",
        "               Recent quarters hold open cases: read a fall at the end with a, m or C.",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws {
        try ReviewerKeys.handle(&state, key, rows: rows(state)) { try ReviewerKeys.crossTabCases(&$0, byColumn: false) }
    }

    /// Where the group rows are: from the list's top, above the detail rows.
    static func rows(_ state: AppState) -> (top: Int, count: Int) { (Layout.listTop, Layout.listHeight(state.display) - 3 - 2) }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .crossTab(let tab)? = state.analysis else { return }
        canvas.rule("Trend: \(ReviewerLayout.stepTitle(state)) by quarter reported, by \(BreakdownPage.title(state.dimension))",
                    row: Layout.headingRow)
        let nameWidth = min(22, max(8, (tab.rows.map(\.count) + [5]).max()!))
        let sparkWidth = min(tab.columns.count, max(8, canvas.width - nameWidth - 30))
        let quarters = Array(tab.columns.indices.suffix(sparkWidth))
        let maximum = tab.cells.flatMap { $0 }.compactMap { state.reliability.isReliable($0) ? $0.rate : nil }.max() ?? 1
        let sparkLeft = nameWidth + 3
        canvas.text(BreakdownPage.title(state.dimension), row: Layout.columnsRow, column: 2, width: nameWidth, style: TextStyle(bold: true))
        if let first = quarters.first, let last = quarters.last {
            canvas.text("\(tab.columns[first]) … \(tab.columns[last])", row: Layout.columnsRow, column: sparkLeft, width: max(sparkWidth, 20),
                        style: TextStyle(bold: true))
        }
        canvas.text("First    Last", row: Layout.columnsRow, column: sparkLeft + max(sparkWidth, 20) + 2, width: 14, style: TextStyle(bold: true))
        let detailRows = 3
        let height = rows(state).count
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        for (offset, row) in tab.rows.indices.dropFirst(first).prefix(height).enumerated() {
            let y = Layout.listTop + offset
            let selected = row == state.groupCursor
            canvas.text(ReviewerLayout.marker(selected, canvas) + tab.rows[row], row: y, column: 0, width: nameWidth + 2,
                        style: TextStyle(bold: selected, reverse: selected))
            let cells = quarters.map { tab.cells[row][$0] }
            canvas.text(sparkline(cells, maximum: maximum, state: state, canvas: canvas), row: y, column: sparkLeft, width: sparkWidth,
                        style: TextStyle(colour: .bar))
            let reliable = cells.filter { state.reliability.isReliable($0) }
            if let firstCell = reliable.first, let lastCell = reliable.last {
                canvas.text("\(Figures.percent(firstCell.rate).leftPadded(6))  \(Figures.percent(lastCell.rate).leftPadded(6))", row: y,
                            column: sparkLeft + max(sparkWidth, 20) + 2, width: 15)
            }
        }
        let top = Layout.messageRow(state.display) - detailRows - 1
        if tab.rows.indices.contains(state.groupCursor) {
            canvas.rule("\(tab.rows[state.groupCursor]): latest quarters", row: top)
            let recent = tab.columns.indices.suffix(4).map { "\(tab.columns[$0]) \(Figures.rate(tab.cells[state.groupCursor][$0], state.reliability))" }
            canvas.text("  " + recent.prefix(2).joined(separator: "   "), row: top + 1, column: 0, width: canvas.width)
            canvas.text("  " + recent.dropFirst(2).joined(separator: "   "), row: top + 2, column: 0, width: canvas.width)
        }
        canvas.text("  Recent quarters hold open cases: try a, m or C · · under \(state.reliability.minimumDenominator) cases",
                    row: top + 3, column: 0, width: canvas.width, style: TextStyle(dim: true))
    }

    /// One character per quarter: eighth-blocks by rate, `·` for too few cases, blank for none.
    static func sparkline(_ cells: [Proportion], maximum: Double, state: AppState, canvas: Canvas) -> String {
        let levels = canvas.display.ascii ? Array("_.-=+*#@") : Array("▁▂▃▄▅▆▇█")
        return String(cells.map { cell -> Character in
            guard cell.total > 0 else { return " " }
            guard state.reliability.isReliable(cell), let rate = cell.rate else { return canvas.display.ascii ? "." : "·" }
            return levels[min(levels.count - 1, Int(rate / max(maximum, 1e-9) * Double(levels.count - 1) + 0.5))]
        })
    }
}
