import ArgumentParser
import AttritionCore
import Foundation

/// `attrition export`: a summary table to a file for boards and publications.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a view's table to a CSV, Markdown, JSON or Excel file, with metadata and small-count suppression.",
        discussion: """
        Counts of 1 to 4 are withheld as [c] by default, with further cells withheld until an interval \
        attack (linear programming over every relation the table publishes) cannot narrow any of them \
        to fewer than 3 whole numbers; the audit goes into the metadata (--suppress-below to change the \
        threshold, --no-suppress for internal use). The default board layout is the table as the screen \
        shows it; --layout tidy gives one value a column. \
        Every export records its source file and SHA-256, rows read, accepted and rejected, filters, \
        maturity, definitions, suppression, the tool's version and when it was made: a notes sheet in \
        XLSX, a front block in Markdown, fields in JSON, a NAME.metadata.txt file beside CSV. Files are \
        written whole or not at all, readable by you only, and never over an existing file without --force.

        Examples:
          attrition export cases.csv --view breakdown --by bcu --format xlsx --out bcu.xlsx
          attrition export cases.csv --view reasons --by crime_type --stage reported --format csv --out reasons.csv
          attrition export cases.csv --view trend --by crime_type --step charged --basis closed --format md --out trend.md
          attrition export cases.csv --filter crime_type=Rape --pack rape-board-pack.xlsx
          attrition export cases.csv --view compare --by bcu --step charged --format svg --out funnel-plot.svg
        """
    )

    @OptionGroup var cases: CaseOptions
    @Option(help: "The view: \(AnalysisView.allCases.map(\.rawValue).joined(separator: ", ")); it takes the options of its own command (attrition help V).")
    var view: AnalysisView = .breakdown
    @OptionGroup var options: AnalysisOptions<EveryAnalysisOption>
    @OptionGroup var publishing: PublicationOptions
    @Option(help: "board: the table as the screen shows it, for people; tidy: one value a column, machine names (JSON is always tidy).")
    var layout: TableLayout = .board
    @Option(help: "File format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: ExportFormat?
    @Option(help: "The file to write; - for standard output (csv, md and json; a CSV's metadata then goes to standard error).") var out: String?
    @Option(help: ArgumentHelp("Write the board pack instead: one workbook with the funnel, breakdowns by BCU and crime type, reasons, timing, scorecard, charts and notes.",
                               valueName: "FILE.xlsx"))
    var pack: String?
    @Flag(help: "Replace existing files.") var force = false

    func validate() throws {
        try options.refuseStrays(for: view.descriptor)
        if pack != nil {
            guard format == nil, out == nil else { throw ValidationError("--pack writes one workbook: give it without --format and --out") }
        } else if format == nil || out == nil {
            throw ValidationError("give --format and --out (or --pack FILE.xlsx for the board pack)")
        }
    }

    func run() throws {
        try reportingFailures {
            let (result, query) = try options.load(cases, for: view.descriptor)
            let publication = try publishing.publication(for: result.report)
            let suppression = publication.suppression
            if let pack {
                let (written, sheets) = try Exporter.exportPack(query, of: result.table, source: result.report, suppression: suppression,
                                                                to: pack, overwrite: force, ledger: publication.ledger)
                reportWritten(written, detail: " (sheets: \(sheets.joined(separator: ", ")), Notes)", from: result)
                return
            }
            guard let format, let out else { return }
            if out == "-" {
                guard format != .xlsx else { throw OutputError.binaryToTerminal(format.rawValue) }
                let (table, chart) = try Exporter.document(query, of: result.table, source: result.report, format: format, layout: layout,
                                                           suppression: suppression, ledger: publication.ledger)
                if let chart {
                    emit(chart, from: result)
                } else {
                    let (text, metadata) = try Exporter.forStandardOutput(table, format: format)
                    emit(text, metadata: metadata, from: result)
                }
                return
            }
            let written = try Exporter.export(query, of: result.table, source: result.report, format: format, layout: layout,
                                              suppression: suppression, to: out, overwrite: force, ledger: publication.ledger)
            reportWritten(written, from: result)
        }
    }
}

extension AnalysisView: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension TableLayout: ExpressibleByArgument {}

/// `attrition verify`: checks that an exported CSV and its metadata file belong together.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that an exported CSV is the one its NAME.metadata.txt describes (by its SHA-256).",
        discussion: """
        Exit status 0 when they match; 1 when they do not (an export stopped part way, or one of \
        the files replaced or edited) or a file cannot be read.

        Example: attrition verify rape-by-bcu.csv
        """)

    @Argument(help: "The exported CSV file.") var file: String

    func run() throws {
        do {
            print(DisplayText.sanitized(try ExportCheck.verify(file)))
        } catch let error as ExportCheckError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
