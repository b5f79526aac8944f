import AttritionCore
import Foundation
import AttritionTerminal

extension Page {
    /// A step rate against group size, with control limits.
    public static let funnelPlot = Page(view: .compare)
}

/// A step rate against group size, with the overall rate and 95% and 99.8% control limits.
enum FunnelPlotPage: PageUnit {
    static let name = "funnel plot"
    static let view: AnalysisView? = .compare

    static var keys: [KeyHelp.Entry] {
        ReviewerKeys.keys(step: "previous / next step", own: [
            KeyHelp.entry("R", "disparity ratios against this group (again: against the rest of the table)", footer: "reference"),
            KeyHelp.entry("o", "limits: binomial, widened by φ (multiplicative), or by τ² (additive)", footer: "overdispersion"),
        ], cases: "list the group's cases that made the step")
    }

    static let notes = [
        "· and :        95% and 99.8% control limits around the overall rate; exact binomial",
        "               limits under 1,000 cases, normal from there.",
        "φ, τ²          overdispersion: how much more the groups vary than chance explains;",
        "               o widens the limits by φ (multiplicative) or τ² (additive).",
        "×              ratio of the group's rate to the rest of the table (or the group chosen",
        "               with R), with the Miettinen–Nurminen 95% interval.",
        "O/E            with A: cases that made the step over those expected for the case mix.",
    ]

    /// Columns the legend takes beside the plot (none at under 110 columns, where it goes below).
    static func legendWidth(_ state: AppState) -> Int { state.display.columns >= 110 ? 62 : 0 }

    /// Rows of the plot.
    static func plotHeight(_ state: AppState) -> Int { max(6, Layout.listHeight(state.display) - (legendWidth(state) == 0 ? 7 : 1)) }

    /// Where the legend's group rows are, under its two lines of key and status: a click there selects the group.
    static func legendRows(_ state: AppState) -> (top: Int, count: Int) {
        let header = legendWidth(state) == 0 ? Layout.columnsRow + plotHeight(state) + 1 : Layout.columnsRow
        return (header + 2, Layout.messageRow(state.display) - header - 2)
    }

    static func handle(_ state: inout AppState, _ key: Key) throws {
        switch key {
        case .character("o"):
            let models = OverdispersionModel.allCases
            state.overdispersion = models[((models.firstIndex(of: state.overdispersion) ?? 0) + 1) % models.count]
            state.message = "Funnel-plot limits: " + state.overdispersion.title
        case .character("R"):
            let names = state.analysisGroupNames
            guard names.indices.contains(state.groupCursor) else { return }
            state.referenceGroup = state.referenceGroup == names[state.groupCursor] ? nil : names[state.groupCursor]
            state.message = "Disparity ratios against \(state.referenceGroup ?? "the rest of the table")"
        default:
            try ReviewerKeys.handle(&state, key, rows: legendRows(state))
        }
    }

    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { groupItems(state) }
    static func select(_ state: inout AppState, item index: Int) { state.groupCursor = index }

    static func draw(_ state: AppState, _ canvas: Canvas) {
        let funnel = state.breakdown
        let steps = funnel.total.steps
        guard steps.indices.contains(state.stepCursor), let p0 = steps[state.stepCursor].step.rate else {
            canvas.rule("Funnel plot: no cases made this step", row: Layout.headingRow)
            return
        }
        guard case .comparison(let comparison)? = state.analysis else { return }
        let (points, disparities, reference) = (comparison.points, comparison.disparities, comparison.reference)
        canvas.rule("Funnel plot: \(ReviewerLayout.stepTitle(state)) by \(BreakdownPage.title(state.dimension)); overall \(Figures.percent(p0))",
                    row: Layout.headingRow)
        let (legendWidth, plotHeight) = (legendWidth(state), plotHeight(state))
        let legendBelow = legendWidth == 0
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
        canvas.text("cases at the earlier stage (log scale) → \(Figures.count(Int(minN))) to \(Figures.count(Int(maxN)))",
                    row: Layout.columnsRow + plotHeight, column: plotLeft, width: plotWidth, style: TextStyle(dim: true))
        // Groups that land on one cell show as `+`; the highlighted group is drawn last, on top.
        var occupied: [Int: Int] = [:]
        for point in points {
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
        let legendTop = legendRows(state).top - 2
        let legendLeft = legendBelow ? 2 : canvas.width - legendWidth
        let legendText = legendBelow ? canvas.width - 4 : legendWidth - 1
        canvas.text("\(line) overall  \(dot) 95%  : 99.8% limits; × ratio to \(reference ?? "the rest") (R)", row: legendTop, column: legendLeft,
                    width: legendText, style: TextStyle(dim: true))
        canvas.text(statusLine(comparison, state), row: legendTop + 1, column: legendLeft, width: legendText, style: TextStyle(dim: true))
        let legendHeight = legendRows(state).count
        let first = Layout.firstVisible(cursor: state.groupCursor, height: legendHeight)
        for (offset, point) in points.dropFirst(first).prefix(legendHeight).enumerated() {
            let index = first + offset
            let ratio = disparities[index].map { disparity in
                "×" + String(format: "%.2f", disparity.ratio)
                    + (disparity.interval.map { String(format: " (%.2f–%.2f)", $0.lowerBound, $0.upperBound) } ?? "")
            } ?? ""
            let text = "\(label(index)) \(point.name): \(Figures.rate(point.proportion, state.reliability)) \(description(point.position)) \(ratio)"
                + adjustedText(comparison, name: point.name, canvas: canvas, intervals: !legendBelow)
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
            + "\(state.correction == .holm ? "Holm" : "FDR") (M)" + (comparison.funnel.adjustedFor.map { " · A: \($0)" } ?? "")
    }

    /// ` O/E 0.92 (0.79–1.05) ▼ appears` for a case-mix adjusted comparison, empty otherwise.
    static func adjustedText(_ comparison: ComparisonTable, name: String, canvas: Canvas, intervals: Bool) -> String {
        guard let step = comparison.funnel.groups.first(where: { $0.name == name })?.steps[comparison.step],
              let adjusted = step.adjusted, let ratio = adjusted.ratio else { return "" }
        let interval = intervals ? adjusted.interval.map { String(format: " (%.2f–%.2f)", $0.lowerBound, $0.upperBound) } ?? "" : ""
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
