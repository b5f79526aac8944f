import AttritionCore
import AttritionTerminal

/// Draws a state on a screen. Reads the state only; every figure was worked out before.
public enum Renderer {
    /// Draws `state` once its figures are in; while they are being worked out, draws `settled`
    /// (the last state whose figures were in, at `state`'s size) with the busy mark, so every
    /// label on screen stays with the figures it describes.
    public static func draw(_ state: AppState, settled: AppState, on screen: Screen) {
        guard state.pendingFigures != nil else { return draw(state, on: screen) }
        var shown = settled
        shown.display = state.display
        draw(shown, on: screen, busy: true)
    }

    /// Clears `screen`, draws the page on top of `state` (with the busy mark when `busy`), and presents it.
    public static func draw(_ state: AppState, on screen: Screen, busy: Bool = false) {
        screen.clear()
        let canvas = Canvas(screen: screen, display: state.display)
        if state.display.isTooSmall {
            tooSmall(state.display, canvas)
        } else {
            frame(state, canvas, busy: busy)
            state.page.unit.draw(state, canvas)
            // The palette's list floats over the page.
            if let palette = state.palette { drawPalette(palette, state, canvas) }
        }
        screen.present()
    }

    private static func tooSmall(_ display: Display, _ canvas: Canvas) {
        let lines = [
            "attrition needs a terminal of at least \(Display.minimum.columns)×\(Display.minimum.rows);",
            "this one is \(display.columns)×\(display.rows).",
            "Enlarge the window, or press q to quit.",
        ]
        for (index, line) in lines.enumerated() {
            canvas.text(line, row: index, column: 0, width: display.columns)
        }
    }

    /// The footer's keys, as many as fit: help, back and quit always, and on the analysis pages
    /// the keys of the reviewer's pages; then the page's own keys in their order of importance.
    static func footer(_ page: Page, width: Int) -> String {
        let entries = KeyHelp.footer(for: page).map { "\(KeyHelp.short($0.keys)) \($0.footer ?? "")" }
        let reviews = page.unit.keys.contains(KeyHelp.reviewing[2]) ? ["r t p H T C K views"] : []
        let kept = reviews + Array(entries.suffix(3))
        var shown: [String] = []
        for entry in entries.dropLast(3) {
            let candidate = shown + [entry] + kept
            if 1 + candidate.joined(separator: "  ").count > width { break }
            shown.append(entry)
        }
        return " " + (shown + kept).joined(separator: "  ")
    }

    /// The palette: the candidates above the message line, the text typed on it.
    private static func drawPalette(_ palette: Palette, _ state: AppState, _ canvas: Canvas) {
        let candidates = CommandPalette.candidates(palette.text, in: state)
        let message = Layout.messageRow(state.display)
        let room = min(candidates.count, max(1, message - Layout.listTop - 1), 12)
        let first = Layout.firstVisible(cursor: palette.choice, height: room)
        for (offset, candidate) in candidates.dropFirst(first).prefix(room).enumerated() {
            let selected = first + offset == palette.choice
            canvas.text("  " + candidate.label, row: message - room + offset, column: 0, width: canvas.width,
                        style: TextStyle(bold: selected, reverse: true, colour: selected ? .accent : nil))
        }
        let hint = candidates.isEmpty ? "   (no such command: Backspace, or Esc)" : ""
        canvas.text(" :\(palette.text)_\(hint)", row: message, column: 0, width: canvas.width, style: TextStyle(bold: true, colour: .accent))
    }

    /// Title bar, active filters, message line and footer: the same on every page.
    private static func frame(_ state: AppState, _ canvas: Canvas, busy isBusy: Bool) {
        let cases = Figures.count(state.overall.total.counts.reached(.reported))
        let all = Figures.count(state.table.caseCount)
        let title = " attrition · \(state.report.file) · \(state.filter.isEmpty ? "\(all) cases" : "\(cases) of \(all) cases")"
        let rejected = state.report.rejected > 0 ? "\(Figures.count(state.report.rejected)) rows rejected (i) " : ""
        // The busy mark: the screen is the one before the last key until the new figures come.
        let busy = !isBusy ? "" : state.display.ascii ? "[working] " : "◔ working… "
        canvas.text(title, row: Layout.titleRow, column: 0, width: canvas.width - rejected.count - busy.count,
                    style: TextStyle(bold: true, reverse: true))
        canvas.text(busy, row: Layout.titleRow, column: canvas.width - rejected.count - busy.count, width: busy.count,
                    style: TextStyle(bold: true, reverse: true, colour: .accent))
        canvas.text(rejected, row: Layout.titleRow, column: canvas.width - rejected.count, width: rejected.count,
                    style: TextStyle(bold: true, reverse: true, colour: .low))
        let maturity = state.maturityMonths.map { "maturity \($0)m" } ?? "maturity off"
        let basis = (state.basis == .all ? "rates over all cases" : "rates over closed cases") + " · " + maturity
        canvas.text(" Filters: \(state.filter.summary)", row: Layout.filterRow, column: 0, width: canvas.width - basis.count - 2,
                    style: TextStyle(colour: state.filter.isEmpty ? nil : .accent))
        canvas.text(basis, row: Layout.filterRow, column: canvas.width - basis.count - 1, width: basis.count,
                    style: TextStyle(dim: state.basis == .all, colour: state.basis == .all ? nil : .accent))
        if let prompt = state.exportPrompt {
            let text: String
            switch prompt.step {
            case .format: text = " Export this table as: c CSV  m Markdown  j JSON  x Excel   (Esc cancels)"
            case .path: text = " Export to: \(prompt.path)_   (Enter writes, Esc cancels)"
            case .confirmReplace: text = " \(prompt.path) exists. Replace it? y / n"
            }
            canvas.text(text, row: Layout.messageRow(state.display), column: 0, width: canvas.width,
                        style: TextStyle(bold: true, reverse: true, colour: .accent))
        } else if let palette = state.palette {
            drawPalette(palette, state, canvas)
        } else if let search = state.search, search.typing {
            canvas.text(" /\(search.query)_   (Enter keeps, Esc clears)", row: Layout.messageRow(state.display), column: 0,
                        width: canvas.width, style: TextStyle(bold: true, colour: .accent))
        } else if let message = state.message {
            canvas.text(" " + message, row: Layout.messageRow(state.display), column: 0, width: canvas.width,
                        style: TextStyle(bold: true))
        }
        let keys: String
        switch state.exportPrompt?.step {
        case .format?: keys = " c csv  m md  j json  x xlsx  s svg chart  b board pack  Esc cancel"
        case .path?: keys = " type the file name  ⌫ delete  Enter write  Esc cancel"
        case .confirmReplace?: keys = " y replace the file  n edit the name  Esc cancel"
        case nil:
            keys = state.palette != nil ? " type a command  Tab complete  ↑↓ choose  Enter run  Esc close"
                : state.confirmingQuit ? " y q quit  any other key stays"
                : state.search?.typing == true ? " type to search  ⌫ delete  Enter keep  Esc clear" : footer(state.page, width: canvas.width)
        }
        canvas.text(keys, row: Layout.footerRow(state.display), column: 0, width: canvas.width, style: TextStyle(reverse: true))
    }
}
