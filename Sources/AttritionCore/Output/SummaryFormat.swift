import Foundation

/// The ways a funnel summary can be written out.
public enum SummaryFormat: String, CaseIterable, Sendable {
    /// Aligned columns for reading in a terminal.
    case table
    /// One JSON object of the shape in docs/contracts/case-journey-format.md, section 8.
    case json

    /// The funnel written in this format, ending with a line break.
    public func render(_ funnel: Funnel, filter: CaseFilter) -> String {
        switch self {
        case .json: SummaryRendering.json(funnel, filter: filter).text + "\n"
        case .table: SummaryRendering.table(funnel, filter: filter)
        }
    }
}

/// Renders funnels as text. Every rate is shown beside its numerator and denominator.
enum SummaryRendering {
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    static func percent(_ value: Double?) -> String { NumberText.percent(value) }

    static func thousands(_ n: Int) -> String { NumberText.thousands(n) }

    static func glyph(_ flag: RateFlag?) -> String {
        switch flag {
        case .low: "▼"
        case .high: "▲"
        case nil: ""
        }
    }

    // MARK: JSON

    static func json(_ funnel: Funnel, filter: CaseFilter) -> JSON {
        .object([
            ("dimension", funnel.dimension.map(JSON.string) ?? .null),
            ("stages", .array(Stage.allCases.map { .string($0.name) })),
            ("unavailable_stages", .array(funnel.unrecordedStages.map { .string($0.name) })),
            ("basis", .string(funnel.basis.rawValue)),
            ("filters", .object(filter.allowed.keys.sorted().map { ($0, .array(filter.allowed[$0]!.sorted().map(JSON.string))) })),
            ("correction", .string(funnel.correction.rawValue)),
            ("comparisons", .array(funnel.comparisons.map(JSON.int))),
            ("adjusted_for", funnel.adjustedFor.map(JSON.string) ?? .null),
            ("groups", .array(funnel.groups.map { json($0, stages: funnel.stages) })),
            ("total", json(funnel.total, stages: funnel.stages)),
            ("publication", .string(Publication.notForPublication)),
        ])
    }

    static func json(_ group: GroupFunnel, stages: [Stage]) -> JSON {
        .object([
            ("name", .string(group.name)),
            // A stage the source does not record is null, never 0 (contract: not recorded is not none).
            ("counts", .object(Stage.allCases.map { ($0.name, stages.contains($0) ? .int(group.counts.reached($0)) : .null) })),
            ("open", .object(Stage.allCases.map { ($0.name, stages.contains($0) ? .int(group.counts.open(at: $0)) : .null) })),
            ("steps", .array(group.steps.map { step in
                let interval = step.step.wilson95
                return .object([
                    ("from", .string(step.from.name)),
                    ("to", .string(step.to.name)),
                    ("numerator", .int(step.step.count)),
                    ("denominator", .int(step.step.total)),
                    ("rate", step.step.rate.map { .number(rounded($0)) } ?? .null),
                    ("ci_low", interval.map { .number(rounded($0.lowerBound)) } ?? .null),
                    ("ci_high", interval.map { .number(rounded($0.upperBound)) } ?? .null),
                    ("flag", step.flag.map { .string($0.rawValue) } ?? .null),
                    ("cumulative_rate", step.cumulative.rate.map { .number(rounded($0)) } ?? .null),
                    ("test", step.test.map { .string($0.rawValue) } ?? .null),
                ] + (step.adjusted.map { adjusted in
                    [("adjusted", JSON.object([
                        ("observed", .int(adjusted.observed)),
                        ("expected", .number(rounded(adjusted.expected))),
                        ("ratio", adjusted.ratio.map { .number(rounded($0)) } ?? .null),
                        ("ci_low", adjusted.interval.map { .number(rounded($0.lowerBound)) } ?? .null),
                        ("ci_high", adjusted.interval.map { .number(rounded($0.upperBound)) } ?? .null),
                        ("flag", adjusted.flag.map { .string($0.rawValue) } ?? .null),
                        ("flag_change", step.flagChange.map { .string($0.rawValue) } ?? .null),
                    ]))]
                } ?? []))
            })),
        ])
    }

    // MARK: Table and Markdown

    /// Heading and cells shared by the table and Markdown renderings.
    static func grid(_ funnel: Funnel, stepCell: (StepRate) -> String) -> (header: [String], rows: [[String]]) {
        let adjusted = funnel.adjustedFor != nil
        var header = [funnel.dimension ?? "group", funnel.stages[0].name]
        header += funnel.total.steps.flatMap { step in ["\(step.to.name) (step rate)"] + (adjusted ? ["\(step.to.name) O/E"] : []) }
        header += ["open", "closed before conviction"]
        let rows = (funnel.groups + [funnel.total]).map { group in
            [DisplayText.sanitized(group.name), thousands(group.counts.reached(funnel.stages[0]))]
                + group.steps.flatMap { step in [stepCell(step)] + (adjusted ? [adjustedCell(step)] : []) }
                + [thousands(Stage.allCases.reduce(0) { $0 + group.counts.open(at: $1) }),
                   thousands(Stage.allCases.reduce(0) { $0 + group.counts.droppedOff(at: $1) })]
        }
        return (header, rows)
    }

    /// The adjusted ratio with its flag and, where adjustment changes the flag, what it does.
    static func adjustedCell(_ step: StepRate) -> String {
        guard let adjusted = step.adjusted, let ratio = adjusted.ratio else { return "" }
        let change = step.flagChange.map { " (\($0.rawValue))" } ?? ""
        return String(format: "%.2f", ratio) + glyph(adjusted.flag) + change
    }

    static func preamble(_ funnel: Funnel, filter: CaseFilter) -> [String] {
        var lines = ["Funnel by \(funnel.dimension ?? "all cases"): \(thousands(funnel.total.counts.reached(.reported))) cases; filters: \(DisplayText.sanitized(filter.summary)); rates over \(funnel.basis == .all ? "all cases" : "closed cases")"]
        if let note = funnel.unrecordedLine() { lines.append(note) }
        if funnel.dimension != nil, !funnel.total.steps.isEmpty {
            lines.append("Flags: " + funnel.total.steps.indices.map { "\(funnel.total.steps[$0].to.name) \(funnel.comparisons[$0])" }
                .joined(separator: ", ") + " groups compared per step, \(funnel.correction.name)")
        }
        if let adjusted = funnel.adjustedFor {
            lines.append("O/E: cases that made the step / cases expected at the table's rates within each \(adjusted) (indirect standardisation)")
        }
        return lines
    }

    static let legend = "Step rate = cases at this stage / cases at the previous one. ▼ low, ▲ high: differs from all other cases at 95% "
        + "(Fisher's exact test under 30 cases or expected counts under 5, else the z-test; groups of 1 or 2 not tested), corrected for the groups compared."

    static func table(_ funnel: Funnel, filter: CaseFilter) -> String {
        let (header, rows) = grid(funnel) { step in
            "\(thousands(step.step.count)) \(percent(step.step.rate))\(glyph(step.flag).isEmpty ? " " : glyph(step.flag))"
        }
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        var lines = preamble(funnel, filter: filter) + ["", format(header)]
        lines += rows.dropLast().map(format)
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines.append(format(rows.last!))
        lines += ["", legend, Publication.terminalNote]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The JSON of `attrition survival`: stage, days, as-of date, and per group (and in total) the
/// cases and the share reaching the stage with its interval, rounded to 4 decimals.
public enum SurvivalRendering {
    /// The table as one JSON object.
    public static func json(_ table: SurvivalTable) -> JSON {
        let rounded = { (value: Double?) -> JSON in value.map { .number(SummaryRendering.rounded($0)) } ?? .null }
        let group = { (group: SurvivalGroup) -> JSON in
            .object([("name", .string(group.name)), ("cases", .int(group.cases)), ("reached", rounded(group.reached)),
                     ("ci_low", rounded(group.interval?.lowerBound)), ("ci_high", rounded(group.interval?.upperBound))])
        }
        return .object([("stage", .string(table.stage.name)), ("days", .int(table.days)), ("as_of", .string(table.asOf.iso)),
                         ("groups", .array(table.groups.map(group))), ("total", group(table.total)),
                         ("publication", .string(Publication.notForPublication))])
    }
}
