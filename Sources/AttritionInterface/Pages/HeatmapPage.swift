import AttritionCore
import AttritionTerminal

extension Page {
    /// A step rate for every pair of groups of two dimensions.
    public static let heatmap = Page(view: .heatmap)
}

/// A step rate by two dimensions, shaded; small groups dimmed; counts on demand.
enum HeatmapPage: PageUnit {
    static let name = "heatmap"
    static let view: AnalysisView? = .heatmap

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ ←→", "choose a cell", footer: "cell"),
            KeyHelp.entry("< >", "previous / next step", footer: "step"),
            KeyHelp.entry("[ ] { }", "row / column dimension", footer: "dimensions"),
            KeyHelp.entry("#", "counts (n/N) instead of rates", footer: "counts"),
            KeyHelp.entry("Enter", "list the cell's cases that made the step", footer: "cases"),
        ] + KeyHelp.analysing
    }

    static let notes = [
        "░ ▒ ▓          darker = a higher step rate, relative to the highest reliable one shown.",
        "◂ ▸            more columns off screen: ← → move along them.",
        "#              counts n/N instead of rates.",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws {
        switch key {
        case .left, .right, .character("h"), .character("l"):
            guard case .crossTab(let tab)? = state.analysis else { return }
            let forward = key == .right || key == .character("l")
            state.heatmapColumn = min(max(state.heatmapColumn + (forward ? 1 : -1), 0), max(tab.columns.count - 1, 0))
        case .character("}"), .character("{"):
            let names = state.table.dimensions.map(\.name).filter { $0 != state.dimension }
            let index = names.firstIndex(of: state.heatmapColumns) ?? 0
            state.heatmapColumns = names[(index + (key == .character("}") ? 1 : names.count - 1)) % names.count]
            state.heatmapColumn = 0
        case .character("#"):
            state.showCounts.toggle()
        default:
            try ReviewerKeys.handle(&state, key, rows: rows(state)) { try ReviewerKeys.crossTabCases(&$0, byColumn: true) }
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    /// Where the group rows are: under the two-line headings, above the detail rows.
    static func rows(_ state: AppState) -> (top: Int, count: Int) { (Layout.listTop + 1, Layout.listHeight(state.display) - 4) }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .crossTab(let tab)? = state.analysis else { return }
        canvas.rule("Heatmap: \(ReviewerLayout.stepTitle(state)), \(BreakdownPage.title(state.dimension)) × \(BreakdownPage.title(tab.columnDimension))",
                    row: Layout.headingRow)
        let nameWidth = min(20, max(8, (tab.rows.map(\.count) + [5]).max()!))
        // Cells as wide as the labels need (up to 20) when every column then fits, else the figures' width;
        // headings on two lines, broken at spaces.
        let base = state.showCounts ? 13 : 8
        let room = canvas.width - nameWidth - 5
        let labelWidth = min(20, (tab.columns.map { headingLines($0, width: 20).map(\.count).max() ?? 0 }.max() ?? base))
        let cell = labelWidth > base && tab.columns.count * (labelWidth + 1) <= room ? labelWidth : base
        let visibleColumns = max(1, room / (cell + 1))
        let firstColumn = Layout.firstVisible(cursor: state.heatmapColumn, height: visibleColumns)
        let columns = Array(tab.columns.indices.dropFirst(firstColumn).prefix(visibleColumns))
        let starts = Canvas.columnStarts([nameWidth] + Array(repeating: cell, count: columns.count), from: 2)
        for (offset, column) in columns.enumerated() {
            for (line, text) in headingLines(tab.columns[column], width: cell).enumerated() {
                canvas.text(text, row: Layout.columnsRow + line, column: starts[offset + 1], width: cell,
                            style: TextStyle(bold: true, reverse: column == state.heatmapColumn), alignRight: true)
            }
        }
        // Columns off screen are marked at the side they are on.
        if firstColumn > 0 { canvas.text(canvas.display.ascii ? "<" : "◂", row: Layout.listTop, column: starts[1] - 1, style: TextStyle(bold: true, colour: .accent)) }
        if firstColumn + columns.count < tab.columns.count {
            canvas.text(canvas.display.ascii ? ">" : "▸", row: Layout.listTop, column: starts.last! - 1, style: TextStyle(bold: true, colour: .accent))
        }
        let maximum = tab.cells.flatMap { $0 }.compactMap { state.reliability.isReliable($0) ? $0.rate : nil }.max() ?? 1
        let height = rows(state).count
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        for (offset, row) in tab.rows.indices.dropFirst(first).prefix(height).enumerated() {
            let y = Layout.listTop + 1 + offset
            let selectedRow = row == state.groupCursor
            canvas.text(ReviewerLayout.marker(selectedRow, canvas) + tab.rows[row], row: y, column: 0, width: nameWidth + 2,
                        style: TextStyle(bold: selectedRow))
            for (offsetColumn, column) in columns.enumerated() {
                let proportion = tab.cells[row][column]
                let text = proportion.total == 0 ? "" : state.showCounts
                    ? "\(Figures.count(proportion.count))/\(Figures.count(proportion.total))"
                    : shade(proportion.rate ?? 0, maximum, canvas) + ReviewerLayout.rate(proportion, state)
                canvas.text(text, row: y, column: starts[offsetColumn + 1], width: cell,
                            style: ReviewerLayout.style(proportion, state, selected: selectedRow && column == state.heatmapColumn),
                            alignRight: true)
            }
        }
        let footer = Layout.messageRow(state.display) - 2
        if tab.rows.indices.contains(state.groupCursor), tab.columns.indices.contains(state.heatmapColumn) {
            let proportion = tab.cells[state.groupCursor][state.heatmapColumn]
            let figures = proportion.total == 0 ? "no case reached \(tab.from.title) here" : "\(Figures.rate(proportion, state.reliability))  \(Figures.interval(proportion))"
            canvas.text("  \(tab.rows[state.groupCursor]) × \(tab.columns[state.heatmapColumn]): \(figures)",
                        row: footer, column: 0, width: canvas.width, style: TextStyle(bold: true))
        }
        let more = tab.columns.count > columns.count ? "columns \(firstColumn + 1)–\(firstColumn + columns.count) of \(tab.columns.count) (←→); " : ""
        canvas.text("  \(more)darker = higher; * under \(state.reliability.minimumDenominator) cases (dimmed); # counts", row: footer + 1,
                    column: 0, width: canvas.width, style: TextStyle(dim: true))
    }

    /// A column label on at most two lines of `width`, broken at spaces (the rest cut with `…`).
    static func headingLines(_ label: String, width: Int) -> [String] {
        guard label.count > width else { return ["", label] }
        var first = "", rest = Substring(label)
        for word in label.split(separator: " ") {
            let candidate = first.isEmpty ? String(word) : first + " " + word
            guard candidate.count <= width else { break }
            first = candidate
            rest = label.dropFirst(first.count).drop { $0 == " " }
        }
        if first.isEmpty { return [String(label.prefix(width)), String(label.dropFirst(width).prefix(width))] }
        return [first, rest.count > width ? String(rest.prefix(width - 1)) + "…" : String(rest)]
    }

    /// A shade glyph for `rate` relative to `maximum`.
    static func shade(_ rate: Double, _ maximum: Double, _ canvas: Canvas) -> String {
        let shades = canvas.display.ascii ? [" ", ".", ":", "#"] : [" ", "░", "▒", "▓"]
        let level = maximum > 0 ? min(3, Int(rate / maximum * 3.999)) : 0
        return shades[level]
    }
}
