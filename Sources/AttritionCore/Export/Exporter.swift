import Foundation

/// What the tool is, for export metadata.
public enum ToolInfo {
    /// The version written into every export.
    public static let version = "0.3.0"
}

/// The file formats of an export.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// CSV with a metadata sidecar.
    case csv
    /// Markdown with a front block.
    case md
    /// JSON with metadata fields.
    case json
    /// An Excel workbook with a notes sheet.
    case xlsx
    /// A chart (funnel, breakdown, funnel plot) as an SVG figure, drawn by `SVGChart`.
    case svg

    /// The usual file extension.
    public var fileExtension: String { rawValue }
}

/// Writes exports: disclosure control, metadata, then the file(s), atomically and never over an
/// existing file unless asked, readable by the owner only.
public enum Exporter {
    /// The files an export to `path` in `format` writes (CSV gets a metadata sidecar).
    public static func files(for path: String, format: ExportFormat) -> [String] {
        guard format == .csv else { return [path] }
        let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return [path, base + ".metadata.txt"]
    }

    /// `table`, made by `query`, with metadata and, unless `suppression` is nil, disclosure control
    /// applied and audited (nothing is returned when the audit finds a small count exposed), then
    /// laid out in `layout`.
    public static func prepare(_ table: DataTable, query: AnalysisQuery, source: ImportReport, suppression: Suppression?,
                               layout: TableLayout = .tidy, created: Date = Date(), ledger: LedgerUse? = nil) throws -> DataTable {
        var result = table
        var suppressionNote = "NOT FOR PUBLICATION: small counts shown (--no-suppress)"
        var audit: String?
        var ledgerNote: String?
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if let suppression {
            if let reason = suppression.tooLargeToAudit(table) { throw OutputError.tooLargeToAudit(reason) }
            let applied = suppression.apply(to: table)
            guard applied.audit.exposed.isEmpty else { throw OutputError.disclosure(applied.audit.summary) }
            result = applied.table
            suppressionNote = suppression.description
            audit = applied.audit.summary
            if let ledger {
                (result, ledgerNote) = try ledger.publish(result, of: table, query: query, source: source, suppression: suppression,
                                                          created: formatter.string(from: created))
            }
        }
        var origin = [
            ("source", source.file),
            ("source_sha256", source.sourceSHA256),
            ("source_format", source.format),
            ("rows_read", String(source.rows)),
            ("rows_accepted", String(source.accepted)),
        ]
        // Rows read = accepted + skipped + rejected, so a reader can check nothing was lost.
        if let reason = source.skippedReason { origin.append(("rows_skipped", "\(source.skipped) \(reason)")) }
        origin.append(("rows_rejected", String(source.rejected)))
        if let mapping = source.mapping { origin += [("mapping", mapping.path), ("mapping_sha256", mapping.sha256)] }
        if let events = source.events { origin += [("events", events.file), ("event_rows", "\(events.rows) (\(events.applied) applied)")] }
        result.metadata = origin + query.settings + [
            ("definitions", "stages and rates as docs/methodology.md defines them (case-journey data contract)"),
            ("suppression", suppressionNote),
        ] + (audit.map { [("disclosure_audit", $0)] } ?? []) + (ledgerNote.map { [("release_ledger", $0)] } ?? []) + [
            ("layout", layout.rawValue),
            ("tool", "attrition \(ToolInfo.version)"),
            ("created", formatter.string(from: created)),
        ]
        return layout == .board ? BoardLayout.table(result, view: query.view) : result
    }

    /// What an export of `query` on `cases` in `format` consists of: the prepared table (suppressed
    /// and audited unless `suppression` is nil; in `layout`, but tidy for JSON and SVG) and, for
    /// SVG, the chart drawn from it. The one path the command line and the interface both take.
    public static func document(_ query: AnalysisQuery, of cases: CaseTable, source: ImportReport, format: ExportFormat,
                                layout: TableLayout, suppression: Suppression?, ledger: String? = nil) throws -> (table: DataTable, chart: String?) {
        let analysis = try query.analysis(of: cases)
        let machine = format == .json || format == .svg
        let prepared = try prepare(AnalysisTables.table(analysis, query: query), query: query, source: source, suppression: suppression,
                                   layout: machine ? .tidy : layout, ledger: ledger.map { LedgerUse(path: $0, cases: cases) })
        return (prepared, format == .svg ? try SVGChart.render(prepared, analysis: analysis, query: query) : nil)
    }

    /// Writes the export of `query` on `cases` in `format` to `path` (see `document`).
    @discardableResult
    public static func export(_ query: AnalysisQuery, of cases: CaseTable, source: ImportReport, format: ExportFormat, layout: TableLayout,
                              suppression: Suppression?, to path: String, overwrite: Bool, ledger: String? = nil) throws -> [String] {
        let (table, chart) = try document(query, of: cases, source: source, format: format, layout: layout, suppression: suppression,
                                          ledger: ledger)
        if let chart { return try write([Array(chart.utf8)], to: [path], overwrite: overwrite, inputs: source.inputFiles) }
        return try write(table, format: format, to: path, overwrite: overwrite, inputs: source.inputFiles)
    }

    /// Writes the board pack of `cases` under `base` (see `BoardPack`) to `path`, like any export.
    @discardableResult
    public static func exportPack(_ base: AnalysisQuery, of cases: CaseTable, source: ImportReport, suppression: Suppression?,
                                  to path: String, overwrite: Bool, ledger: String? = nil) throws -> (files: [String], sheets: [String]) {
        let (sheets, notes) = try BoardPack.sheets(of: cases, base: base, source: source, suppression: suppression, ledger: ledger)
        let files = try write([XLSXWriter.workbook(sheets: sheets, notes: notes)], to: [path], overwrite: overwrite, inputs: source.inputFiles)
        return (files, sheets.map(\.name))
    }

    /// A metadata value for a Markdown front block: sanitised, no double quote to end the string
    /// early, and no HTML for a renderer that shows the block.
    private static func frontBlockValue(_ value: String) -> String {
        DisplayText.sanitized(value).replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The bytes of the export of `table` in `format`: the data, then for CSV its metadata sidecar
    /// naming the data file `name` and its SHA-256.
    static func rendered(_ table: DataTable, format: ExportFormat, name: String) throws -> [[UInt8]] {
        switch format {
        case .csv:
            let data = Array(DataTableFormat.csv.render(table).utf8)
            let pairing = [("data_file", name), ("data_sha256", ExportCheck.sha256(data))]
            let sidecar = ([table.title] + table.notes + [""] + (table.metadata + pairing).map { "\($0.0): \($0.1)" })
                .joined(separator: "\n") + "\n"
            return [data, Array(sidecar.utf8)]
        case .md:
            let front = "---\n" + table.metadata.map { "\($0.0): \"\(frontBlockValue($0.1))\"" }.joined(separator: "\n") + "\n---\n\n"
            return [Array((front + DataTableFormat.md.render(table)).utf8)]
        case .json:
            return [Array(DataTableFormat.json.render(table).utf8)]
        case .xlsx:
            return [XLSXWriter.workbook(table)]
        case .svg:
            throw OutputError.chartNeedsAnalysis
        }
    }

    /// The export for standard output (`--out -`): the data, and for CSV the metadata meant for
    /// standard error (no sidecar file can go with a stream). A workbook is binary and refused.
    public static func forStandardOutput(_ table: DataTable, format: ExportFormat) throws -> (text: String, metadata: String?) {
        guard format != .xlsx else { throw OutputError.binaryToTerminal(format.rawValue) }
        let parts = try rendered(table, format: format, name: "(standard output)").map { String(decoding: $0, as: UTF8.self) }
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }

    /// Writes `table` (already prepared) to `path` in `format`, never over one of `inputs`.
    /// A CSV's sidecar names the CSV's SHA-256 and is put in place after it, so an export
    /// interrupted between the two is caught by `ExportCheck`. Returns the files written.
    @discardableResult
    public static func write(_ table: DataTable, format: ExportFormat, to path: String, overwrite: Bool,
                             inputs: [String] = []) throws -> [String] {
        try write(try rendered(table, format: format, name: URL(fileURLWithPath: path).lastPathComponent), to: files(for: path, format: format),
                  overwrite: overwrite, inputs: inputs)
    }

    /// Puts `contents` in place at `paths`, never over an input nor, unless `overwrite`, over an
    /// existing file: every file finished (written and flushed, where a full disk shows) before
    /// any is placed, the data before its sidecar, and the data taken away again if its sidecar
    /// cannot be placed, so the two are published together or not at all.
    private static func write(_ contents: [[UInt8]], to paths: [String], overwrite: Bool, inputs: [String]) throws -> [String] {
        for file in paths { try AtomicFile.refuseInput(file, inputs: inputs) }
        if !overwrite, let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw OutputError.exists(existing)
        }
        let files = try zip(paths, contents).map { path, bytes -> AtomicFile in
            let file = try AtomicFile(destination: path, overwrite: overwrite, inputs: inputs)
            try bytes.withUnsafeBytes { try file.write($0) }
            return file
        }
        for file in files { try file.finish() }
        var placed: [String] = []
        do {
            for file in files {
                try file.place()
                placed.append(file.destination)
            }
        } catch {
            for path in placed { unlink(path) }
            throw error
        }
        return paths
    }
}
