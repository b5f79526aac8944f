import Foundation

/// Charts as SVG files for reports and browsers: the funnel, a breakdown's step rate by group and
/// the funnel plot, each with its title, axes, filters and source in the figure. Figures come from
/// the published (suppressed) table, so a withheld count is never drawn: its bar or point is left
/// out and the figure says how many were.
public enum SVGChart {
    /// The views a chart can be drawn of.
    private static let views: [AnalysisView] = [.funnel, .breakdown, .compare]

    /// Nil when a chart of `view` can be drawn; else why not, and what to export instead.
    public static func refusal(for view: AnalysisView) -> String? {
        views.contains(view) ? nil
            : "svg draws the funnel, a breakdown and the funnel plot; \(view.rawValue) is a table: export it as csv, md, xlsx or json"
    }

    /// The SVG of `published` (the suppressed tidy table of `query`), with `analysis` for what the
    /// table does not carry (the funnel plot's limits at every size). Throws for other views.
    public static func render(_ published: DataTable, analysis: Analysis, query: AnalysisQuery) throws -> String {
        let reader = TidyReader(published)
        var figure = Figure(title: published.title, subtitle: published.notes.first ?? "", footer: footer(published.metadata))
        switch (query.view, analysis) {
        case (.funnel, _):
            figure.title = "Funnel: all cases"
            funnel(reader, into: &figure)
        case (.breakdown, .funnel(let funnel)): breakdown(reader, funnel: funnel, stage: query.stage, into: &figure)
        case (.compare, .comparison(let comparison)): funnelPlot(reader, comparison: comparison, into: &figure)
        default:
            throw QueryError.notAnswerable(refusal(for: query.view) ?? "no chart of the \(query.view.rawValue) view")
        }
        return figure.svg
    }

    /// Source, fingerprint, tool and suppression, from the metadata.
    private static func footer(_ metadata: [(String, String)]) -> [String] {
        let value = { (key: String) in metadata.first { $0.0 == key }?.1 ?? "?" }
        return ["Source: \(value("source")) (SHA-256 \(value("source_sha256").prefix(12))…), \(value("rows_accepted")) cases accepted; "
                    + "\(value("tool")), \(value("created"))",
                "Suppression: " + (value("suppression").split(separator: ";").first.map(String.init) ?? "?")]
    }

    /// Cases reaching each stage, one bar a stage, with the step rate beside it.
    private static func funnel(_ reader: TidyReader, into figure: inout Figure) {
        let row = reader.tidy.rows.firstIndex { !$0.isTotal } ?? 0
        let stages = Stage.allCases.filter { reader.value(.reached($0), row) != .notRecorded }
        let bars = stages.enumerated().map { index, stage -> Bar in
            let count: Double? = if case .count(let n) = reader.value(.reached(stage), row) { Double(n) } else { nil }
            var label = count.map { NumberText.thousands(Int($0)) } ?? "[c]"
            if index > 0, case .text(let rate) = reader.cell(.rate(.step(stages[index - 1], stage, .rate), ""), row: row) {
                label += "  step rate \(rate)"
            }
            return Bar(name: stage.title, value: count, interval: nil, label: label)
        }
        figure.bars(bars, axis: "Cases", percent: false, reference: nil)
    }

    /// One step's rate by group, with its 95% interval and the total's rate as a line.
    private static func breakdown(_ reader: TidyReader, funnel: Funnel, stage: Stage?, into figure: inout Figure) {
        let step = funnel.total.steps.first { $0.to == stage } ?? funnel.total.steps.first
        guard let step else { return }
        let key = { (field: ColumnKey.Field) in ColumnKey.step(step.from, step.to, field) }
        var total: Double?
        var bars: [Bar] = []
        for (row, tableRow) in reader.tidy.rows.enumerated() {
            let rate: Double? = if case .rate(let value?) = reader.value(key(.rate), row) { value } else { nil }
            let interval: ClosedRange<Double>? = if case .rate(let low?) = reader.value(key(.ciLow), row),
                                                    case .rate(let high?) = reader.value(key(.ciHigh), row) { low...high } else { nil }
            let label: String = if case .text(let text) = reader.cell(.rate(key(.rate), ""), row: row) { text } else { "[c]" }
            if tableRow.isTotal { total = rate; continue }
            if case .text(let name) = tableRow.cells[0] { bars.append(Bar(name: name, value: rate, interval: interval, label: label)) }
        }
        figure.title = "\(step.from.title) → \(step.to.title), by \(BoardLayout.dimensionTitle(reader.groupKey.name))"
        figure.bars(bars, axis: "Step rate (bars: 95% CI; line: all cases)", percent: true, reference: total)
    }

    /// Each group's rate against its size, with the overall rate and its 95% and 99.8% limits.
    private static func funnelPlot(_ reader: TidyReader, comparison: ComparisonTable, into figure: inout Figure) {
        var points: [Point] = []
        for row in reader.tidy.rows.indices {
            guard case .rate(let rate?) = reader.value(.field(.rate), row), case .count(let n) = reader.value(.field(.denominator), row),
                  case .text(let name) = reader.tidy.rows[row].cells[0] else { continue }
            let label: String = if case .text(let text) = reader.cell(.rate(.field(.rate), ""), row: row) { text } else { "" }
            points.append(Point(name: name, size: Double(n), rate: rate, label: label))
        }
        let p0 = comparison.overall.step.rate ?? 0
        let largest = max(points.map(\.size).max() ?? 1, 10) * 1.08
        let sizes = (0...60).map { max(1, (largest * Double($0) / 60).rounded()) }
        let curves = [Statistics.z95, Comparison.z998].map { z in
            sizes.map { n in (n, Comparison.limits(around: p0, n: Int(n), z: z, overdispersion: comparison.overdispersion)) }
        }
        figure.title = "Funnel plot: \(comparison.overall.from.title) → \(comparison.overall.to.title)"
        figure.funnelPlot(points, overall: p0, limits: curves, largest: largest,
                          withheld: reader.tidy.rows.count - points.count,
                          axis: "Cases at \(comparison.overall.from.title.lowercased()) (the step's denominator)")
    }
}

/// One bar of a bar chart.
struct Bar {
    let name: String
    let value: Double?
    let interval: ClosedRange<Double>?
    let label: String
}

/// One point of a funnel plot.
struct Point {
    let name: String
    let size: Double
    let rate: Double
    let label: String
}

/// An SVG figure being drawn: title, subtitle and footer, and the plot's elements.
struct Figure {
    var title: String
    let subtitle: String
    let footer: [String]
    private var body: [String] = []
    private var height = 560.0
    static let width = 900.0

    init(title: String, subtitle: String, footer: [String]) {
        self.title = title
        self.subtitle = subtitle
        self.footer = footer
    }

    /// The document.
    var svg: String {
        let lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Figure.width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(Figure.width)) \(Int(height))\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">",
            "<title>\(XMLText.escaped(title))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            text(title, x: 20, y: 30, size: 18, weight: "bold"),
            text(subtitle, x: 20, y: 52, size: 12, fill: "#444"),
        ] + body + footer.enumerated().map { text($1, x: 20, y: height - 30 + Double($0) * 15, size: 10, fill: "#555") }
        return (lines + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// Horizontal bars of `bars` on an axis from 0, value labels at their ends, whiskers for
    /// intervals, a dashed line at `reference`; bars without a value are labelled and not drawn.
    mutating func bars(_ bars: [Bar], axis: String, percent: Bool, reference: Double?) {
        let left = 190.0, right = Figure.width - 230, top = 80.0, rowHeight = 26.0
        height = top + Double(bars.count) * rowHeight + 110
        let largest = bars.flatMap { [$0.value, $0.interval?.upperBound] }.compactMap { $0 }.max() ?? 1
        let ticks = Figure.ticks(upTo: max(largest, reference ?? 0, percent ? 0.01 : 1))
        let scale = { (value: Double) in left + (right - left) * value / ticks.last! }
        let bottom = top + Double(bars.count) * rowHeight
        for tick in ticks {
            body.append(line(x1: scale(tick), y1: top - 4, x2: scale(tick), y2: bottom, stroke: "#ddd"))
            body.append(text(Figure.format(tick, percent: percent), x: scale(tick), y: bottom + 16, size: 11, anchor: "middle"))
        }
        body.append(text(axis, x: (left + right) / 2, y: bottom + 36, size: 12, anchor: "middle"))
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowHeight
            body.append(text(bar.name, x: left - 8, y: y + 17, size: 12, anchor: "end"))
            if let value = bar.value {
                body.append("<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(Figure.number(scale(value) - left))\" height=\"\(rowHeight - 8)\" fill=\"#1F4E79\">"
                    + "<title>\(XMLText.escaped(bar.name)): \(XMLText.escaped(bar.label))</title></rect>")
            }
            if let interval = bar.interval {
                body.append(line(x1: scale(interval.lowerBound), y1: y + 13, x2: scale(interval.upperBound), y2: y + 13, stroke: "#E07B00", width: 2))
            }
            let end = max(bar.value.map(scale) ?? left, bar.interval.map { scale($0.upperBound) } ?? left)
            body.append(text(bar.label, x: end + 6, y: y + 17, size: 11, cssClass: "value"))
        }
        if let reference {
            body.append(line(x1: scale(reference), y1: top - 6, x2: scale(reference), y2: bottom, stroke: "#B00020", dash: true))
        }
    }

    /// A funnel plot: `points` by size and rate, the overall rate, and each limit curve as two lines.
    mutating func funnelPlot(_ points: [Point], overall: Double, limits: [[(Double, ClosedRange<Double>)]], largest: Double,
                             withheld: Int, axis: String) {
        let left = 90.0, right = Figure.width - 40, top = 80.0, bottom = 450.0
        height = bottom + 120
        let highest = max(points.map(\.rate).max() ?? 0, limits.last?.dropFirst(4).map(\.1.upperBound).max() ?? overall, overall) * 1.05
        let yTicks = Figure.ticks(upTo: max(highest, 0.01)), xTicks = Figure.ticks(upTo: largest)
        let x = { (n: Double) in left + (right - left) * n / xTicks.last! }
        let y = { (rate: Double) in bottom - (bottom - top) * min(rate, yTicks.last!) / yTicks.last! }
        for tick in yTicks {
            body.append(line(x1: left, y1: y(tick), x2: right, y2: y(tick), stroke: "#eee"))
            body.append(text(Figure.format(tick, percent: true), x: left - 6, y: y(tick) + 4, size: 11, anchor: "end"))
        }
        for tick in xTicks { body.append(text(Figure.format(tick, percent: false), x: x(tick), y: bottom + 16, size: 11, anchor: "middle")) }
        body.append(line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#333"))
        body.append(line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#333"))
        body.append(text(axis, x: (left + right) / 2, y: bottom + 36, size: 12, anchor: "middle"))
        body.append("<text x=\"20\" y=\"\((top + bottom) / 2)\" font-size=\"12\" transform=\"rotate(-90 20 \((top + bottom) / 2))\" text-anchor=\"middle\">Step rate</text>")
        for (curve, colour) in zip(limits, ["#E07B00", "#B00020"]) {
            for side in [\ClosedRange<Double>.lowerBound, \ClosedRange<Double>.upperBound] {
                let path = curve.map { "\(Figure.number(x($0.0))),\(Figure.number(y($0.1[keyPath: side])))" }.joined(separator: " ")
                body.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>")
            }
        }
        body.append(line(x1: left, y1: y(overall), x2: right, y2: y(overall), stroke: "#333", dash: true))
        for point in points {
            body.append("<circle cx=\"\(Figure.number(x(point.size)))\" cy=\"\(Figure.number(y(point.rate)))\" r=\"4\" fill=\"#1F4E79\">"
                + "<title>\(XMLText.escaped(point.name)): \(XMLText.escaped(point.label))</title></circle>")
            body.append(text(point.name, x: x(point.size) + 6, y: y(point.rate) - 6, size: 10, cssClass: "value"))
        }
        var legend = "Dashed: all cases \(Figure.format(overall, percent: true)); orange: 95% limits; red: 99.8% limits"
        if withheld > 0 { legend += "; \(withheld) groups withheld ([c]) not shown" }
        body.append(text(legend, x: left, y: bottom + 56, size: 11, fill: "#444"))
    }

    private func text(_ content: String, x: Double, y: Double, size: Int, weight: String? = nil, fill: String? = nil,
                      anchor: String? = nil, cssClass: String? = nil) -> String {
        var attributes = "x=\"\(Figure.number(x))\" y=\"\(Figure.number(y))\" font-size=\"\(size)\""
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let fill { attributes += " fill=\"\(fill)\"" }
        if let anchor { attributes += " text-anchor=\"\(anchor)\"" }
        if let cssClass { attributes += " class=\"\(cssClass)\"" }
        return "<text \(attributes)>\(XMLText.escaped(content))</text>"
    }

    private func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: Bool = false) -> String {
        "<line x1=\"\(Figure.number(x1))\" y1=\"\(Figure.number(y1))\" x2=\"\(Figure.number(x2))\" y2=\"\(Figure.number(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(Figure.number(width))\"\(dash ? " stroke-dasharray=\"5,4\"" : "")/>"
    }

    /// Round tick values from 0 covering `maximum`: steps of 1, 2 or 5 times a power of ten.
    static func ticks(upTo maximum: Double) -> [Double] {
        let raw = maximum / 5
        let power = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        let count = Int((maximum / step).rounded(.up))
        return (0...max(count, 1)).map { Double($0) * step }
    }

    /// A tick's label.
    static func format(_ value: Double, percent: Bool) -> String {
        percent ? String(format: value < 0.1 && value > 0 ? "%.1f%%" : "%.0f%%", value * 100) : NumberText.thousands(Int(value.rounded()))
    }

    /// A coordinate to one decimal.
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
