import AttritionCore
import AttritionTerminal

extension Page {
    /// Why cases stopped, group by group.
    public static let reasons = Page(view: .reasons)
}

/// Why cases stopped at one stage, group by group: shares of the reason groups.
enum ReasonsPage: PageUnit {
    static let name = "reasons"
    static let view: AnalysisView? = .reasons

    static var keys: [KeyHelp.Entry] {
        ReviewerKeys.keys(step: "the stage cases stopped at", stepWord: "stage",
                          own: [KeyHelp.entry("{ }", "scroll the reason columns when not all fit", footer: "columns")],
                          cases: "list the group's cases closed at the stage")
    }

    static let notes = [
        "R1, R2 …       the reason groups, named in the legend; share = closed for that reason /",
        "               all closed at the stage. Open cases are counted apart, in no share.",
        "◂ ▸            more reasons off screen: { } scroll the columns.",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws {
        if key == .character("}") || key == .character("{") {
            guard case .reasons(let table)? = state.analysis, let total = table.total.mixes.first else { return }
            let last = max(0, total.counts.count - 1)
            state.reasonsColumn = min(max(state.reasonsColumn + (key == .character("}") ? 1 : -1), 0), last)
            return
        }
        try ReviewerKeys.handle(&state, key, steps: state.overall.stoppingStages.count, rows: rows(state)) { state in
            let groups = state.breakdown.groups
            let stages = state.overall.stoppingStages
            guard groups.indices.contains(state.groupCursor), stages.indices.contains(state.stepCursor) else { return }
            let stage = stages[state.stepCursor]
            let selection = CaseSelection(filter: state.filter, group: (state.dimension, groups[state.groupCursor].name), reached: stage)
            let rows = try CaseQuery.rows(of: state.table, selection).filter {
                Int(state.table.furthestStages[$0]) == stage.rawValue && state.table.outcome(ofRow: $0).isDropOff
            }
            state.caseList = CaseList(title: "\(groups[state.groupCursor].name): closed at \(stage.title)", rows: rows, shown: rows)
            state.push(.cases)
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    /// Rows of the reasons' legend: enough for two columns, within reason (a third would cut the names at 80 columns).
    static func legendRows(_ reasons: Int) -> Int { min(reasons, max(4, min(6, (reasons + 1) / 2))) }

    /// Where the group rows are: from the list's top, above the total, the legend and its note.
    static func rows(_ state: AppState) -> (top: Int, count: Int) {
        guard case .reasons(let table)? = state.analysis, let total = table.total.mixes.first else { return (Layout.listTop, 0) }
        return (Layout.listTop, Layout.listHeight(state.display) - legendRows(total.counts.count) - 2)
    }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .reasons(let table)? = state.analysis, let total = table.total.mixes.first else { return }
        let groups = table.groups.map { (name: $0.name, mix: $0.mixes[0]) }
        canvas.rule("Why cases stopped at \(total.stage.title), by \(BreakdownPage.title(state.dimension)): share of cases closed there",
                    row: Layout.headingRow)
        let reasons = total.counts.map(\.reason)
        let nameWidth = min(22, max(8, (groups.map(\.name.count) + [5]).max()!))
        let cell = 8
        let fitting = max(1, (canvas.width - nameWidth - 2 - 2 * 9 - 2) / (cell + 1))
        // Reasons that do not fit scroll with { }: the first shown is `reasonsColumn`.
        let offset = min(state.reasonsColumn, max(0, reasons.count - fitting))
        let shownIndices = Array(reasons.indices.dropFirst(offset).prefix(fitting))
        let shown = shownIndices.map { reasons[$0] }
        let starts = Canvas.columnStarts([nameWidth, 8, 8] + Array(repeating: cell, count: shown.count), from: 2)
        let headings = [BreakdownPage.title(state.dimension), "Closed", "Open"] + shownIndices.map { "R\($0 + 1)" }
        if shown.count < reasons.count {
            let left = offset > 0 ? (canvas.display.ascii ? "<" : "◂") : " ", right = offset + shown.count < reasons.count ? (canvas.display.ascii ? ">" : "▸") : " "
            canvas.text(left, row: Layout.columnsRow, column: starts[3] - 1, style: TextStyle(bold: true, colour: .accent))
            canvas.text(right, row: Layout.columnsRow, column: starts.last! - 1, style: TextStyle(bold: true, colour: .accent))
        }
        for (index, heading) in headings.enumerated() {
            canvas.text(heading, row: Layout.columnsRow, column: starts[index], width: index == 0 ? nameWidth : index < 3 ? 8 : cell,
                        style: TextStyle(bold: true), alignRight: index > 0)
        }
        let legendRows = legendRows(reasons.count)
        let height = rows(state).count
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        let rows = groups.dropFirst(first).prefix(height).map { ($0.name, $0.mix) } + [("Total", total)]
        for (offset, (name, mix)) in rows.enumerated() {
            let isTotal = offset == rows.count - 1
            let selected = !isTotal && first + offset == state.groupCursor
            let y = Layout.listTop + offset
            let style = TextStyle(bold: selected || isTotal, reverse: selected)
            canvas.text(ReviewerLayout.marker(selected, canvas) + name, row: y, column: 0, width: nameWidth + 2, style: style)
            canvas.text(Figures.count(mix.closed), row: y, column: starts[1], width: 8, style: style, alignRight: true)
            canvas.text(Figures.count(mix.open), row: y, column: starts[2], width: 8, style: style, alignRight: true)
            for (index, reason) in shown.enumerated() {
                let share = mix.share(of: reason)
                canvas.text(ReviewerLayout.rate(share, state), row: y, column: starts[index + 3], width: cell,
                            style: ReviewerLayout.style(share, state, selected: selected), alignRight: true)
            }
        }
        let legendTop = Layout.messageRow(state.display) - legendRows - 1
        // Every reason in the legend, shown or scrolled off, in as many columns as it takes.
        let columnsOfLegend = max(1, (reasons.count + legendRows - 1) / max(legendRows, 1))
        for (index, reason) in reasons.enumerated() {
            let column = index / legendRows, row = index % legendRows
            canvas.text("R\(index + 1) \(reason.shortName)", row: legendTop + row, column: 2 + column * (canvas.width / columnsOfLegend),
                        width: canvas.width / columnsOfLegend - 3, style: TextStyle(dim: true, colour: shownIndices.contains(index) ? nil : .accent))
        }
        let more = shown.count < reasons.count ? "R\(offset + 1)–R\(offset + shown.count) of \(reasons.count) shown: { } for the others · " : ""
        canvas.text("  " + more + ReviewerLayout.reliabilityNote(state), row: legendTop + legendRows, column: 0, width: canvas.width,
                    style: TextStyle(dim: true))
    }
}
