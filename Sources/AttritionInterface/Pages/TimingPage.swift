import AttritionCore
import AttritionTerminal

extension Page {
    /// Days from report to each stage, group by group.
    public static let timing = Page(view: .timing)
}

/// Days from report to each stage, group by group: median and quartiles, open cases apart.
enum TimingPage: PageUnit {
    static let name = "timing"
    static let view: AnalysisView? = .timing

    static var keys: [KeyHelp.Entry] { ReviewerKeys.keys(step: nil, cases: "list the group's cases") }

    static let notes = [
        "median (q1–q3) days from report, over completed cases only.",
        "KM median      Kaplan–Meier: open cases count as censored at the as-of date, so a",
        "               backlog of open cases is not left out; 'not yet' while fewer than half",
        "               have reached the stage.",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws { try ReviewerKeys.handle(&state, key, rows: rows(state)) }

    /// Where the group rows are: from the list's top, above the total and the detail rows.
    static func rows(_ state: AppState) -> (top: Int, count: Int) { (Layout.listTop, Layout.listHeight(state.display) - 3 - 2) }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .timing(let table)? = state.analysis else { return }
        let (groups, total) = (table.groups, table.total)
        canvas.rule("Days from report, by \(BreakdownPage.title(state.dimension)): median (quartiles) of completed cases",
                    row: Layout.headingRow)
        let stages = total.stages.map(\.stage)
        let nameWidth = min(canvas.width >= 120 ? 22 : 16, max(8, (groups.map(\.name.count) + [5]).max()!))
        let cell = max(12, min(20, (canvas.width - nameWidth - 4) / max(stages.count, 1) - 1))
        let starts = Canvas.columnStarts([nameWidth] + Array(repeating: cell, count: stages.count), from: 2)
        canvas.text(BreakdownPage.title(state.dimension), row: Layout.columnsRow, column: 2, width: nameWidth, style: TextStyle(bold: true))
        for (index, stage) in stages.enumerated() {
            canvas.text("to " + BreakdownPage.heading(stage, width: cell - 3), row: Layout.columnsRow, column: starts[index + 1],
                        width: cell, style: TextStyle(bold: true), alignRight: true)
        }
        let detailRows = 3
        let height = rows(state).count
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        let rows = Array(groups.dropFirst(first).prefix(height)) + [total]
        for (offset, group) in rows.enumerated() {
            let isTotal = offset == rows.count - 1
            let selected = !isTotal && first + offset == state.groupCursor
            let y = Layout.listTop + offset
            let style = TextStyle(bold: selected || isTotal, reverse: selected)
            canvas.text(ReviewerLayout.marker(selected, canvas) + group.name, row: y, column: 0, width: nameWidth + 2, style: style)
            for (index, timing) in group.stages.enumerated() {
                let small = timing.timed > 0 && timing.timed < state.reliability.minimumDenominator ? "*" : ""
                canvas.text(quartiles(timing) + small, row: y, column: starts[index + 1], width: cell,
                            style: TextStyle(bold: style.bold, reverse: selected, dim: timing.timed < state.reliability.minimumDenominator),
                            alignRight: true)
            }
        }
        let top = Layout.messageRow(state.display) - detailRows - 1
        let chosen = groups.indices.contains(state.groupCursor) ? groups[state.groupCursor] : total
        let asOf = table.asOf.map { " at \($0.iso)" } ?? ""
        canvas.rule("\(chosen.name): Kaplan–Meier medians, open cases censored\(asOf)", row: top)
        let lines: [(String, (StageTiming) -> String)] = [
            ("KM median", { medianText($0.censoredMedian) }),
            ("timed (done)", { Figures.count($0.timed) }),
            ("open, censored", { Figures.count($0.stillOpen) }),
        ]
        for (offset, line) in lines.enumerated() {
            canvas.text("  " + line.0, row: top + 1 + offset, column: 0, width: nameWidth + 2, style: TextStyle(dim: offset > 0))
            for (index, timing) in chosen.stages.enumerated() {
                canvas.text(line.1(timing), row: top + 1 + offset, column: starts[index + 1], width: cell,
                            style: TextStyle(dim: offset > 0), alignRight: true)
            }
        }
    }

    /// A median in whole days, or `not yet` while fewer than half have reached the stage.
    static func medianText(_ days: Double?) -> String { days.map { String(Int($0.rounded())) } ?? "not yet" }

    /// `25 (17–36)` in whole days (halves round up), or `–` when nothing was timed.
    static func quartiles(_ timing: StageTiming) -> String {
        guard let q = timing.quartiles else { return "–" }
        func days(_ value: Double) -> String { String(Int(value.rounded())) }
        return "\(days(q.median)) (\(days(q.q1))–\(days(q.q3)))"
    }
}
