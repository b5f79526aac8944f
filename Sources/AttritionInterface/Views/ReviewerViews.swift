import Foundation
import AttritionCore
import AttritionTerminal

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

/// Why cases stopped at one stage, group by group: shares of the reason groups.
enum ReasonsView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .reasons(let table)? = state.analysis, let total = table.total.mixes.first else { return }
        let groups = table.groups.map { (name: $0.name, mix: $0.mixes[0]) }
        canvas.rule("Why cases stopped at \(total.stage.title), by \(BreakdownView.title(state.dimension)): share of cases closed there",
                    row: Layout.headingRow)
        let reasons = total.counts.map(\.reason)
        let nameWidth = min(22, max(8, (groups.map(\.name.count) + [5]).max()!))
        let cell = 8
        let fitting = max(0, (canvas.width - nameWidth - 2 - 2 * 9) / (cell + 1))
        let shown = Array(reasons.prefix(fitting))
        let starts = Canvas.columnStarts([nameWidth, 8, 8] + Array(repeating: cell, count: shown.count), from: 2)
        let headings = [BreakdownView.title(state.dimension), "Closed", "Open"] + shown.indices.map { "R\($0 + 1)" }
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
            canvas.text("R\(index + 1) \(reason.name)", row: legendTop + row, column: 2 + column * (canvas.width / columnsOfLegend),
                        width: canvas.width / columnsOfLegend - 3, style: TextStyle(dim: true))
        }
        canvas.text("  " + ReviewerLayout.reliabilityNote(state), row: legendTop + legendRows, column: 0, width: canvas.width,
                    style: TextStyle(dim: true))
    }
}

/// Days from report to each stage, group by group: median and quartiles, open cases apart.
enum TimingView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .timing(let table)? = state.analysis else { return }
        let (groups, total) = (table.groups, table.total)
        canvas.rule("Days from report, by \(BreakdownView.title(state.dimension)): median (quartiles) of completed cases",
                    row: Layout.headingRow)
        let stages = total.stages.map(\.stage)
        let nameWidth = min(canvas.width >= 120 ? 22 : 18, max(8, (groups.map(\.name.count) + [5]).max()!))
        let cell = max(12, min(20, (canvas.width - nameWidth - 4) / max(stages.count, 1) - 1))
        let starts = Canvas.columnStarts([nameWidth] + Array(repeating: cell, count: stages.count), from: 2)
        canvas.text(BreakdownView.title(state.dimension), row: Layout.columnsRow, column: 2, width: nameWidth, style: TextStyle(bold: true))
        for (index, stage) in stages.enumerated() {
            canvas.text("to " + BreakdownView.heading(stage, width: cell - 3), row: Layout.columnsRow, column: starts[index + 1],
                        width: cell, style: TextStyle(bold: true), alignRight: true)
        }
        let detailRows = 3
        let height = Layout.listHeight(state.display) - detailRows - 2
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        let rows = Array(groups.dropFirst(first).prefix(height)) + [total]
        for (offset, group) in rows.enumerated() {
            let isTotal = offset == rows.count - 1
            let selected = !isTotal && first + offset == state.groupCursor
            let y = Layout.listTop + offset
            let style = TextStyle(bold: selected || isTotal, reverse: selected)
            canvas.text(ReviewerLayout.marker(selected, canvas) + group.name, row: y, column: 0, width: nameWidth + 2, style: style)
            for (index, timing) in group.stages.enumerated() {
                canvas.text(quartiles(timing), row: y, column: starts[index + 1], width: cell,
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

/// A step rate against group size, with the overall rate and 95% and 99.8% control limits.
enum FunnelPlotView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        let funnel = state.breakdown
        let steps = funnel.total.steps
        guard steps.indices.contains(state.stepCursor), let p0 = steps[state.stepCursor].step.rate else {
            canvas.rule("Funnel plot: no cases made this step", row: Layout.headingRow)
            return
        }
        guard case .comparison(let comparison)? = state.analysis else { return }
        let (points, disparities, reference) = (comparison.points, comparison.disparities, comparison.reference)
        canvas.rule("Funnel plot: \(ReviewerLayout.stepTitle(state)) by \(BreakdownView.title(state.dimension)); overall \(Figures.percent(p0))",
                    row: Layout.headingRow)
        let legendWidth = canvas.width >= 110 ? 62 : 0
        let legendBelow = legendWidth == 0
        let plotHeight = max(6, Layout.listHeight(state.display) - (legendBelow ? 7 : 1))
        let axisWidth = 7
        let plotLeft = axisWidth + 1, plotWidth = canvas.width - plotLeft - legendWidth - 2
        let sizes = points.map { Double(max($0.proportion.total, 1)) }
        let (minN, maxN) = (max(1, (sizes.min() ?? 1) * 0.8), max(2, (sizes.max() ?? 2) * 1.25))
        let rates = points.map { $0.proportion.rate ?? 0 }
        let widest = Comparison.limits(around: p0, n: Int(minN), z: Comparison.z998, overdispersion: comparison.overdispersion)
        let top: Double = min(1, max(rates.max() ?? p0, widest.upperBound) * 1.05)
        let bottom: Double = max(0, min(rates.min() ?? p0, widest.lowerBound) * 0.95)
        func y(_ rate: Double) -> Int {
            let fraction = top > bottom ? (rate - bottom) / (top - bottom) : 0.5
            return Layout.columnsRow + Int(((1 - fraction) * Double(plotHeight - 1)).rounded())
        }
        let (logMin, logSpan) = (log(minN), log(maxN) - log(minN))
        func n(atColumn x: Int) -> Double {
            let fraction = Double(x) / Double(max(plotWidth - 1, 1))
            return exp(logMin + logSpan * fraction)
        }
        func column(_ size: Double) -> Int {
            let fraction = (log(size) - logMin) / logSpan
            return plotLeft + Int((fraction * Double(plotWidth - 1)).rounded())
        }
        // Axis labels (the top, the overall rate on its line, the bottom), limit curves and the overall rate.
        for rate in [top, p0, bottom] {
            canvas.text(Figures.percent(rate), row: y(rate), column: 0, width: axisWidth, style: TextStyle(dim: true), alignRight: true)
        }
        let dot = canvas.display.ascii ? "." : "·", line = canvas.display.ascii ? "-" : "─"
        for x in 0..<plotWidth {
            let size = Int(n(atColumn: x))
            canvas.text(line, row: y(p0), column: plotLeft + x, style: TextStyle(dim: true))
            for (z, glyph) in [(Statistics.z95, dot), (Comparison.z998, ":")] {
                let limits = Comparison.limits(around: p0, n: size, z: z, overdispersion: comparison.overdispersion)
                for bound in [limits.lowerBound, limits.upperBound] where bound >= bottom && bound <= top {
                    canvas.text(glyph, row: y(bound), column: plotLeft + x, style: TextStyle(dim: true))
                }
            }
        }
        canvas.text("cases at the earlier stage (log scale) → \(Figures.count(Int(minN)))…\(Figures.count(Int(maxN)))",
                    row: Layout.columnsRow + plotHeight, column: plotLeft, width: plotWidth, style: TextStyle(dim: true))
        // Groups that land on one cell show as `+`; the highlighted group is drawn last, on top.
        var occupied: [Int: Int] = [:]
        for (index, point) in points.enumerated() {
            let cell = y(point.proportion.rate ?? 0) * 10_000 + column(Double(max(point.proportion.total, 1)))
            occupied[cell, default: 0] += 1
        }
        let order = points.indices.filter { $0 != state.groupCursor } + (points.indices.contains(state.groupCursor) ? [state.groupCursor] : [])
        for index in order {
            let point = points[index]
            let (row, x) = (y(point.proportion.rate ?? 0), column(Double(max(point.proportion.total, 1))))
            let selected = index == state.groupCursor
            let glyph = !selected && occupied[row * 10_000 + x, default: 0] > 1 ? "+" : label(index)
            canvas.text(glyph, row: row, column: x, style: selected ? TextStyle(bold: true, reverse: true) : style(point.position))
        }
        // The legend: every group with its rate, n/N and position.
        let legendTop = legendBelow ? Layout.columnsRow + plotHeight + 1 : Layout.columnsRow
        let legendLeft = legendBelow ? 2 : canvas.width - legendWidth
        let legendText = legendBelow ? canvas.width - 4 : legendWidth - 1
        canvas.text("\(dot) 95%  : 99.8% limits; × ratio to \(reference ?? "the rest of the table") (R)", row: legendTop, column: legendLeft,
                    width: legendText, style: TextStyle(dim: true))
        canvas.text(statusLine(comparison, state), row: legendTop + 1, column: legendLeft, width: legendText, style: TextStyle(dim: true))
        let legendHeight = Layout.messageRow(state.display) - legendTop - 2
        let first = Layout.firstVisible(cursor: state.groupCursor, height: legendHeight)
        for (offset, point) in points.dropFirst(first).prefix(legendHeight).enumerated() {
            let index = first + offset
            let ratio = disparities[index].map { disparity in
                "×" + String(format: "%.2f", disparity.ratio)
                    + (disparity.interval.map { String(format: " (%.2f–%.2f)", $0.lowerBound, $0.upperBound) } ?? "")
            } ?? ""
            let small = state.reliability.isReliable(point.proportion) ? "" : "*"
            let text = "\(label(index)) \(point.name): \(Figures.rate(point.proportion))\(small) \(description(point.position)) \(ratio)"
                + adjustedText(comparison, name: point.name, canvas: canvas)
            canvas.text(text, row: legendTop + 2 + offset, column: legendLeft, width: (legendBelow ? canvas.width - 4 : legendWidth - 1),
                        style: index == state.groupCursor ? TextStyle(bold: true, reverse: true) : style(point.position))
        }
    }

    /// The limits in force, the overdispersion estimate and the comparisons behind the flags.
    static func statusLine(_ comparison: ComparisonTable, _ state: AppState) -> String {
        let spread = comparison.overdispersion.map { estimate in
            "φ \(String(format: "%.2f", estimate.phi))\(estimate.isSignificant ? " (beyond chance)" : "")"
                + " τ² \(String(format: "%.5f", estimate.tauSquared))"
        } ?? "φ –"
        let model = ["none": "binomial", "multiplicative": "×φ", "additive": "+τ²"][state.overdispersion.rawValue] ?? ""
        return "\(spread); limits \(model) (o) · \(comparison.funnel.comparisons[comparison.step]) compared, "
            + "\(state.correction == .holm ? "Holm" : "FDR") (M)" + (comparison.funnel.adjustedFor.map { " · adjusted for \($0) (A)" } ?? "")
    }

    /// ` O/E 0.92 (0.79–1.05) ▼ appears` for a case-mix adjusted comparison, empty otherwise.
    static func adjustedText(_ comparison: ComparisonTable, name: String, canvas: Canvas) -> String {
        guard let step = comparison.funnel.groups.first(where: { $0.name == name })?.steps[comparison.step],
              let adjusted = step.adjusted, let ratio = adjusted.ratio else { return "" }
        let interval = adjusted.interval.map { String(format: " (%.2f–%.2f)", $0.lowerBound, $0.upperBound) } ?? ""
        let flag = adjusted.flag.map { " " + canvas.glyph($0) } ?? ""
        return " O/E \(String(format: "%.2f", ratio))\(interval)\(flag)" + (step.flagChange.map { " flag \($0.rawValue)" } ?? "")
    }

    /// `1`–`9`, then `a`–`z`, then `+`.
    static func label(_ index: Int) -> String {
        let symbols = Array("123456789abcdefghijklmnopqrstuvwxyz")
        return index < symbols.count ? String(symbols[index]) : "+"
    }

    static func description(_ position: FunnelPlotPosition) -> String {
        switch position {
        case .within: "within"
        case .above95: "above 95%"
        case .below95: "below 95%"
        case .above998: "above 99.8%"
        case .below998: "below 99.8%"
        }
    }

    static func style(_ position: FunnelPlotPosition) -> TextStyle {
        switch position {
        case .within: .plain
        case .above95, .above998: TextStyle(bold: true, colour: .high)
        case .below95, .below998: TextStyle(bold: true, colour: .low)
        }
    }
}

/// A step rate by two dimensions, shaded; small groups dimmed; counts on demand.
enum HeatmapView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .crossTab(let tab)? = state.analysis else { return }
        canvas.rule("Heatmap: \(ReviewerLayout.stepTitle(state)), \(BreakdownView.title(state.dimension)) × \(BreakdownView.title(tab.columnDimension))",
                    row: Layout.headingRow)
        let nameWidth = min(20, max(8, (tab.rows.map(\.count) + [5]).max()!))
        let cell = state.showCounts ? 13 : 8
        let visibleColumns = max(1, (canvas.width - nameWidth - 3) / (cell + 1))
        let firstColumn = Layout.firstVisible(cursor: state.heatmapColumn, height: visibleColumns)
        let columns = Array(tab.columns.indices.dropFirst(firstColumn).prefix(visibleColumns))
        let starts = Canvas.columnStarts([nameWidth] + Array(repeating: cell, count: columns.count), from: 2)
        for (offset, column) in columns.enumerated() {
            canvas.text(tab.columns[column], row: Layout.columnsRow, column: starts[offset + 1], width: cell,
                        style: TextStyle(bold: true, reverse: column == state.heatmapColumn), alignRight: true)
        }
        let maximum = tab.cells.flatMap { $0 }.compactMap { state.reliability.isReliable($0) ? $0.rate : nil }.max() ?? 1
        let height = Layout.listHeight(state.display) - 3
        let first = Layout.firstVisible(cursor: state.groupCursor, height: height)
        for (offset, row) in tab.rows.indices.dropFirst(first).prefix(height).enumerated() {
            let y = Layout.listTop + offset
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
            let figures = proportion.total == 0 ? "no case reached \(tab.from.title) here" : "\(Figures.rate(proportion))  \(Figures.interval(proportion))"
            canvas.text("  \(tab.rows[state.groupCursor]) × \(tab.columns[state.heatmapColumn]): \(figures)",
                        row: footer, column: 0, width: canvas.width, style: TextStyle(bold: true))
        }
        let more = tab.columns.count > columns.count ? "columns \(firstColumn + 1)–\(firstColumn + columns.count) of \(tab.columns.count); " : ""
        canvas.text("  \(more)darker = higher; \(ReviewerLayout.reliabilityNote(state)) (dimmed); n shows counts", row: footer + 1,
                    column: 0, width: canvas.width, style: TextStyle(dim: true))
    }

    /// A shade glyph for `rate` relative to `maximum`.
    static func shade(_ rate: Double, _ maximum: Double, _ canvas: Canvas) -> String {
        let shades = canvas.display.ascii ? [" ", ".", ":", "#"] : [" ", "░", "▒", "▓"]
        let level = maximum > 0 ? min(3, Int(rate / maximum * 3.999)) : 0
        return shades[level]
    }
}

/// A step rate per quarter reported, as a sparkline per group.
enum TrendView {
    static func draw(_ state: AppState, _ canvas: Canvas) {
        guard case .crossTab(let tab)? = state.analysis else { return }
        canvas.rule("Trend: \(ReviewerLayout.stepTitle(state)) by quarter reported, by \(BreakdownView.title(state.dimension))",
                    row: Layout.headingRow)
        let nameWidth = min(22, max(8, (tab.rows.map(\.count) + [5]).max()!))
        let sparkWidth = min(tab.columns.count, max(8, canvas.width - nameWidth - 30))
        let quarters = Array(tab.columns.indices.suffix(sparkWidth))
        let maximum = tab.cells.flatMap { $0 }.compactMap { state.reliability.isReliable($0) ? $0.rate : nil }.max() ?? 1
        let sparkLeft = nameWidth + 3
        canvas.text(BreakdownView.title(state.dimension), row: Layout.columnsRow, column: 2, width: nameWidth, style: TextStyle(bold: true))
        if let first = quarters.first, let last = quarters.last {
            canvas.text("\(tab.columns[first]) … \(tab.columns[last])", row: Layout.columnsRow, column: sparkLeft, width: max(sparkWidth, 20),
                        style: TextStyle(bold: true))
        }
        canvas.text("First    Last", row: Layout.columnsRow, column: sparkLeft + max(sparkWidth, 20) + 2, width: 14, style: TextStyle(bold: true))
        let detailRows = 3
        let height = Layout.listHeight(state.display) - detailRows - 2
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
            let recent = tab.columns.indices.suffix(4).map { "\(tab.columns[$0]) \(Figures.rate(tab.cells[state.groupCursor][$0]))" }
            canvas.text("  " + recent.prefix(2).joined(separator: "   "), row: top + 1, column: 0, width: canvas.width)
            canvas.text("  " + recent.dropFirst(2).joined(separator: "   "), row: top + 2, column: 0, width: canvas.width)
        }
        canvas.text("  Bars scale to the highest reliable rate; · marks quarters under \(state.reliability.minimumDenominator) cases. Recent quarters hold open cases: try a (closed cases) or m (maturity).",
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
