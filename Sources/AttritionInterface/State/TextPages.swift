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
        ] + pageNotes(page) + [
            "",
            "Methods in full: docs/methodology.md. Figures from the command line: attrition summary --help.",
        ]
        return lines
    }

    /// What the marks of `page` itself mean.
    static func pageNotes(_ page: Page) -> [String] {
        switch page {
        case .breakdown:
            return [
                "A              adjust for case mix (crime type first): flags then compare each group's",
                "               cases with those expected at the table's rates within each stratum.",
                "~              the flag appeared, disappeared or reversed under that adjustment.",
            ]
        case .funnelPlot:
            return [
                "· and :        95% and 99.8% control limits around the overall rate; exact binomial",
                "               limits under 1,000 cases, normal from there.",
                "φ, τ²          overdispersion: how much more the groups vary than chance explains;",
                "               o widens the limits by φ (multiplicative) or τ² (additive).",
                "×              ratio of the group's rate to the rest of the table (or the group chosen",
                "               with R), with the Miettinen–Nurminen 95% interval.",
                "O/E            with A: cases that made the step over those expected for the case mix.",
            ]
        case .timing:
            return [
                "median (q1–q3) days from report, over completed cases only.",
                "KM median      Kaplan–Meier: open cases count as censored at the as-of date, so a",
                "               backlog of open cases is not left out; 'not yet' while fewer than half",
                "               have reached the stage.",
            ]
        case .survival:
            return [
                "In D d         share reaching the stage within D days of report (Aalen–Johansen):",
                "               closing short of it is a competing event, open cases are censored at",
                "               the as-of date, so recent cases are not counted as failures.",
                "Reached/Closed/Open  how each case's follow-up ended, on any day.",
                "█ and ·        the highlighted group's curve and all cases'; │ marks day D.",
            ]
        default:
            return []
        }
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
