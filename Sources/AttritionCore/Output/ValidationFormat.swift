/// The ways an import report can be written out by `attrition validate`.
public enum ValidationFormat: String, CaseIterable, Sendable {
    /// Lines for people.
    case text
    /// The object of docs/contracts/case-journey-format.md, section 8.
    case json

    /// The report written in this format, ending with a line break.
    public func render(_ report: ImportReport) -> String {
        switch self {
        case .json: ValidationRendering.json(report).text + "\n"
        case .text: ValidationRendering.text(report)
        }
    }
}

enum ValidationRendering {
    static func json(_ report: ImportReport) -> JSON {
        /// `file` first when the source has several files.
        func place(_ file: String?, _ line: Int) -> [(String, JSON)] {
            (file.map { [("file", JSON.string($0))] } ?? []) + [("line", .int(line))]
        }
        var fields: [(String, JSON)] = [
            ("file", .string(report.file)),
            ("format", .string(report.format)),
            ("rows", .int(report.rows)),
            ("accepted", .int(report.accepted)),
            ("skipped", .int(report.skipped)),
            ("rejected", .array(report.rejections.map { .object(place($0.file, $0.line) + [("reason", .string($0.reason))]) })),
            ("warnings", .array(report.warnings.map {
                .object(place($0.file, $0.line) + [("field", .string($0.field)), ("reason", .string($0.reason))])
            })),
            ("rejected_total", .int(report.rejectedTotal)),
            ("warnings_total", .int(report.warningCount)),
            ("dropped_columns", .array(report.droppedColumns.map(JSON.string))),
            ("blank_lines", .int(report.blankLines)),
            ("unavailable_stages", .array(report.unavailableStages.map { .string($0.name) })),
            ("extra_dimensions", .array(report.extraDimensions.map(JSON.string))),
        ]
        if let snapshot = report.snapshot {
            fields.append(("snapshot", .object([
                ("path", .string(snapshot.path)), ("saved", .string(snapshot.saved)),
                ("changed_sources", .array(snapshot.changedSources.map(JSON.string))),
            ])))
        }
        if let mapping = report.mapping {
            fields.append(("mapping", .object([
                ("path", .string(mapping.path)), ("sha256", .string(mapping.sha256)),
                ("unmapped_values", .object(mapping.unmappedValues.map { ($0.column, .array($0.values.map(JSON.string))) })),
            ])))
        }
        if let events = report.events {
            fields.append(("events", .object([
                ("file", .string(events.file)), ("rows", .int(events.rows)), ("applied", .int(events.applied)),
                ("unknown_cases", .int(events.unknownCases)), ("unknown_case_lines", .array(events.unknownCaseLines.map(JSON.int))),
                ("unmapped_types", .object(events.unmappedTypes.map { ($0.type, .int($0.rows)) })), ("rejected", .int(events.rejected)),
            ])))
        }
        if let files = report.sourceFiles {
            fields.append(("files", .object([
                ("read", .array(files.read.map { .object([("name", .string($0.name)), ("kind", .string($0.kind)), ("rows", .int($0.rows))]) })),
                ("passed_over", .array(files.passedOver.map { .object([("name", .string($0.name)), ("reason", .string($0.reason))]) })),
            ])))
            fields.append(("outcome_rows", .object([
                ("read", .int(files.eventRows)), ("applied", .int(files.eventsApplied)),
                ("outside_files", .int(files.eventsOutside)), ("blank", .int(files.eventsBlank)),
                ("unknown_category", .int(files.eventsUnknown)), ("rejected", .int(files.eventsRejected)),
            ])))
        }
        return .object(fields)
    }

    static func text(_ report: ImportReport) -> String {
        let file = DisplayText.sanitized(report.file)
        var lines = [
            "\(file): \(report.rows) rows read: \(report.accepted) accepted, "
                + (report.skipped > 0 ? "\(report.skipped) skipped, " : "")
                + "\(report.rejected) rejected, \(report.warningCount) warnings"
                + (report.blankLines > 0 ? " (\(report.blankLines) blank lines passed over)" : ""),
        ]
        if report.snapshot != nil {
            lines += report.accountLines.filter { $0.hasPrefix("Snapshot") || $0.hasPrefix("  NOT CURRENT") }
        }
        if report.mapping != nil {
            let prefixes = ["Mapping", "  not in [", "Events", "  unknown cases on lines"]
            lines += report.accountLines.filter { line in prefixes.contains { line.hasPrefix($0) } }
        }
        if report.sourceFiles != nil {
            let repeated = ["Rows read", "Accepted", "Rejected", "Warnings", "Extra columns", "Left out"]
            lines += report.accountLines.filter { line in !repeated.contains { line.hasPrefix($0) } }
        } else if !report.unavailableStages.isEmpty {
            lines.append("stages this file cannot speak to: \(report.unavailableStages.map(\.name).joined(separator: ", "))")
        }
        if !report.extraDimensions.isEmpty {
            lines.append("extra columns kept as dimensions: \(report.extraDimensions.joined(separator: ", "))")
        }
        if !report.droppedColumns.isEmpty {
            lines.append("extra columns left out, too many distinct values to break cases down by: \(report.droppedColumns.joined(separator: ", "))")
        }
        // Rejections and warnings together, in file order.
        /// A police.uk file is named by its path inside the folder or archive; an event file by its own path.
        func place(_ inner: String?, _ line: Int) -> String {
            guard let inner else { return "\(file):\(line)" }
            return report.sourceFiles == nil ? "\(DisplayText.sanitized(inner)):\(line)" : "\(file)/\(DisplayText.sanitized(inner)):\(line)"
        }
        let problems = report.rejections.map { ($0.file ?? "", $0.line, "\(place($0.file, $0.line)): rejected: \($0.reason)") }
            + report.warnings.map { ($0.file ?? "", $0.line, "\(place($0.file, $0.line)): warning: \($0.field): \($0.reason)") }
        lines += problems.enumerated().sorted { ($0.element.0, $0.element.1, $0.offset) < ($1.element.0, $1.element.1, $1.offset) }.map(\.element.2)
        if report.unlisted > 0 {
            lines.append("… and \(report.unlisted) more rejected rows and warnings, counted above but not listed one by one; "
                + "--rejects OUT.csv writes every rejected row")
        }
        // Every line through the one sanitiser: file names, values and reasons come from the data.
        return lines.map(DisplayText.sanitized).joined(separator: "\n") + "\n"
    }
}
