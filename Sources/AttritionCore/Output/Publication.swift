/// The one rule for tables that leave the program: the formats meant for publication (CSV,
/// Markdown, XLSX, SVG, and every `export`) are suppressed and audited unless the user turns
/// suppression off; the terminal's aligned table and the scripts' JSON of the analysis commands
/// show every count and say they are not for publication. Whatever shows small counts says so.
public struct Publication: Sendable {
    /// The suppression applied, nil when turned off (`--no-suppress`).
    public var suppression: Suppression?
    /// The release ledger every suppressed table is audited with and recorded in, if any.
    public var ledger: String?

    /// Publication under `suppression` (nil for none), audited with and recorded in `ledger`.
    public init(suppression: Suppression?, ledger: String? = nil) {
        self.suppression = suppression
        self.ledger = ledger
    }

    /// The statement every output carrying small counts makes.
    public static let notForPublication = "NOT FOR PUBLICATION: small counts shown"

    /// The statement of a terminal table, which shows every count.
    public static let terminalNote = notForPublication + " (a terminal table; csv and md are suppressed)"

    /// `table`, the result of `query` on cases from `source`, as an analysis command prints it in
    /// `format`: the text for standard output, and for CSV the metadata for standard error (a stream
    /// has no room for a sidecar). Markdown comes in the board layout, CSV in the tidy one (the
    /// contract's machine-readable face).
    public func standardOutput(_ table: DataTable, query: AnalysisQuery, source: ImportReport,
                               format: DataTableFormat, cases: CaseTable? = nil) throws -> (text: String, metadata: String?) {
        switch format {
        case .table:
            return (DataTableFormat.table.render(Publication.labelled(table)), nil)
        case .json:
            let prepared = try Exporter.prepare(table, query: query, source: source, suppression: nil, layout: .tidy)
            return (DataTableFormat.json.render(prepared), nil)
        case .csv, .md:
            let exportFormat: ExportFormat = format == .csv ? .csv : .md
            let prepared = try Exporter.prepare(table, query: query, source: source, suppression: suppression,
                                                layout: format == .csv ? .tidy : .board,
                                                ledger: cases.flatMap { cases in ledger.map { LedgerUse(path: $0, cases: cases) } })
            return try Exporter.forStandardOutput(prepared, format: exportFormat)
        }
    }

    /// `table` with the not-for-publication statement as its first note.
    public static func labelled(_ table: DataTable) -> DataTable {
        var labelled = DataTable(title: table.title, notes: [terminalNote] + table.notes,
                                 columns: table.columns, rows: table.rows)
        labelled.metadata = table.metadata
        return labelled
    }
}
