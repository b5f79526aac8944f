import AttritionCore
import AttritionTerminal

/// What the reviewer's pages (reasons, timing, funnel plot, heatmap, trend, time to a stage)
/// share: opening one, moving between groups, steps and dimensions, and drilling into cases.
enum ReviewerKeys {
    /// The keys of a reviewer's page: groups, the step or stage (`step` says what it is, `stepWord`
    /// in the footer; none when nil), the page's `own`, the dimension, Enter for `cases`, then the
    /// keys every analysis page shares.
    static func keys(step: String?, stepWord: String = "step", own: [KeyHelp.Entry] = [], cases: String) -> [KeyHelp.Entry] {
        [KeyHelp.entry("↑↓ j k", "choose a group", footer: "group")]
            + (step.map { [KeyHelp.entry("←→ < >", $0, footer: stepWord)] } ?? []) + own
            + [KeyHelp.entry("[ ]", "previous / next dimension", footer: "dimension"), KeyHelp.entry("Enter", cases, footer: "cases")]
            + KeyHelp.analysing
    }

    /// Opens a reviewer's page on the step the breakdown has highlighted (or the first),
    /// replacing another reviewer's page rather than stacking on it.
    static func open(_ state: inout AppState, _ page: Page) throws {
        if state.page == .breakdown, state.columnCursor >= 2 { state.stepCursor = state.columnCursor - 2 }
        if state.page.view.map({ ![.funnel, .breakdown].contains($0) }) == true { state.back() }
        state.groupCursor = 0
        state.heatmapColumn = 0
        state.push(page)
    }

    /// Keys every reviewer's page takes: groups up and down, `steps` steps (or stages), the
    /// dimension, and Enter for the cases behind the highlighted row (`cases`, else those of the
    /// group that made the highlighted step).
    static func handle(_ state: inout AppState, _ key: Key, steps limit: Int? = nil, rows: (top: Int, count: Int)? = nil,
                       cases: ((inout AppState) throws -> Void)? = nil) throws {
        // A click on a group's row selects it (the page says where its rows are).
        if case let .click(row, _) = key {
            guard let rows, row >= rows.top, row < rows.top + rows.count else { return }
            let index = Layout.firstVisible(cursor: state.groupCursor, height: rows.count) + row - rows.top
            if state.analysisGroupNames.indices.contains(index) { state.groupCursor = index }
            return
        }
        let rowCount = state.analysisGroupNames.count
        if let cursor = Update.moved(state.groupCursor, key, count: rowCount, page: Layout.listHeight(state.display)) {
            state.groupCursor = cursor
            return
        }
        let limit = limit ?? state.overall.total.steps.count
        switch key {
        case .character("<"), .character(">"):
            guard limit > 0 else { return }
            state.stepCursor = (state.stepCursor + (key == .character(">") ? 1 : limit - 1)) % limit
        case .left, .right, .character("h"), .character("l"):
            guard limit > 0 else { return }
            let forward = key == .right || key == .character("l")
            state.stepCursor = min(max(state.stepCursor + (forward ? 1 : -1), 0), limit - 1)
        case .character("]"), .character("["):
            let names = state.table.dimensions.map(\.name)
            let index = names.firstIndex(of: state.dimension) ?? 0
            state.choose(dimension: names[(index + (key == .character("]") ? 1 : names.count - 1)) % names.count])
        case .enter:
            if let cases { try cases(&state) } else { try stepCases(&state) }
        default:
            try Update.common(&state, key)
        }
    }

    /// The cases of the highlighted group that made the highlighted step.
    static func stepCases(_ state: inout AppState) throws {
        let steps = state.overall.total.steps
        let groups = state.analysisGroupNames
        guard groups.indices.contains(state.groupCursor), steps.indices.contains(state.stepCursor) else { return }
        let step = steps[state.stepCursor]
        try Update.openCases(&state, CaseSelection(filter: state.filter, group: (state.dimension, groups[state.groupCursor]), reached: step.to),
                             title: "\(groups[state.groupCursor]): reached \(step.to.title)")
    }

    /// The cases behind the highlighted row of a cross-tab (and its highlighted column, when `byColumn`).
    static func crossTabCases(_ state: inout AppState, byColumn: Bool) throws {
        guard case .crossTab(let tab)? = state.analysis, tab.rows.indices.contains(state.groupCursor) else { return }
        let row = tab.rows[state.groupCursor]
        var filter = state.filter
        var title = "\(row): reached \(tab.to.title)"
        if byColumn, tab.columns.indices.contains(state.heatmapColumn) {
            filter = filter.restricting(tab.columnDimension, to: tab.columns[state.heatmapColumn])
            title = "\(row) × \(tab.columns[state.heatmapColumn]): reached \(tab.to.title)"
        }
        try Update.openCases(&state, CaseSelection(filter: filter, group: (state.dimension, row), reached: tab.to), title: title)
    }
}

/// Shared pieces of the reviewer's pages.
enum ReviewerLayout {
    /// The step on the reviewer's pages, as `From → To`.
    static func stepTitle(_ state: AppState) -> String {
        let steps = state.overall.total.steps
        guard steps.indices.contains(state.stepCursor) else { return "" }
        return "\(steps[state.stepCursor].from.title) → \(steps[state.stepCursor].to.title)"
    }

    /// A marker for the highlighted row.
    static func marker(_ selected: Bool, _ canvas: Canvas) -> String {
        selected ? (canvas.display.ascii ? "> " : "▶ ") : "  "
    }

    /// A rate as text, with `*` when its denominator is below the reliability threshold.
    static func rate(_ proportion: Proportion, _ state: AppState) -> String {
        Figures.percent(proportion.rate) + (proportion.total > 0 && !state.reliability.isReliable(proportion) ? "*" : " ")
    }

    /// The style for a rate: dimmed when not reliable.
    static func style(_ proportion: Proportion, _ state: AppState, selected: Bool = false) -> TextStyle {
        TextStyle(reverse: selected, dim: !state.reliability.isReliable(proportion))
    }

    /// The footnote for `*`.
    static func reliabilityNote(_ state: AppState) -> String {
        "* fewer than \(state.reliability.minimumDenominator) cases: not reliable"
    }
}
