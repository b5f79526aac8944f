import AttritionCore
import AttritionTerminal

/// Drawing helpers over a `Screen`: fitted text, rules, bars, and the ASCII fallback.
struct Canvas {
    let screen: Screen
    let display: Display

    /// Cells per row.
    var width: Int { display.columns }

    /// Draws `text` at `row`, `column`, cut to `width` cells (with an ellipsis) and padded to it
    /// when given; right-aligned when `alignRight`. Control characters never reach the screen.
    func text(_ text: String, row: Int, column: Int, width: Int? = nil, style: TextStyle = .plain, alignRight: Bool = false) {
        var shown = DisplayText.sanitized(text)
        if display.ascii { shown = Canvas.ascii(shown) }
        if let width {
            guard width > 0 else { return }
            if shown.count > width {
                shown = width == 1 ? String(shown.prefix(1)) : String(shown.prefix(width - 1)) + (display.ascii ? "~" : "…")
            }
            let pad = String(repeating: " ", count: width - shown.count)
            shown = alignRight ? pad + shown : shown + pad
        }
        screen.put(shown, row: row, column: column, style: display.colour ? style : Canvas.monochrome(style))
    }

    /// `text` broken at spaces into lines of at most `width` cells, drawn from `row` down to at
    /// most `lastRow`; returns the rows used.
    @discardableResult
    func wrapped(_ text: String, row: Int, column: Int, width: Int, lastRow: Int, style: TextStyle = .plain) -> Int {
        guard !text.isEmpty else { return 0 }
        let shown = TextPages.wrapped(text, width: width, indent: "").prefix(max(0, lastRow - row + 1))
        for (offset, line) in shown.enumerated() {
            self.text(line, row: row + offset, column: column, width: width, style: style)
        }
        return shown.count
    }

    /// A full-width line of `text` in `style` (for bars and highlighted rows).
    func line(_ text: String, row: Int, style: TextStyle = .plain) {
        self.text(text, row: row, column: 0, width: width, style: style)
    }

    /// A horizontal rule with a title in it.
    func rule(_ title: String, row: Int) {
        let horizontal = display.ascii ? "-" : "─"
        let label = " \(title) "
        let text = horizontal + horizontal + label + String(repeating: horizontal, count: max(0, width - label.count - 2))
        self.text(text, row: row, column: 0, width: width, style: TextStyle(bold: true, colour: .accent))
    }

    /// A bar `fraction` of `cells` long, in eighths of a cell (or `#` in ASCII mode).
    func bar(_ fraction: Double, cells: Int) -> String {
        guard cells > 0 else { return "" }
        let clamped = min(max(fraction, 0), 1)
        if display.ascii {
            let filled = Int((clamped * Double(cells)).rounded())
            return String(repeating: "#", count: filled == 0 && clamped > 0 ? 1 : filled)
        }
        let eighths = Int((clamped * Double(cells) * 8).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
        if bar.isEmpty, clamped > 0 { bar = "▏" }
        return bar
    }

    /// A whisker `cells` wide on the scale `range`: the interval as `├──┤`, the rate as `●`, and the
    /// reference rate as `│` where nothing else is drawn.
    func whisker(_ proportion: Proportion, reference: Double?, range: ClosedRange<Double>, cells: Int) -> String {
        guard cells > 2 else { return "" }
        let span = max(range.upperBound - range.lowerBound, 1e-9)
        let position = { (value: Double) in
            min(cells - 1, max(0, Int(((value - range.lowerBound) / span * Double(cells - 1)).rounded())))
        }
        let glyphs = display.ascii ? (line: "-", left: "[", right: "]", dot: "o", mark: "|") : (line: "─", left: "├", right: "┤", dot: "●", mark: "│")
        var row = Array(repeating: " ", count: cells)
        if let reference { row[position(reference)] = glyphs.mark }
        if let interval = proportion.wilson95, let rate = proportion.rate {
            let (low, high) = (position(interval.lowerBound), position(interval.upperBound))
            for x in low...high { row[x] = glyphs.line }
            row[low] = glyphs.left
            row[high] = glyphs.right
            row[position(rate)] = glyphs.dot
        }
        return row.joined()
    }

    /// Left edges of columns of `widths`, one space apart, starting at `start`; the last entry
    /// is where a further column would start.
    static func columnStarts(_ widths: [Int], from start: Int) -> [Int] {
        widths.reduce(into: [start]) { starts, width in starts.append(starts.last! + width + 1) }
    }

    /// The glyph for a low/high flag, blank for none.
    func glyph(_ flag: RateFlag?) -> String {
        switch flag {
        case .low: display.ascii ? "v" : "▼"
        case .high: display.ascii ? "^" : "▲"
        case nil: " "
        }
    }

    /// The style for a flagged number.
    static func style(_ flag: RateFlag?, selected: Bool = false) -> TextStyle {
        switch flag {
        case .low: TextStyle(bold: true, reverse: selected, colour: .low)
        case .high: TextStyle(bold: true, reverse: selected, colour: .high)
        case nil: TextStyle(reverse: selected)
        }
    }

    /// Without colour, a style keeps its emphasis (bold, reverse, dim) and drops the colour.
    static func monochrome(_ style: TextStyle) -> TextStyle {
        TextStyle(bold: style.bold, reverse: style.reverse, dim: style.dim, colour: nil)
    }

    /// Non-ASCII interface characters replaced by ASCII ones.
    static func ascii(_ text: String) -> String {
        guard !text.allSatisfy(\.isASCII) else { return text }
        let table: [Character: String] = [
            "▼": "v", "▲": "^", "↑": "^", "↓": "v", "←": "<", "→": ">", "⌫": "BS", "─": "-", "│": "|",
            "█": "#", "▏": "#", "▎": "#", "▍": "#", "▌": "#", "▋": "#", "▊": "#", "▉": "#", "…": "~",
            "●": "*", "○": "o", "·": "-", "✓": "x", "–": "-", "—": "-", "▶": ">", "×": "x", "°": "'",
        ]
        return String(text.flatMap { table[$0].map(Array.init) ?? [$0] })
    }
}

/// Number formats shared by the views.
enum Figures {
    /// `12,345`.
    static func count(_ n: Int) -> String { NumberText.thousands(n) }

    /// `23.2%`, or `–` with no denominator.
    static func percent(_ value: Double?) -> String { NumberText.percent(value) }

    /// `23.2% (1,187/5,120)`.
    static func rate(_ proportion: Proportion) -> String {
        "\(percent(proportion.rate)) (\(count(proportion.count))/\(count(proportion.total)))"
    }

    /// `66.7% (4/6)*`: the rate as n/N, marked `*` when it rests on fewer cases than `reliability` asks.
    static func rate(_ proportion: Proportion, _ reliability: Reliability) -> String {
        rate(proportion) + (proportion.total > 0 && !reliability.isReliable(proportion) ? "*" : "")
    }

    /// `95% CI 22.0–24.4%`, or empty with no denominator.
    static func interval(_ proportion: Proportion) -> String {
        guard let interval = proportion.wilson95 else { return "" }
        return "95% CI \(percent(interval.lowerBound).dropLast())–\(percent(interval.upperBound))"
    }
}

extension String {
    /// The string right-aligned in `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
