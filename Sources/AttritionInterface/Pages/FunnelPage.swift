import AttritionCore
import AttritionTerminal

extension Page {
    /// The start page: one bar per stage and the reasons cases stopped.
    public static let funnel = Page(view: .funnel)
}

/// The start page: a bar per stage with its count, step and cumulative rates, open and closed
/// cases apart, and the reasons cases stopped at the highlighted stage.
enum FunnelPage: PageUnit {
    static let name = "funnel"
    static let view: AnalysisView? = .funnel

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ j k", "choose a stage (or a reason)", footer: "move"),
            KeyHelp.entry("g G", "first / last"),
            KeyHelp.entry("Tab", "switch between stages and reasons", footer: "reasons"),
            KeyHelp.entry("Enter", "list the cases behind the number", footer: "cases"),
            KeyHelp.opening(.breakdown, footer: "breakdown"),
            KeyHelp.entry("d", "choose the breakdown dimension"),
        ] + KeyHelp.analysing
    }

    static let notes = [
        "Bars           cases that reached each stage, to scale.",
        "Open, Closed   cases whose journey stops at that stage: still open (not attrition) or",
        "               closed, with the reasons below (short names; the official one beneath).",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws {
        let stages = state.overall.stages
        if state.pane == .primary, let cursor = Update.moved(state.stageCursor, key, count: stages.count, page: stages.count) {
            state.stageCursor = cursor
            state.reasonCursor = 0
            return
        }
        let reasons = state.reasonsAtCursor
        if state.pane == .secondary, let cursor = Update.moved(state.reasonCursor, key, count: reasons.count, page: 5) {
            state.reasonCursor = cursor
            return
        }
        switch key {
        case .tab, .backTab:
            state.pane = state.pane == .primary && !reasons.isEmpty ? .secondary : .primary
        case .enter:
            let stage = stages[state.stageCursor]
            if state.pane == .secondary, reasons.indices.contains(state.reasonCursor) {
                let reason = reasons[state.reasonCursor].outcome
                try Update.openCases(&state, CaseSelection(filter: state.filter, reached: stage, outcome: reason),
                              title: "Closed at \(stage.title): \(reason.name)")
            } else {
                try Update.openCases(&state, CaseSelection(filter: state.filter, reached: stage), title: "Reached \(stage.title)")
            }
        case .character("b"): state.push(.breakdown)
        case .character("d"): try DimensionsPage.open(&state)
        case let .click(row, _):
            if (Layout.listTop..<(Layout.listTop + stages.count)).contains(row) {
                state.pane = .primary
                state.stageCursor = row - Layout.listTop
                state.reasonCursor = 0
            } else {
                let index = row - Layout.reasonsTop(stages: stages.count) - 1
                if reasons.indices.contains(index) {
                    state.pane = .secondary
                    state.reasonCursor = index
                }
            }
        default: try Update.common(&state, key)
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? {
        state.pane == .primary ? (state.overall.stages.map(\.title), state.stageCursor)
            : (state.reasonsAtCursor.map { "\($0.outcome.shortName) \($0.outcome.name)" }, state.reasonCursor)
    }

    static func select(_ state: inout AppState, item index: Int) {
        if state.pane == .primary {
            state.stageCursor = index
            state.reasonCursor = 0
        } else {
            state.reasonCursor = index
        }
    }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        let funnel = state.overall
        let counts = funnel.total.counts
        let reported = counts.reached(.reported)
        canvas.rule("Funnel: where \(Figures.count(reported)) cases went", row: Layout.headingRow)

        // Columns: marker, stage, cases, bar, step rate with n/N, cumulative, open, closed; each as
        // wide as its widest entry, the bar taking what is left.
        let stages = funnel.stages
        let stepTexts = funnel.total.steps.map { Figures.rate($0.step, state.reliability) }
        let stageWidth = 15
        let casesWidth = max(5, Figures.count(reported).count)
        let stepWidth = max(15, stepTexts.map(\.count).max() ?? 0)
        let cumulativeWidth = 6
        let openWidth = max(4, stages.map { Figures.count(counts.open(at: $0)).count }.max() ?? 0)
        let closedWidth = max(6, stages.map { Figures.count(counts.droppedOff(at: $0)).count }.max() ?? 0)
        let barWidth = max(0, canvas.width - (2 + stageWidth + casesWidth + stepWidth + cumulativeWidth + openWidth + closedWidth + 7))
        let starts = Canvas.columnStarts([stageWidth, casesWidth, barWidth, stepWidth, cumulativeWidth, openWidth], from: 2)
        let columns = (stage: starts[0], cases: starts[1], bar: starts[2], step: starts[3], cumulative: starts[4],
                       open: starts[5], closed: starts[6])
        let heading = TextStyle(bold: true)
        canvas.text("Stage", row: Layout.columnsRow, column: columns.stage, width: stageWidth, style: heading)
        canvas.text("Cases", row: Layout.columnsRow, column: columns.cases, width: casesWidth, style: heading, alignRight: true)
        canvas.text("Step rate (n/N)", row: Layout.columnsRow, column: columns.step, width: stepWidth, style: heading, alignRight: true)
        canvas.text("Cumul.", row: Layout.columnsRow, column: columns.cumulative, width: cumulativeWidth, style: heading, alignRight: true)
        canvas.text("Open", row: Layout.columnsRow, column: columns.open, width: openWidth, style: heading, alignRight: true)
        canvas.text("Closed", row: Layout.columnsRow, column: columns.closed, width: closedWidth, style: heading, alignRight: true)

        for (index, stage) in funnel.stages.enumerated() {
            let row = Layout.listTop + index
            let selected = index == state.stageCursor
            let style = TextStyle(bold: selected, reverse: selected && state.pane == .primary)
            if selected { canvas.line("", row: row, style: style) }
            canvas.text(selected ? (canvas.display.ascii ? ">" : "▶") : " ", row: row, column: 0, style: style)
            canvas.text(stage.title, row: row, column: columns.stage, width: stageWidth, style: style)
            let reached = counts.reached(stage)
            canvas.text(Figures.count(reached), row: row, column: columns.cases, width: casesWidth, style: style, alignRight: true)
            let fraction = reported > 0 ? Double(reached) / Double(reported) : 0
            canvas.text(canvas.bar(fraction, cells: barWidth), row: row, column: columns.bar, width: barWidth,
                        style: TextStyle(reverse: style.reverse, colour: .bar))
            if index > 0 {
                let step = funnel.total.steps[index - 1]
                canvas.text(stepTexts[index - 1], row: row, column: columns.step, width: stepWidth, style: style, alignRight: true)
                canvas.text(Figures.percent(step.cumulative.rate), row: row, column: columns.cumulative, width: cumulativeWidth,
                            style: style, alignRight: true)
            }
            canvas.text(Figures.count(counts.open(at: stage)), row: row, column: columns.open, width: openWidth,
                        style: style, alignRight: true)
            if stage != .convicted {
                canvas.text(Figures.count(counts.droppedOff(at: stage)), row: row, column: columns.closed, width: closedWidth,
                            style: style, alignRight: true)
            }
        }
        if let note = funnel.unrecordedLine(\.title) {
            canvas.text("  " + note, row: Layout.listTop + funnel.stages.count, column: 0, width: canvas.width, style: TextStyle(dim: true))
        }
        drawReasons(state, canvas)
    }

    private static func drawReasons(_ state: AppState, _ canvas: Canvas) {
        let stage = state.overall.stages[state.stageCursor]
        let counts = state.overall.total.counts
        let top = Layout.reasonsTop(stages: state.overall.stages.count)
        let closed = counts.droppedOff(at: stage)
        if stage == .convicted {
            canvas.rule("Convicted: the end of the journey", row: top)
            return
        }
        canvas.rule("Stopped at \(stage.title): \(Figures.count(closed)) closed, \(Figures.count(counts.open(at: stage))) still open",
                    row: top)
        let reasons = state.reasonsAtCursor
        // With the reasons pane in use, its last row spells out the highlighted outcome's official name.
        let naming = state.pane == .secondary && reasons.indices.contains(state.reasonCursor)
        let room = Layout.messageRow(state.display) - top - 1 - (naming ? 2 : 0)
        if naming {
            canvas.wrapped(reasons[state.reasonCursor].outcome.name, row: Layout.messageRow(state.display) - 2, column: 2,
                           width: canvas.width - 4, lastRow: Layout.messageRow(state.display) - 1, style: TextStyle(dim: true))
        }
        if reasons.isEmpty {
            canvas.text("  No case closed at this stage.", row: top + 1, column: 0, width: canvas.width, style: TextStyle(dim: true))
            return
        }
        let first = Layout.firstVisible(cursor: state.reasonCursor, height: room)
        for (offset, reason) in reasons.dropFirst(first).prefix(room).enumerated() {
            let index = first + offset
            let selected = state.pane == .secondary && index == state.reasonCursor
            let share = Figures.percent(Double(reason.count) / Double(max(closed, 1)))
            let text = "\(selected ? (canvas.display.ascii ? ">" : "▶") : " ") \(Figures.count(reason.count).leftPadded(9))  \(share.leftPadded(6))  \(reason.outcome.shortName)"
            canvas.text(text, row: top + 1 + offset, column: 0, width: canvas.width, style: TextStyle(reverse: selected))
        }
    }
}
