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

    private static func entry(_ keys: String, _ action: String, footer: String? = nil) -> Entry {
        Entry(keys: keys, action: action, footer: footer)
    }

    private static let filtering: [Entry] = [
        entry("f", "choose filters", footer: "filter"),
        entry("u / U", "undo / redo the last filter change", footer: "undo/redo"),
        entry("c", "clear all filters"),
    ]

    private static let reviewing: [Entry] = [
        entry("a", "rates over all cases / over closed cases only"),
        entry("m", "maturity: only cases reported 6, 12, 24 months before the latest date, or all"),
        entry("r", "why cases stopped, group by group"),
        entry("t", "days from report to each stage"),
        entry("p", "funnel plot: a step rate against group size"),
        entry("H", "heatmap: a step rate by two dimensions"),
        entry("T", "trend: a step rate per quarter reported"),
        entry("C", "time to a stage: share reaching it within D days, open cases censored"),
        entry("A", "adjust flags for case mix: crime type, the next dimension, … off"),
        entry("M", "correct flags by Holm (family-wise) or Benjamini–Hochberg (false discovery rate)"),
    ]

    private static let exporting: [Entry] = [
        entry("e", "export this table (CSV, Markdown, JSON, Excel) with metadata and small counts withheld", footer: "export"),
    ]

    private static let leaving: [Entry] = [
        entry("i", "import summary: rows accepted, rejected, warned about"),
        entry("?", "this help", footer: "help"),
        entry("q Esc ⌫", "back; quit from the funnel", footer: "back"),
        entry("Q", "quit at once"),
    ]

    /// Every key of `page`.
    public static func entries(for page: Page) -> [Entry] {
        switch page {
        case .funnel:
            return [
                entry("↑↓ j k", "choose a stage (or a reason)", footer: "move"),
                entry("g G", "first / last"),
                entry("Tab", "switch between stages and reasons", footer: "reasons"),
                entry("Enter", "list the cases behind the number", footer: "cases"),
                entry("b", "breakdown by a dimension", footer: "breakdown"),
                entry("d", "choose the breakdown dimension"),
            ] + filtering + reviewing + exporting + leaving
        case .breakdown:
            return [
                entry("↑↓ j k", "choose a group", footer: "group"),
                entry("←→ h l", "choose a column", footer: "column"),
                entry("PgUp PgDn g G", "page up / down, first / last"),
                entry("s / S", "sort by the column (again: reverse) / file order", footer: "sort"),
                entry("[ ] d", "previous / next / choose dimension", footer: "dimension"),
                entry("Tab", "switch between the table and the reasons"),
                entry("Enter", "list the cases behind the cell", footer: "cases"),
            ] + filtering + reviewing + exporting + leaving
        case .filters:
            return [
                entry("↑↓ j k", "move", footer: "move"),
                entry("Tab ←→", "switch between dimensions and values", footer: "pane"),
                entry("Space Enter", "select or unselect the value", footer: "select"),
                entry("c", "clear all filters", footer: "clear"),
                entry("u / U", "undo / redo", footer: "undo/redo"),
            ] + leaving.filter { $0.keys != "i" }
        case .dimensions:
            return [
                entry("↑↓ j k", "move", footer: "move"),
                entry("Enter", "break down by this dimension", footer: "choose"),
            ] + leaving.filter { $0.keys != "i" }
        case .cases:
            return [
                entry("↑↓ j k", "choose a case", footer: "move"),
                entry("PgUp PgDn g G", "page up / down, first / last"),
                entry("Enter", "the case's journey", footer: "journey"),
                entry("/", "search by case reference or any field; Enter keeps, Esc clears", footer: "search"),
            ] + leaving.filter { $0.keys != "i" }
        case .caseDetail:
            return [entry("↑↓ j k", "previous / next case in the list", footer: "case")] + leaving.filter { $0.keys != "i" }
        case .reasons:
            return [
                entry("↑↓ j k", "choose a group", footer: "group"),
                entry("←→ < >", "the stage cases stopped at", footer: "stage"),
                entry("[ ]", "previous / next dimension", footer: "dimension"),
                entry("Enter", "list the group's cases closed at the stage", footer: "cases"),
            ] + filtering + reviewing + exporting + leaving
        case .timing:
            return [
                entry("↑↓ j k", "choose a group", footer: "group"),
                entry("[ ]", "previous / next dimension", footer: "dimension"),
                entry("Enter", "list the group's cases", footer: "cases"),
            ] + filtering + reviewing + exporting + leaving
        case .funnelPlot, .trend:
            return [
                entry("↑↓ j k", "choose a group", footer: "group"),
                entry("←→ < >", "previous / next step", footer: "step"),
                entry("[ ]", "previous / next dimension", footer: "dimension"),
            ] + (page == .funnelPlot ? [
                entry("R", "disparity ratios against this group (again: against the rest of the table)", footer: "reference"),
                entry("o", "limits: binomial, widened by φ (multiplicative), or by τ² (additive)", footer: "overdispersion"),
            ] : [])
                + [entry("Enter", "list the group's cases that made the step", footer: "cases")]
                + filtering + reviewing + exporting + leaving
        case .survival:
            return [
                entry("↑↓ j k", "choose a group", footer: "group"),
                entry("←→ < >", "the stage to reach", footer: "stage"),
                entry("+ -", "read the figure at more or fewer days", footer: "days"),
                entry("[ ]", "previous / next dimension", footer: "dimension"),
                entry("Enter", "list the group's cases that reached the stage", footer: "cases"),
            ] + filtering + reviewing + exporting + leaving
        case .heatmap:
            return [
                entry("↑↓ ←→", "choose a cell", footer: "cell"),
                entry("< >", "previous / next step", footer: "step"),
                entry("[ ] { }", "row / column dimension", footer: "dimensions"),
                entry("n", "counts (n/N) instead of rates", footer: "counts"),
                entry("Enter", "list the cell's cases that made the step", footer: "cases"),
            ] + filtering + reviewing + exporting + leaving
        case .help, .importSummary:
            return [entry("↑↓ PgUp PgDn", "scroll", footer: "scroll")] + leaving.filter { $0.keys != "i" && $0.keys != "?" }
        }
    }

    /// The footer line's entries for `page`.
    public static func footer(for page: Page) -> [Entry] { entries(for: page).filter { $0.footer != nil } }
}
