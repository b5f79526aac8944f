import AttritionCore
import AttritionTerminal

extension Page {
    /// One row per group of a dimension.
    public static let breakdown = Page(view: .breakdown)
}

/// One row per group of a dimension: counts and step rates, flagged groups marked by glyph and
/// colour, an inline bar for the highlighted column, and the highlighted cell in detail below.
enum BreakdownPage: PageUnit {
    static let name = "breakdown"
    static let view: AnalysisView? = .breakdown

    static var keys: [KeyHelp.Entry] {
        [
            KeyHelp.entry("↑↓ j k", "choose a group", footer: "group"),
            KeyHelp.entry("←→ h l", "choose a column", footer: "column"),
            KeyHelp.entry("PgUp PgDn g G", "page up / down, first / last"),
            KeyHelp.entry("s / S", "sort by the column (again: reverse) / file order", footer: "sort"),
            KeyHelp.entry("%", "stage columns: step rate from the stage before / rate of reported cases", footer: "rate"),
            KeyHelp.entry("o", "show the share of each cell's cases still open", footer: "open"),
            KeyHelp.entry("[ ] d", "previous / next / choose dimension", footer: "dimension"),
            KeyHelp.entry("Tab", "switch between the table and the reasons"),
            KeyHelp.entry("Enter", "list the cases behind the cell", footer: "cases"),
        ] + KeyHelp.analysing
    }

    static let notes = [
        "A              adjust for case mix (crime type first): flags then compare each group's",
        "               cases with those expected at the table's rates within each stratum.",
        "~              the flag appeared, disappeared or reversed under that adjustment.",
        "°              the flag rests on open cases: over closed cases it is gone or reversed.",
        "%              stage columns show the step rate (of the stage before) or the rate of",
        "               reported cases (the usual 'charge rate'); the heading says which. Flags",
        "               are on step rates. Both sort.",
        "o12%           with o: the share of the cell's denominator still open at the stage before.",
    ]

    static func handle(_ state: inout AppState, _ key: Key) throws {
        let groups = state.sortedGroups
        let columns = 2 + state.breakdown.total.steps.count
        if state.pane == .primary,
           let cursor = Update.moved(state.groupCursor, key, count: groups.count, page: Layout.breakdownHeight(state.display)) {
            state.groupCursor = cursor
            state.reasonCursor = 0
            return
        }
        let reasons = reasons(state)
        if state.pane == .secondary, let cursor = Update.moved(state.reasonCursor, key, count: reasons.count, page: 4) {
            state.reasonCursor = cursor
            return
        }
        switch key {
        case .left, .character("h"): state.columnCursor = max(0, state.columnCursor - 1); state.reasonCursor = 0
        case .right, .character("l"): state.columnCursor = min(columns - 1, state.columnCursor + 1); state.reasonCursor = 0
        case .tab, .backTab: state.pane = state.pane == .primary && !reasons.isEmpty ? .secondary : .primary
        case .character("s"):
            if state.sort?.column == state.columnCursor {
                state.sort?.descending.toggle()
            } else {
                state.sort = SortOrder(column: state.columnCursor, descending: state.columnCursor != 0)
            }
            state.groupCursor = 0
        case .character("S"):
            state.sort = nil
            state.groupCursor = 0
        case .character("%"):
            state.rateOfReported.toggle()
            state.message = state.rateOfReported ? "Stage columns: rate of reported cases (flags are on step rates)"
                : "Stage columns: step rate from the stage before"
        case .character("o"):
            state.showOpenShare.toggle()
        case .character("]"), .character("["):
            let names = state.table.dimensions.map(\.name)
            let index = names.firstIndex(of: state.dimension) ?? 0
            let step = key == .character("]") ? 1 : names.count - 1
            state.choose(dimension: names[(index + step) % names.count])
        case .character("d"): try DimensionsPage.open(&state)
        case .enter:
            guard groups.indices.contains(state.groupCursor) else { return }
            let group = groups[state.groupCursor]
            let stage = stage(state)
            let selection = (dimension: state.dimension, label: group.name)
            if state.pane == .secondary, reasons.indices.contains(state.reasonCursor) {
                let from = state.columnCursor >= 2 ? state.breakdown.total.steps[state.columnCursor - 2].from : .reported
                let reason = reasons[state.reasonCursor].outcome
                try Update.openCases(&state, CaseSelection(filter: state.filter, group: selection, reached: from, outcome: reason),
                              title: "\(group.name): closed at \(from.title): \(reason.name)")
            } else {
                try Update.openCases(&state, CaseSelection(filter: state.filter, group: selection, reached: stage),
                              title: "\(group.name): reached \(stage.title)")
            }
        case let .click(row, _):
            let top = Layout.firstVisible(cursor: state.groupCursor, height: Layout.breakdownHeight(state.display))
            let index = top + row - Layout.listTop
            if row >= Layout.listTop, row < Layout.listTop + Layout.breakdownHeight(state.display), groups.indices.contains(index) {
                state.pane = .primary
                state.groupCursor = index
            }
        default: try Update.common(&state, key)
        }
    }

    /// The stage a breakdown column counts: reported for the name and reported columns, else the step's target.
    static func stage(_ state: AppState) -> Stage {
        state.columnCursor >= 2 ? state.breakdown.total.steps[state.columnCursor - 2].to : .reported
    }

    /// Drop-off reasons for the highlighted group at the stage its highlighted step starts from.
    static func reasons(_ state: AppState) -> [(outcome: CaseOutcome, count: Int)] {
        let groups = state.sortedGroups
        guard groups.indices.contains(state.groupCursor) else { return [] }
        let from = state.columnCursor >= 2 ? state.breakdown.total.steps[state.columnCursor - 2].from : .reported
        return groups[state.groupCursor].counts.dropOffReasons(at: from)
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        let funnel = state.breakdown
        let groups = state.sortedGroups
        let names = state.table.dimensions.map(\.name)
        let position = (names.firstIndex(of: state.dimension) ?? 0) + 1
        let kind = state.rateOfReported ? "rates of reported" : "step rates"
        let place = funnel.adjustedFor.map { "adjusted: \(title($0))" } ?? "dimension \(position) of \(names.count)"
        canvas.rule("Breakdown by \(title(state.dimension)), \(kind) (%), \(place)", row: Layout.headingRow)

        let steps = funnel.total.steps
        let nameWidth = min(24, max(10, (groups.map(\.name.count) + [5]).max()!))
        let countWidth = max(8, Figures.count(funnel.total.counts.reached(.reported)).count)
        let rateWidth = state.showOpenShare ? 13 : 8
        let fullCell = countWidth + 1 + rateWidth
        let compact = 2 + nameWidth + 1 + countWidth + steps.count * (fullCell + 1) + 10 > canvas.width
        let cellWidth = compact ? (state.showOpenShare ? 11 : 9) : fullCell
        let starts = Canvas.columnStarts([nameWidth, countWidth] + Array(repeating: cellWidth, count: steps.count), from: 2)
        let barStart = starts.last! + 1
        let barWidth = canvas.width - barStart - 1

        // Headings, with the sort marked.
        let headings = [title(state.dimension), "Reported"] + steps.map { heading($0.to, width: cellWidth) }
        for (column, heading) in headings.enumerated() {
            let marker = state.sort?.column == column ? (state.sort!.descending ? "↓" : "↑") : ""
            let width = column == 0 ? nameWidth : column == 1 ? countWidth : cellWidth
            canvas.text(heading + marker, row: Layout.columnsRow, column: starts[column], width: width,
                        style: TextStyle(bold: true, reverse: column == state.columnCursor), alignRight: column > 0)
        }
        let whiskers = state.columnCursor >= 2
        let range = whiskers ? whiskerRange(state, groups) : 0...barScale(state, groups)
        if barWidth >= 6 {
            let full = "95% CI, \(Figures.percent(range.lowerBound))–\(Figures.percent(range.upperBound)); │ all"
            let label = whiskers ? (full.count <= barWidth ? full : "95% CI") : "cases"
            canvas.text(label, row: Layout.columnsRow, column: barStart, width: barWidth, style: TextStyle(bold: true))
        }

        let height = Layout.breakdownHeight(state.display)
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        for (offset, group) in groups.dropFirst(first).prefix(height).enumerated() {
            let selected = first + offset == state.groupCursor
            drawRow(group, row: Layout.listTop + offset, selected: selected, isTotal: false, state: state, canvas: canvas,
                    layout: (starts, nameWidth, countWidth, cellWidth, compact))
            if barWidth >= 6, whiskers {
                let step = group.steps[state.columnCursor - 2]
                canvas.text(canvas.whisker(state.shownRate(step), reference: state.shownRate(funnel.total.steps[state.columnCursor - 2]).rate,
                                           range: range, cells: barWidth),
                            row: Layout.listTop + offset, column: barStart, width: barWidth, style: Canvas.style(step.flag))
            } else if barWidth >= 6 {
                canvas.text(canvas.bar(barValue(state, group) / range.upperBound, cells: barWidth), row: Layout.listTop + offset,
                            column: barStart, width: barWidth, style: TextStyle(colour: .bar))
            }
        }
        let totalRow = Layout.listTop + height
        // More groups above or below: arrows in the margin; where there is room, the count on the total row.
        if first > 0, state.groupCursor != first {
            canvas.text(canvas.display.ascii ? "^" : "↑", row: Layout.listTop, column: 0, style: TextStyle(dim: true))
        }
        if first + height < groups.count, state.groupCursor != first + height - 1 {
            canvas.text(canvas.display.ascii ? "v" : "↓", row: Layout.listTop + height - 1, column: 0, style: TextStyle(dim: true))
        }
        if groups.count > height, barWidth >= 12 {
            canvas.text("\(first + 1)–\(min(first + height, groups.count)) of \(groups.count)", row: totalRow,
                        column: barStart, width: barWidth, style: TextStyle(dim: true), alignRight: true)
        }
        drawRow(funnel.total, row: totalRow, selected: false, isTotal: true, state: state, canvas: canvas,
                layout: (starts, nameWidth, countWidth, cellWidth, compact))
        drawDetail(state, groups, canvas, top: totalRow + 1)
    }

    /// A stage's column heading, shortened to fit `width`.
    static func heading(_ stage: Stage, width: Int) -> String {
        let full = stage == .referred ? "Referred" : stage.title
        return full.count <= width ? full : String(full.prefix(width - 1)) + "."
    }

    /// The heading for a dimension: a built-in's title or an extra column's name.
    static func title(_ dimension: String) -> String {
        BuiltInDimension(rawValue: dimension)?.title ?? dimension
    }

    private static func drawRow(_ group: GroupFunnel, row: Int, selected: Bool, isTotal: Bool, state: AppState, canvas: Canvas,
                                layout: (starts: [Int], name: Int, count: Int, cell: Int, compact: Bool)) {
        let base = TextStyle(bold: selected || isTotal)
        let cellSelected = { (column: Int) in selected && state.pane == .primary && column == state.columnCursor }
        canvas.text((selected ? (canvas.display.ascii ? ">" : "▶") : " "), row: row, column: 0, style: base)
        canvas.text(group.name, row: row, column: layout.starts[0], width: layout.name,
                    style: TextStyle(bold: base.bold, reverse: cellSelected(0)))
        canvas.text(Figures.count(group.counts.reached(.reported)), row: row, column: layout.starts[1], width: layout.count,
                    style: TextStyle(bold: base.bold, reverse: cellSelected(1)), alignRight: true)
        for (index, step) in group.steps.enumerated() {
            let shown = state.shownRate(step)
            let unreliable = shown.total > 0 && !state.reliability.isReliable(shown)
            // Flags are on step rates; under case-mix adjustment the adjusted one, marked ~ where adjustment
            // changed it; ° where the flag rests on open cases.
            let flag = state.rateOfReported ? nil : step.adjusted == nil ? step.flag : step.adjusted?.flag
            var marks = canvas.glyph(flag)
            if !state.rateOfReported, step.flagChange != nil { marks += "~" }
            if !state.rateOfReported, !isTotal, state.flagRestsOnOpenCases(group, step: index) { marks += "°" }
            var rate = Figures.percent(shown.rate) + (unreliable ? "*" : "") + marks
            if state.showOpenShare, state.basis == .all, step.step.total > 0 {
                let open = Double(group.counts.open(at: step.from)) / Double(step.step.total)
                rate += " o" + String(Int((open * 100).rounded())) + "%"
            }
            let text = layout.compact ? rate : Figures.count(shown.count).leftPadded(layout.count) + " " + rate.leftPadded(layout.cell - layout.count - 1)
            var style = Canvas.style(flag, selected: cellSelected(index + 2))
            style.bold = style.bold || base.bold
            style.dim = unreliable
            canvas.text(text, row: row, column: layout.starts[index + 2], width: layout.cell, style: style, alignRight: true)
        }
    }

    /// What the inline bar shows: the highlighted step's rate, or cases for the first columns.
    private static func barValue(_ state: AppState, _ group: GroupFunnel) -> Double {
        state.columnCursor >= 2 ? state.shownRate(group.steps[state.columnCursor - 2]).rate ?? 0 : Double(group.counts.reached(.reported))
    }

    /// The whiskers' scale: from the lowest lower bound to the highest upper bound among the groups.
    private static func whiskerRange(_ state: AppState, _ groups: [GroupFunnel]) -> ClosedRange<Double> {
        let intervals = groups.compactMap { state.shownRate($0.steps[state.columnCursor - 2]).wilson95 }
        let low = intervals.map(\.lowerBound).min() ?? 0, high = intervals.map(\.upperBound).max() ?? 1
        return low...max(high, low + 1e-9)
    }

    private static func barScale(_ state: AppState, _ groups: [GroupFunnel]) -> Double {
        max(groups.map { barValue(state, $0) }.max() ?? 1, 1e-9)
    }

    /// The highlighted cell in words, with the reasons its group's cases stopped.
    private static func drawDetail(_ state: AppState, _ groups: [GroupFunnel], _ canvas: Canvas, top: Int) {
        guard groups.indices.contains(state.groupCursor) else {
            canvas.rule("No cases under these filters", row: top)
            return
        }
        let group = groups[state.groupCursor]
        let steps = state.breakdown.total.steps
        let from = state.columnCursor >= 2 ? steps[state.columnCursor - 2].from : .reported
        var lines: [(String, TextStyle)] = []
        if state.columnCursor >= 2 {
            let step = group.steps[state.columnCursor - 2], total = steps[state.columnCursor - 2]
            canvas.rule("\(group.name): \(step.from.title) → \(step.to.title)", row: top)
            let rest = Proportion(total.step.count - step.step.count, of: total.step.total - step.step.total)
            let flag = step.flag.map { "  \(canvas.glyph($0)) \($0.rawValue) vs rest \(Figures.rate(rest))" } ?? ""
            lines.append(("  Step rate \(Figures.rate(step.step, state.reliability))  \(Figures.interval(step.step))\(flag)", Canvas.style(step.flag)))
            if state.flagRestsOnOpenCases(group, step: state.columnCursor - 2),
               let closed = state.closedGroups[group.name]?.steps[state.columnCursor - 2] {
                let there = closed.flag.map { "\(canvas.glyph($0)) \($0.rawValue)" } ?? "no flag"
                lines.append(("  ° The flag rests on open cases: over closed cases \(Figures.rate(closed.step, state.reliability)), \(there)",
                              TextStyle(bold: true)))
            }
            if let adjusted = step.adjusted, let ratio = adjusted.ratio, state.breakdown.adjustedFor != nil {
                let interval = adjusted.interval.map { String(format: " (%.2f–%.2f)", $0.lowerBound, $0.upperBound) } ?? ""
                let change = step.flagChange.map { "; flag \($0.rawValue)" } ?? ""
                lines.append(("  Adjusted: O/E " + String(format: "%.2f", ratio) + interval + (adjusted.flag.map { " \(canvas.glyph($0))" } ?? "")
                              + ", \(Figures.count(adjusted.observed)) of " + String(format: "%.1f", adjusted.expected) + " expected"
                              + change, Canvas.style(adjusted.flag)))
            } else {
                lines.append(("  Cumulative \(Figures.rate(step.cumulative)) of reported", .plain))
            }
        } else {
            canvas.rule("\(group.name): \(Figures.count(group.counts.reached(.reported))) cases reported", row: top)
        }
        let closed = group.counts.droppedOff(at: from)
        lines.append(("  Stopped at \(from.title): \(Figures.count(closed)) closed, \(Figures.count(group.counts.open(at: from))) still open",
                      .plain))
        let reasons = BreakdownPage.reasons(state)
        let room = Layout.breakdownDetailHeight - 2 - lines.count
        let firstReason = Layout.firstVisible(cursor: state.reasonCursor, height: room)
        for (offset, reason) in reasons.dropFirst(firstReason).prefix(room).enumerated() {
            let selected = state.pane == .secondary && firstReason + offset == state.reasonCursor
            let share = Figures.percent(Double(reason.count) / Double(max(closed, 1)))
            lines.append(("   \(Figures.count(reason.count).leftPadded(7)) \(share.leftPadded(6))  \(reason.outcome.shortName)",
                          TextStyle(reverse: selected)))
        }
        for (offset, line) in lines.enumerated() {
            canvas.text(line.0, row: top + 1 + offset, column: 0, width: canvas.width, style: line.1)
        }
        let column = state.columnCursor >= 2 ? state.columnCursor - 2 : 0
        let compared = state.breakdown.comparisons.indices.contains(column) ? state.breakdown.comparisons[column] : 0
        let flags = "\(canvas.glyph(.low))\(canvas.glyph(.high)) vs rest: \(compared) compared, \(state.correction == .holm ? "Holm" : "FDR") (M)"
        var legend = state.breakdown.adjustedFor == nil ? "\(flags) · \(ReviewerLayout.reliabilityNote(state))"
            : "\(flags) · ~ flag changed by adjustment · * under \(state.reliability.minimumDenominator)"
        if state.pane == .secondary, reasons.indices.contains(state.reasonCursor) { legend = reasons[state.reasonCursor].outcome.name }
        canvas.text("  " + legend, row: top + Layout.breakdownDetailHeight - 1, column: 0, width: canvas.width,
                    style: TextStyle(dim: true))
    }
}
