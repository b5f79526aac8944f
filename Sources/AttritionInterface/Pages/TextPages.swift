import AttritionCore
import AttritionTerminal

extension Page {
    /// Keys and marks of the page below it.
    public static let help = Page(id: "help")
    /// Rows read, accepted, rejected and warned about.
    public static let importSummary = Page(id: "importSummary")
}

/// Help: the keys of the page below and what its marks mean, scrolling.
enum HelpPage: PageUnit {
    static let name = "help"
    static var keys: [KeyHelp.Entry] { ScrollingText.keys }
    static func handle(_ state: inout AppState, _ key: Key) throws { ScrollingText.scroll(&state, key) }
    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { ScrollingText.items(state) }
    static func select(_ state: inout AppState, item index: Int) { ScrollingText.show(&state, line: index) }
    static func draw(_ state: AppState, _ canvas: Canvas) {
        ScrollingText.draw("Help: \(state.pageBelow.unit.name)", state, canvas)
    }
}

/// The account of the import: rows read, accepted, rejected and warned about, each listed.
enum ImportSummaryPage: PageUnit {
    static let name = "import summary"
    static var keys: [KeyHelp.Entry] { ScrollingText.keys }
    static func handle(_ state: inout AppState, _ key: Key) throws { ScrollingText.scroll(&state, key) }
    static func searchItems(_ state: AppState) -> (items: [String], current: Int)? { ScrollingText.items(state) }
    static func select(_ state: inout AppState, item index: Int) { ScrollingText.show(&state, line: index) }
    static func draw(_ state: AppState, _ canvas: Canvas) { ScrollingText.draw("Import summary", state, canvas) }
}

/// What the pages of plain text share: scrolling, and drawing `TextPages.lines`.
enum ScrollingText {
    static var keys: [KeyHelp.Entry] {
        [KeyHelp.entry("↑↓ PgUp PgDn", "scroll", footer: "scroll")] + [KeyHelp.commanding[0]] + KeyHelp.searching + KeyHelp.leaving.filter { $0.keys != "i" && $0.keys != "?" }
    }

    static func scroll(_ state: inout AppState, _ key: Key) {
        let height = Layout.textHeight(state.display)
        let last = max(0, TextPages.lines(state).count - height)
        if let line = Update.moved(state.scroll, key, count: last + 1, page: height) { state.scroll = line }
    }

    /// The page's lines, for `/`, with the first line shown.
    static func items(_ state: AppState) -> (items: [String], current: Int) { (TextPages.lines(state).map(\.text), state.scroll) }

    /// Scrolls so that `line` is the first shown (as far as the text allows).
    static func show(_ state: inout AppState, line: Int) {
        state.scroll = min(line, max(0, TextPages.lines(state).count - Layout.textHeight(state.display)))
    }

    static func draw(_ title: String, _ state: AppState, _ canvas: Canvas) {
        canvas.rule(title, row: Layout.headingRow)
        let lines = TextPages.lines(state)
        let height = Layout.textHeight(state.display)
        for (offset, line) in lines.dropFirst(state.scroll).prefix(height).enumerated() {
            canvas.text(" " + line.text, row: Layout.headingRow + 1 + offset, column: 0, width: canvas.width,
                        style: TextStyle(bold: line.isHeading))
        }
    }
}
