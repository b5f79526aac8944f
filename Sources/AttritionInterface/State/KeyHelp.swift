import AttritionCore

/// The keys of each page, for the help page and the footer. One table, so the two never disagree.
public enum KeyHelp {
    /// A key (or keys) and what it does.
    public struct Entry: Equatable, Sendable {
        /// The key as shown, e.g. `↑↓ j k`.
        public let keys: String
        /// What it does.
        public let action: String
        /// A word or two for the footer; nil when the key is listed on the help page only.
        public let footer: String?
    }

    /// The keys of an entry as the footer shows them: the first key of each kind (`↑↓` for
    /// `↑↓ j k`, `Esc` for `q Esc ⌫`, `s` for `s / S`).
    static func short(_ keys: String) -> String {
        let shorter = ["↑↓ j k": "↑↓", "←→ h l": "←→", "←→ < >": "←→", "q Esc ⌫": "Esc", "s / S": "s", "u / U": "u",
                       "[ ] d": "[ ]", "/ n N": "/", "PgUp PgDn g G": "PgUp", "↑↓ PgUp PgDn": "↑↓", "Space Enter": "Space", "Tab ←→": "Tab",
                       "↑↓ ←→": "↑↓←→"]
        return shorter[keys] ?? keys
    }

    static func entry(_ keys: String, _ action: String, footer: String? = nil) -> Entry {
        Entry(keys: keys, action: action, footer: footer)
    }

    static let filtering: [Entry] = [
        entry("f", "choose filters", footer: "filter"),
        entry("u / U", "undo / redo the last filter change", footer: "undo/redo"),
        entry("c", "clear all filters"),
    ]

    static var reviewing: [Entry] { [
        entry("a", "rates over all cases / over closed cases only"),
        entry("m", "maturity: only cases reported 6, 12, 24 months before the latest date, or all"),
    ] + PageRegistry.reviewerViews.compactMap { view in
        view.descriptor.page.key.map { entry(String($0), view.descriptor.page.summary) }
    } + [
        entry("A", "adjust flags for case mix: crime type, the next dimension, … off"),
        entry("M", "correct flags by Holm (family-wise) or Benjamini–Hochberg (false discovery rate)"),
    ] }

    static let commanding: [Entry] = [
        entry(":", "command palette: every action, view, dimension and value by name, with Tab completion", footer: "commands"),
        entry("y", "the command line that prints this view, shown and copied to the clipboard"),
    ]

    static let exporting: [Entry] = [
        entry("e", "export this table (CSV, Markdown, JSON, Excel) with metadata and small counts withheld", footer: "export"),
    ]

    static let searching: [Entry] = [
        entry("/ n N", "search this page's list: type to jump to a match, then next / previous", footer: "search"),
    ]

    static let leaving: [Entry] = [
        entry("i", "import summary: rows accepted, rejected, warned about"),
        entry("?", "this help", footer: "help"),
        entry("q Esc ⌫", "back a page (never quits; q on the first page asks to quit)", footer: "back"),
        entry("Q", "quit at once", footer: "quit"),
    ]

    /// The key that opens `view`'s page, with what it shows (from its descriptor).
    static func opening(_ view: AnalysisView, footer: String? = nil) -> Entry {
        entry(view.descriptor.page.key.map(String.init) ?? "", view.descriptor.page.summary, footer: footer)
    }

    /// The keys every analysis page shares, after its own.
    static var analysing: [Entry] { filtering + reviewing + commanding + exporting + searching + leaving }

    /// Every key of `page`.
    public static func entries(for page: Page) -> [Entry] { page.unit.keys }

    /// The footer line's entries for `page`.
    public static func footer(for page: Page) -> [Entry] { entries(for: page).filter { $0.footer != nil } }
}
