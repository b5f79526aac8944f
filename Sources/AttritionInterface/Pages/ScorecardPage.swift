import AttritionCore
import AttritionTerminal

extension Page {
    /// The performance framework's measures against their targets, by group.
    public static let scorecard = Page(view: .scorecard)
}

/// One measure of the performance framework at a time: groups down, crime types across, each cell
/// its rate with a status symbol (✓ met, ✗ not met, ? uncertain) and colour, the highlighted cell
/// spelled out below.
enum ScorecardPage: PageUnit {
    static let name = "scorecard"
    static let view: AnalysisView? = .scorecard

    static var keys: [KeyHelp.Entry] {
        [KeyHelp.entry("↑↓ j k", "choose a group", footer: "group"),
         KeyHelp.entry("←→ h l", "choose a crime type", footer: "crime"),
         KeyHelp.entry("< >", "previous / next measure", footer: "measure"),
         KeyHelp.entry("[ ]", "previous / next dimension", footer: "dimension"),
         KeyHelp.entry("Enter", "list the cases the cell counts above the line", footer: "cases")] + KeyHelp.analysing
    }

    static let notes = [
        "✓ ✗ ?         met, not met, uncertain (+ x ? in ASCII): met when the whole 95% interval",
        "               is on the target's side, not met when wholly on the other, else uncertain.",
        "               Colour repeats the symbol, never replaces it.",
        "≥ ≤            the target under each crime type: at least, at most; Δ a baseline target",
        "               (attrition scorecard --baseline PERIOD on the command line).",
        "Measures       the Met's VAWG framework by default (docs/methodology.md, Scorecard).",
    ]

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    /// The measure shown and its cells.
    static func shown(_ state: AppState) -> (scorecard: Scorecard, measure: Measure, cells: [ScorecardCell], crimes: [String])? {
        guard case .scorecard(let scorecard)? = state.analysis, !scorecard.measures.isEmpty else { return nil }
        let (measure, cells) = scorecard.measures[min(state.stepCursor, scorecard.measures.count - 1)]
        var crimes: [String] = []
        for cell in cells where !crimes.contains(cell.crimeType) { crimes.append(cell.crimeType) }
        return (scorecard, measure, cells, crimes)
    }

    static func handle(_ state: inout AppState, _ key: Key) throws {
        guard let shown = shown(state) else { return try Update.common(&state, key) }
        switch key {
        case let .click(row, _):
            // The rows as drawn: groups from their first visible one, the total pinned below them.
            let visible = visibleRows(state, shown.scorecard.groupNames)
            let offset = row - Layout.listTop - 2
            if visible.indices.contains(offset) { state.groupCursor = visible[offset] }
        case .left, .right, .character("h"), .character("l"):
            let forward = key == .right || key == .character("l")
            state.heatmapColumn = min(max(state.heatmapColumn + (forward ? 1 : -1), 0), max(shown.crimes.count - 1, 0))
        case .character("<"), .character(">"):
            let count = shown.scorecard.measures.count
            state.stepCursor = (state.stepCursor + (key == .character(">") ? 1 : count - 1)) % count
            state.heatmapColumn = 0
        default:
            try ReviewerKeys.handle(&state, key, steps: 0) { state in
                guard let shown = ScorecardPage.shown(state), shown.crimes.indices.contains(state.heatmapColumn) else { return }
                let groups = shown.scorecard.groupNames
                guard groups.indices.contains(state.groupCursor) else { return }
                let crime = shown.crimes[state.heatmapColumn], name = groups[state.groupCursor]
                let query = state.query
                let rows = try ScorecardAnalysis.numeratorRows(
                    of: state.table, measure: shown.measure, crimeType: crime, group: name == "Total" ? nil : (state.dimension, name),
                    filter: state.filter, counting: query?.counting ?? .cohort, period: query?.period)
                state.caseList = CaseList(title: "\(name) × \(crime): \(shown.measure.id), above the line", rows: rows, shown: rows)
                state.push(.cases)
            }
        }
    }

    /// The indices of `groups` on screen, top to bottom: the groups from the first visible one, then the total.
    static func visibleRows(_ state: AppState, _ groups: [String]) -> [Int] {
        let first = Layout.firstVisible(cursor: min(state.groupCursor, groups.count - 2), height: rowCount(state))
        return Array(groups.indices.dropLast().dropFirst(first).prefix(rowCount(state))) + [groups.count - 1]
    }

    /// Group rows shown above the total row.
    static func rowCount(_ state: AppState) -> Int { Layout.listHeight(state.display) - 7 }

    static func symbol(_ status: ScorecardStatus?, _ canvas: Canvas) -> String {
        switch status {
        case .met?: canvas.display.ascii ? "+" : "✓"
        case .notMet?: canvas.display.ascii ? "x" : "✗"
        case .uncertain?: "?"
        case nil: " "
        }
    }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard let (scorecard, measure, cells, crimes) = shown(state) else { return }
        let index = min(state.stepCursor, scorecard.measures.count - 1)
        canvas.rule("Scorecard \(index + 1) of \(scorecard.measures.count) (< >): \(measure.id), by \(BreakdownPage.title(state.dimension))",
                    row: Layout.headingRow)
        let groups = scorecard.groupNames
        let nameWidth = min(20, max(8, (groups.map(\.count) + [5]).max()!))
        let cell = 12
        let starts = Canvas.columnStarts([nameWidth] + Array(repeating: cell, count: crimes.count), from: 2)
        for (column, crime) in crimes.enumerated() {
            let lines = HeatmapPage.headingLines(crime, width: cell)
            canvas.text(lines[0], row: Layout.columnsRow, column: starts[column + 1], width: cell, style: TextStyle(bold: true), alignRight: true)
            canvas.text(lines[1], row: Layout.columnsRow + 1, column: starts[column + 1], width: cell,
                        style: TextStyle(bold: true, reverse: column == state.heatmapColumn), alignRight: true)
            let target: String
            switch measure.targets[crime] {
            case .rate(let rate, let direction)?: target = (direction == .atLeast ? "≥" : "≤") + Figures.percent(rate)
            case .baseline(let direction)?: target = "Δ " + (direction == .atLeast ? "up" : "down")
            case nil: target = "no target"
            }
            canvas.text(target, row: Layout.columnsRow + 2, column: starts[column + 1], width: cell, style: TextStyle(dim: true), alignRight: true)
        }
        // Groups scroll; the crime types' totals stay on the row below them.
        let visible = visibleRows(state, groups)
        for (offset, row) in visible.enumerated() {
            let name = groups[row], y = Layout.listTop + 2 + offset
            let selected = row == state.groupCursor
            canvas.text(ReviewerLayout.marker(selected, canvas) + name, row: y, column: 0, width: nameWidth + 2,
                        style: TextStyle(bold: selected || name == "Total"))
            for (column, crime) in crimes.enumerated() {
                guard let found = cells.first(where: { $0.crimeType == crime && $0.name == name }) else { continue }
                let colour: ColourRole? = found.status == .met ? .high : found.status == .notMet ? .low : nil
                canvas.text(ReviewerLayout.rate(found.proportion, state) + " " + symbol(found.status, canvas), row: y, column: starts[column + 1],
                            width: cell, style: TextStyle(bold: name == "Total", reverse: selected && column == state.heatmapColumn, colour: colour),
                            alignRight: true)
            }
        }
        let top = Layout.messageRow(state.display) - 3
        canvas.text("  " + measure.name, row: top, column: 0, width: canvas.width, style: TextStyle(dim: true))
        if crimes.indices.contains(state.heatmapColumn), groups.indices.contains(state.groupCursor),
           let found = cells.first(where: { $0.crimeType == crimes[state.heatmapColumn] && $0.name == groups[state.groupCursor] }) {
            let status = found.status.map { "\(symbol($0, canvas)) \($0.rawValue)" } ?? "no status"
            let target = found.targetRate.map { "target \(Figures.percent($0)): " } ?? ""
            canvas.text("  \(found.name) × \(found.crimeType): \(Figures.rate(found.proportion, state.reliability))  \(Figures.interval(found.proportion))",
                        row: top + 1, column: 0, width: canvas.width, style: TextStyle(bold: true))
            let change = found.change.map { String(format: "; change %+.1f points (%+.1f to %+.1f), ", $0.difference * 100,
                                                   $0.interval.lowerBound * 100, $0.interval.upperBound * 100) + (found.changeVerdict ?? "") } ?? ""
            canvas.text("  \(target)\(status)\(change)", row: top + 2, column: 0, width: canvas.width,
                        style: TextStyle(bold: true, colour: found.status == .met ? .high : found.status == .notMet ? .low : nil))
        }
    }
}
