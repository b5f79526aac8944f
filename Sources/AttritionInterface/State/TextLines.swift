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
            (headings, lines) = (["Keys on this page", "Reading the figures", "Home Office outcomes"], help(for: state.pageBelow))
        } else {
            (headings, lines) = (["Rejected rows", "Warnings"], importSummary(state.report))
        }
        let width = max(40, state.display.columns - 2)
        return lines.flatMap { line in
            wrapped(line, width: width).map { TextLine(text: $0, isHeading: headings.contains { line.hasPrefix($0) } && $0 == line) }
        }
    }

    /// `line` broken at spaces into lines of at most `width` characters, continuation lines
    /// indented by `chosen`, else under the text after a key column (16 characters) or by two spaces.
    static func wrapped(_ line: String, width: Int, indent chosen: String? = nil) -> [String] {
        guard line.count > width else { return [line] }
        let characters = Array(line)
        let keyed = characters.count > 16 && characters[14] == " " && characters[15] == " " && characters[16] != " "
        let indent = chosen ?? String(repeating: " ", count: keyed ? 16 : 2)
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count > width, !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
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
        ] + page.unit.notes + (page.view == nil ? [] : ["", "Home Office outcomes (short name, then the official one)", ""]
            + PoliceOutcome.all.map { "\($0.code) \($0.shortName) — \($0.name)" }) + [
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
