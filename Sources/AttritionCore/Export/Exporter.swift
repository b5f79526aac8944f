import Foundation

/// What the tool is, for export metadata.
public enum ToolInfo {
    /// The version written into every export.
    public static let version = "0.3.0"
}

/// The views an export can hold: exactly what the interface shows on the matching page.
public enum ExportView: String, CaseIterable, Sendable {
    /// The overall funnel.
    case funnel
    /// The funnel by one dimension.
    case breakdown
    /// Why cases stopped, by group and stage.
    case reasons
    /// Days from report to each stage, by group.
    case timing
    /// One step's rate by group: intervals, flags, funnel-plot position, disparity.
    case compare
    /// One step's rate by two dimensions.
    case heatmap
    /// One step's rate by quarter reported, by group.
    case trend
}

/// What to export, in one value: the view and everything that shapes it.
public struct ExportQuery: Sendable {
    /// The view.
    public var view: ExportView
    /// The dimension grouped by (ignored by the funnel view).
    public var dimension: String
    /// The heatmap's column dimension.
    public var columns: String
    /// The step, by the stage it leads to (compare, heatmap, trend), or the stage cases stopped at (reasons; nil for all).
    public var stage: Stage?
    /// The cases kept.
    public var filter: CaseFilter
    /// Which cases rates are read over.
    public var basis: RateBasis
    /// Small-number threshold for `reliable` columns.
    public var reliability: Reliability
    /// A reference group for disparity ratios (compare).
    public var reference: String?
    /// The order of the breakdown's groups as shown (a sorted table), or nil for the dimension's order.
    public var groupOrder: [String]?

    /// A query for `view` with the defaults of the command line.
    public init(view: ExportView, dimension: String = BuiltInDimension.crimeType.rawValue, columns: String = BuiltInDimension.bcu.rawValue,
                stage: Stage? = nil, filter: CaseFilter = CaseFilter(), basis: RateBasis = .all, reliability: Reliability = Reliability(),
                reference: String? = nil) {
        self.view = view
        self.dimension = dimension
        self.columns = columns
        self.stage = stage
        self.filter = filter
        self.basis = basis
        self.reliability = reliability
        self.reference = reference
    }

    /// The data table this query describes, worked out from `table`.
    public func table(of table: CaseTable) throws -> DataTable {
        var grouped = try FunnelAnalysis.funnel(of: table, by: view == .funnel ? nil : table.requireDimension(dimension),
                                                filter: filter, basis: basis)
        if let groupOrder {
            let rank = Dictionary(uniqueKeysWithValues: groupOrder.enumerated().map { ($1, $0) })
            grouped = grouped.reordered { (rank[$0.name] ?? Int.max, $0.name) < (rank[$1.name] ?? Int.max, $1.name) }
        }
        switch view {
        case .funnel, .breakdown:
            return AnalysisTables.funnel(grouped, filter: filter)
        case .reasons:
            let stopping = grouped.stages.filter { $0 != .convicted }
            if let stage, !stopping.contains(stage) {
                throw QueryError.unknownValue(stage.name, dimension: "stage cases stop at", known: stopping.map(\.name))
            }
            return AnalysisTables.reasons(grouped, stage: stage, filter: filter)
        case .timing:
            let timings = try TimingAnalysis.timings(of: table, by: table.requireDimension(dimension), filter: filter)
            return AnalysisTables.timing(timings, dimension: dimension, filter: filter)
        case .compare:
            return try AnalysisTables.comparison(grouped, step: step(in: grouped), reference: reference, filter: filter, reliability: reliability)
        case .heatmap, .trend:
            let chosen = grouped.total.steps[try step(in: grouped)]
            let columnDimension = view == .trend ? BuiltInDimension.reportedQuarter.rawValue : columns
            let tab = try CrossTabAnalysis.crossTab(of: table, rows: table.requireDimension(dimension),
                                                    columns: table.requireDimension(columnDimension),
                                                    from: chosen.from, to: chosen.to, filter: filter, basis: basis)
            return AnalysisTables.crossTab(tab, title: view == .trend ? "Trend by quarter reported" : "Heatmap", filter: filter,
                                           basis: basis, reliability: reliability)
        }
    }

    private func step(in funnel: Funnel) throws -> Int {
        guard let stage else { return 0 }
        guard let index = funnel.total.steps.firstIndex(where: { $0.to == stage }) else {
            throw QueryError.unknownValue(stage.name, dimension: "step", known: funnel.total.steps.map(\.to.name))
        }
        return index
    }
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

    /// The usual file extension.
    public var fileExtension: String { rawValue }
}

/// Where an export's data came from.
public struct ExportSource: Sendable {
    /// The source's name as the user gave it.
    public let name: String
    /// SHA-256 of the source's bytes.
    public let sha256: String
    /// The import's account.
    public let report: ImportReport

    /// A source description.
    public init(name: String, sha256: String, report: ImportReport) {
        self.name = name
        self.sha256 = sha256
        self.report = report
    }
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

    /// `table` with metadata and, unless `suppression` is nil, disclosure control applied.
    public static func prepare(_ table: DataTable, source: ExportSource, maturity: DayNumber?, suppression: Suppression?,
                               created: Date = Date()) -> DataTable {
        var result = table
        var suppressionNote = "none (--no-suppress): for internal use only, not for publication"
        if let suppression {
            let applied = suppression.apply(to: table)
            result = applied.table
            suppressionNote = "\(suppression.description); \(applied.primary) cells withheld as small, \(applied.secondary) more to protect them"
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        result.metadata = [
            ("source", source.name),
            ("source_sha256", source.sha256),
            ("rows_read", String(source.report.rows)),
            ("rows_accepted", String(source.report.accepted)),
            ("rows_rejected", String(source.report.rejected)),
            ("filters", table.notes.first { $0.hasPrefix("Filters: ") }.map { String($0.dropFirst(9)) } ?? "none"),
            ("maturity", maturity.map { "only cases reported on or before \($0.iso)" } ?? "none: every case counts"),
            ("rate_basis", table.notes.first { $0.hasPrefix("Rates over ") }.map { String($0.dropFirst(11)) } ?? "not applicable"),
            ("definitions", "stages and rates as docs/methodology.md defines them (case-journey data contract)"),
            ("suppression", suppressionNote),
            ("tool", "attrition \(ToolInfo.version)"),
            ("created", formatter.string(from: created)),
        ]
        return result
    }

    /// Writes `table` (already prepared) to `path` in `format`. Returns the files written.
    @discardableResult
    public static func write(_ table: DataTable, format: ExportFormat, to path: String, overwrite: Bool) throws -> [String] {
        let paths = files(for: path, format: format)
        if !overwrite, let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw OutputError.exists(existing)
        }
        let contents: [[UInt8]]
        switch format {
        case .csv:
            let sidecar = ([table.title] + table.notes + [""] + table.metadata.map { "\($0.0): \($0.1)" }).joined(separator: "\n") + "\n"
            contents = [Array(DataTableFormat.csv.render(table).utf8), Array(sidecar.utf8)]
        case .md:
            let front = "---\n" + table.metadata.map { "\($0.0): \"\($0.1.replacingOccurrences(of: "\"", with: "'"))\"" }.joined(separator: "\n") + "\n---\n\n"
            contents = [Array((front + DataTableFormat.md.render(table)).utf8)]
        case .json:
            contents = [Array(DataTableFormat.json.render(table).utf8)]
        case .xlsx:
            contents = [XLSXWriter.workbook(table)]
        }
        let files = try zip(paths, contents).map { path, bytes -> AtomicFile in
            let file = try AtomicFile(destination: path, overwrite: overwrite)
            try bytes.withUnsafeBytes { try file.write($0) }
            return file
        }
        for file in files { try file.commit() }
        return paths
    }
}
