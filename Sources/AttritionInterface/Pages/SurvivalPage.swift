import AttritionCore
import AttritionTerminal

extension Page {
    /// The share of cases reaching a stage within so many days, open cases censored, with its curves.
    public static let survival = Page(view: .survival)
}

/// Time to a stage: per group, the share of cases reaching it within D days of report (open cases
/// censored, closing short of it competing), and the highlighted group's curve against all cases.
enum SurvivalPage: PageUnit {
    static let name = "time to a stage"
    static let view: AnalysisView? = .survival

    static var keys: [KeyHelp.Entry] {
        ReviewerKeys.keys(step: "the stage to reach", stepWord: "stage", own: [KeyHelp.entry("+ -", "read the figure at more or fewer days", footer: "days")],
                          cases: "list the group's cases that reached the stage")
    }

    static let notes = [
        "In D d         share reaching the stage within D days of report (Aalen–Johansen):",
        "               closing short of it is a competing event, open cases are censored at",
        "               the as-of date, so recent cases are not counted as failures.",
        "Reached/Closed/Open  how each case's follow-up ended, on any day.",
        "█ and ·        the highlighted group's curve and all cases'; │ marks day D.",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws {
        guard case .character(let char) = key, "+-=_".contains(char) else { return try ReviewerKeys.handle(&state, key, rows: rows(state)) }
        let steps = AppState.survivalDaySteps
        let index = steps.lastIndex { $0 <= state.survivalDays } ?? 0
        state.survivalDays = steps[min(max(index + (char == "+" || char == "=" ? 1 : -1), 0), steps.count - 1)]
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    /// Where the group rows are: half the page at most, the curves below.
    static func rows(_ state: AppState) -> (top: Int, count: Int) {
        guard case .survival(let table)? = state.analysis else { return (Layout.listTop, 0) }
        let groups = table.groups.count
        return (Layout.listTop, min(groups, max(3, (Layout.listHeight(state.display) - 1) / 2 - 1)))
    }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .survival(let table)? = state.analysis else { return }
        canvas.rule("Reached \(table.stage.title) within \(table.days) days, by \(BreakdownPage.title(state.dimension)); "
                    + "open censored at \(table.asOf.iso)", row: Layout.headingRow)
        let nameWidth = min(canvas.width >= 120 ? 24 : 18, max(8, (table.groups.map(\.name.count) + [5]).max()!))
        let widths = [nameWidth, 8, 10, 13, 8, 8, 8]
        let starts = Canvas.columnStarts(widths, from: 2)
        let headings = [BreakdownPage.title(state.dimension), "Cases", "In \(table.days)d", "95% CI", "Reached", "Closed", "Open"]
        for (index, heading) in headings.enumerated() {
            canvas.text(heading, row: Layout.columnsRow, column: starts[index], width: widths[index], style: TextStyle(bold: true),
                        alignRight: index > 0)
        }
        let height = rows(state).count
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        let rows = Array(table.groups.dropFirst(first).prefix(height)) + [table.total]
        for (offset, group) in rows.enumerated() {
            let isTotal = offset == rows.count - 1
            let selected = !isTotal && first + offset == state.groupCursor
            let y = Layout.listTop + (isTotal ? height : offset)
            let style = TextStyle(bold: selected || isTotal, reverse: selected, dim: group.cases < state.reliability.minimumDenominator)
            let small = group.cases > 0 && group.cases < state.reliability.minimumDenominator ? "*" : " "
            let cells = [ReviewerLayout.marker(selected, canvas) + group.name, Figures.count(group.cases),
                         Figures.percent(group.reached) + small,
                         group.interval.map { "\(Figures.percent($0.lowerBound))–\(Figures.percent($0.upperBound))" } ?? "–",
                         Figures.count(group.events), Figures.count(group.competing), Figures.count(group.censored)]
            for (index, cell) in cells.enumerated() {
                canvas.text(cell, row: y, column: index == 0 ? 0 : starts[index], width: index == 0 ? nameWidth + 2 : widths[index],
                            style: style, alignRight: index > 0)
            }
        }
        let chosen = table.groups.indices.contains(state.groupCursor) ? table.groups[state.groupCursor] : table.total
        let chartTop = Layout.listTop + height + 1
        canvas.rule("\(chosen.name) (\(canvas.display.ascii ? "#" : "█")) against all cases (\(canvas.display.ascii ? "." : "·")): "
                    + "share reached by day; │ day \(table.days)", row: chartTop)
        let chartHeight = max(2, Layout.messageRow(state.display) - chartTop - 3)
        drawCurves(chosen, total: table.total, days: table.days, top: chartTop + 1, height: chartHeight, canvas: canvas)
        canvas.text("  Closing short of the stage competes; open cases censored; * under \(state.reliability.minimumDenominator) cases",
                    row: Layout.messageRow(state.display) - 1, column: 0, width: canvas.width, style: TextStyle(dim: true))
    }

    /// The two step curves on a shared scale: days across, share reached up.
    private static func drawCurves(_ group: SurvivalGroup, total: SurvivalGroup, days: Int, top: Int, height: Int, canvas: Canvas) {
        let axisWidth = 7, left = axisWidth + 1
        let width = max(10, canvas.width - left - 2)
        let lastDay = max(total.curve.last?.day ?? days, group.curve.last?.day ?? days)
        let span = max(days, min(2 * days, lastDay), 1)
        func value(_ curve: [(day: Int, incidence: Double)], at day: Int) -> Double {
            curve.last { $0.day <= day }?.incidence ?? 0
        }
        let highest = [group.curve, total.curve].map { value($0, at: span) }.max() ?? 0
        let ceiling = max(0.1, (highest * 10).rounded(.up) / 10)
        func row(_ share: Double) -> Int { top + Int(((1 - share / ceiling) * Double(height - 1)).rounded()) }
        for share in [ceiling, ceiling / 2, 0] {
            canvas.text(Figures.percent(share), row: row(share), column: 0, width: axisWidth, style: TextStyle(dim: true), alignRight: true)
        }
        let marker = Int((Double(days) / Double(span) * Double(width - 1)).rounded())
        for y in top..<(top + height) {
            canvas.text(canvas.display.ascii ? "|" : "│", row: y, column: left + marker, style: TextStyle(dim: true))
        }
        for x in 0..<width {
            let day = Int((Double(x) / Double(max(width - 1, 1)) * Double(span)).rounded())
            canvas.text(canvas.display.ascii ? "." : "·", row: row(value(total.curve, at: day)), column: left + x, style: TextStyle(dim: true))
            canvas.text(canvas.display.ascii ? "#" : "█", row: row(value(group.curve, at: day)), column: left + x,
                        style: TextStyle(colour: .bar))
        }
        canvas.text("days from report → 0 to \(span)", row: top + height, column: left, width: width, style: TextStyle(dim: true))
    }
}
