import ArgumentParser
import AttritionCore
import Foundation

/// `attrition scorecard`: each measure of the performance framework by group, against its target.
struct ScorecardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "Each measure of the VAWG performance framework (or --measures FILE) per crime type and group, with its 95% interval, target and status: met, not met or uncertain.",
        discussion: """
        Periods: a financial year (2021-22), a quarter (2023-Q1), a year (2023) or a month (2023-04).
        Examples:
          attrition scorecard cases.csv --by bcu
          attrition scorecard cases.csv --by bcu --period 2023-24 --baseline 2021-22 --format json
          attrition scorecard cases.csv --by bcu --count period --period 2023-24 --format xlsx --out scorecard.xlsx
        """)

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.bcu.rawValue
    @Option(help: ArgumentHelp("The measures file (TOML) to use instead of the built-in framework.", valueName: "FILE")) var measures: String?
    @Option(help: ArgumentHelp("Only this period: cases reported in it (cohort), or outcomes recorded in it (--count period).", valueName: "PERIOD"))
    var period: String?
    @Option(help: ArgumentHelp("A baseline period to compare with: each cell gains the baseline rate and the change with its 95% interval.", valueName: "PERIOD"))
    var baseline: String?
    @Option(help: "Count by report cohort, or by the period outcomes were recorded in (as Home Office outcome statistics do).")
    var count: CountingBasis = .cohort
    @Option(help: "Output format: table, csv, json, md, xlsx (xlsx needs --out; csv, md and xlsx suppressed and audited unless --no-suppress).")
    var format: ScorecardFormat = .table
    @OptionGroup var publishing: PublicationOptions
    @Option(help: "The file to write (xlsx); other formats go to standard output.") var out: String?
    @Flag(help: "Replace an existing --out file.") var force = false

    func validate() throws {
        for (option, value) in [("--period", period), ("--baseline", baseline)] {
            if let value, ReportingPeriod(value) == nil {
                throw ValidationError("\(option) '\(DisplayText.sanitized(value))' is not a period: give 2021-22, 2023-Q1, 2023 or 2023-04")
            }
        }
        if format == .xlsx, out == nil { throw ValidationError("--format xlsx writes a file: give --out FILE.xlsx") }
    }

    func run() throws {
        try reportingFailures {
            let set = try measures.map { path in
                do { return try MeasureSet.load(path: path) } catch let error as MeasuresError { throw QueryError.notAnswerable(error.description) }
            } ?? MeasureSet.builtIn
            let (result, filter) = try cases.load()
            var query = AnalysisQuery(view: .scorecard, dimension: by, filter: filter)
            query.measures = set
            query.counting = count
            query.period = period.flatMap(ReportingPeriod.init)
            query.baseline = baseline.flatMap(ReportingPeriod.init)
            switch format {
            case .json:
                guard case .scorecard(let scorecard) = try query.analysis(of: result.table) else { return }
                emit(ScorecardOutput.json(scorecard).text + "\n", from: result)
            case .table, .csv, .md:
                let (text, metadata) = try publishing.publication.standardOutput(try query.table(of: result.table), query: query,
                                                                                 source: result.report, format: DataTableFormat(rawValue: format.rawValue)!)
                emit(text, metadata: metadata, from: result)
            case .xlsx:
                let written = try Exporter.export(query, of: result.table, source: result.report, format: .xlsx, layout: .board,
                                                  suppression: publishing.publication.suppression, to: out!, overwrite: force)
                reportWritten(written, from: result)
            }
        }
    }
}

/// The formats `attrition scorecard` writes.
enum ScorecardFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json, md, xlsx
}

extension CountingBasis: ExpressibleByArgument {}
