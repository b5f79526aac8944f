import AttritionCore

/// A line of a text page; headings are drawn in bold.
public struct TextLine: Equatable, Sendable {
    /// The text.
    public let text: String
    /// True for a heading.
    public let isHeading: Bool
}

/// The lines of the pages that are plain scrolling text: help and the import summary.
public enum TextPages {
    /// The lines of a text page, for the page on top of `state`.
    public static func lines(_ state: AppState) -> [TextLine] {
        let headings: Set<String>
        let lines: [String]
        if state.page == .help {
            (headings, lines) = (["Keys on this page", "Reading the figures"], help(for: state.pageBelow))
        } else {
            (headings, lines) = (["Rejected rows", "Warnings"], importSummary(state.report))
        }
        return lines.map { line in TextLine(text: line, isHeading: headings.contains { line.hasPrefix($0) }) }
    }

    static func help(for page: Page) -> [String] {
        var lines = ["Keys on this page", ""]
        lines += KeyHelp.entries(for: page).map { pad($0.keys, 16) + $0.action }
        lines += [
            "",
            "Reading the figures",
            "",
            "Step rate      cases at a stage / cases at the stage before it, shown as n/N.",
            "Cumulative     cases at a stage / cases reported.",
            "Open           still under investigation or awaiting a decision or court: not attrition.",
            "Closed         stopped at that stage: a Home Office outcome, discontinued or acquitted.",
            "▼ / ▲          the group's step rate is lower / higher than all other cases in the",
            "               table at the 95% level (v / ^ in ASCII mode): Fisher's exact test for",
            "               groups under 30 cases or expected counts under 5, else the z-test;",
            "               groups of 1 or 2 cases are never tested. Corrected for the groups",
            "               compared (the count is shown) by Holm, or Benjamini–Hochberg (M).",
            "*              fewer than 30 cases behind the figure: read it with care.",
            "95% CI         Wilson score interval with continuity correction.",
        ] + page.unit.notes + [
            "",
            "Methods in full: docs/methodology.md. Figures from the command line: attrition summary --help.",
        ]
        return lines
    }

    static func importSummary(_ report: ImportReport) -> [String] {
        var lines = ["Source: \(DisplayText.sanitized(report.file)) (\(report.format))", ""] + report.accountLines
        lines += ["", "Rejected rows (write them out with: attrition validate FILE --rejects OUT.csv)", ""]
        lines += report.rejections.isEmpty ? ["  none"]
            : report.rejections.map { "  \(report.place($0.file, $0.line)): \(DisplayText.sanitized($0.reason))" }
        lines += ["", "Warnings", ""]
        lines += report.warnings.isEmpty ? ["  none"]
            : report.warnings.map { "  \(report.place($0.file, $0.line)): \(DisplayText.sanitized($0.field)): \(DisplayText.sanitized($0.reason))" }
        if report.unlisted > 0 { lines += ["", "  … and \(report.unlisted) more, counted but not listed one by one"] }
        return lines
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
