import AttritionCore
import AttritionTerminal

extension Page {
    /// Why cases stopped, group by group.
    public static let reasons = Page(id: "reasons")
}

/// Why cases stopped at one stage, group by group: shares of the reason groups.
enum ReasonsPage: PageUnit {
    static let name = "reasons"
    static let view: AnalysisView? = .reasons

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ j k", "choose a group", footer: "group"),
            KeyHelp.entry("←→ < >", "the stage cases stopped at", footer: "stage"),
            KeyHelp.entry("[ ]", "previous / next dimension", footer: "dimension"),
            KeyHelp.entry("Enter", "list the group's cases closed at the stage", footer: "cases"),
        ] + KeyHelp.filtering + KeyHelp.reviewing + KeyHelp.commanding + KeyHelp.exporting + KeyHelp.searching + KeyHelp.leaving
    }

    static func handle(_ state: inout AppState, _ key: Key) throws {
        try ReviewerKeys.handle(&state, key, steps: state.overall.stoppingStages.count) { state in
            let groups = state.breakdown.groups
            let stages = state.overall.stoppingStages
            guard groups.indices.contains(state.groupCursor), stages.indices.contains(state.stepCursor) else { return }
            let stage = stages[state.stepCursor]
            let selection = CaseSelection(filter: state.filter, group: (state.dimension, groups[state.groupCursor].name), reached: stage)
            let rows = try CaseQuery.rows(of: state.table, selection).filter {
                Int(state.table.furthestStages[$0]) == stage.rawValue && CaseOutcome(code: state.table.outcomes[$0]).isDropOff
            }
            state.caseList = CaseList(title: "\(groups[state.groupCursor].name): closed at \(stage.title)", rows: rows, shown: rows)
            try state.push(.cases)
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .reasons(let table)? = state.analysis, let total = table.total.mixes.first else { return }
        let groups = table.groups.map { (name: $0.name, mix: $0.mixes[0]) }
        canvas.rule("Why cases stopped at \(total.stage.title), by \(BreakdownPage.title(state.dimension)): share of cases closed there",
                    row: Layout.headingRow)
        let reasons = total.counts.map(\.reason)
        let nameWidth = min(22, max(8, (groups.map(\.name.count) + [5]).max()!))
        let cell = 8
        let fitting = max(0, (canvas.width - nameWidth - 2 - 2 * 9) / (cell + 1))
        let shown = Array(reasons.prefix(fitting))
        let starts = Canvas.columnStarts([nameWidth, 8, 8] + Array(repeating: cell, count: shown.count), from: 2)
        let headings = [BreakdownPage.title(state.dimension), "Closed", "Open"] + shown.indices.map { "R\($0 + 1)" }
        for (index, heading) in headings.enumerated() {
            canvas.text(heading, row: Layout.columnsRow, column: starts[index], width: index == 0 ? nameWidth : index < 3 ? 8 : cell,
                        style: TextStyle(bold: true), alignRight: index > 0)
        }
        let legendRows = min(shown.count, 4)
        let height = Layout.listHeight(state.display) - legendRows - 2
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
        let columnsOfLegend = shown.count > legendRows ? 2 : 1
        for (index, reason) in shown.enumerated() {
            let column = index / legendRows, row = index % legendRows
            canvas.text("R\(index + 1) \(reason.shortName)", row: legendTop + row, column: 2 + column * (canvas.width / columnsOfLegend),
                        width: canvas.width / columnsOfLegend - 3, style: TextStyle(dim: true))
        }
        canvas.text("  " + ReviewerLayout.reliabilityNote(state), row: legendTop + legendRows, column: 0, width: canvas.width,
                    style: TextStyle(dim: true))
    }
}
