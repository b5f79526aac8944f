import ArgumentParser
import AttritionCore
import Foundation

/// The options every analysis shares: which file, which cases (filters and maturity).
struct CaseOptions: ParsableArguments {
    @Argument(help: "The case-journey CSV file (the built-in London sample when omitted).")
    var file: String?

    @Option(name: .customLong("filter"), help: ArgumentHelp("Keep only cases with DIM=VALUE. Repeat it: values of one dimension are OR-ed, different dimensions AND-ed.", valueName: "DIM=VALUE"))
    var filters: [String] = []

    @Option(help: ArgumentHelp("Maturity: keep only cases reported at least this many months before --as-of, so recent open cases do not look like attrition.", valueName: "MONTHS"))
    var mature: Int?

    @Option(help: ArgumentHelp("The date the extract stood at: maturity counts back from it and open cases are censored at it (default: the latest date in the file).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @OptionGroup var reading: ReadOptions

    func validate() throws {
        if let mature { try check("--mature", mature, in: 0...Maturity.longest, "months") }
        _ = try asOf.map(parseDate(option: "--as-of"))
    }

    /// The as-of date given, if any.
    func asOfDate() throws -> DayNumber? { try asOf.map(parseDate(option: "--as-of")) }

    /// The imported cases and the filter the options describe.
    func load() throws -> (result: ImportResult, filter: CaseFilter) {
        let result = try loadCases(path: file, reading: reading)
        var filter = try CaseFilter.parse(filters, in: result.table)
        if let mature, let anchor = try asOf.map(parseDate(option: "--as-of")) ?? result.table.latestDate {
            filter.reportedBy = Maturity.cutoff(asOf: anchor, months: mature)
        }
        return (result, filter)
    }
}

/// A date option's value as a day number, or a clear error naming the option and the forms accepted.
func parseDate(option: String) -> (String) throws -> DayNumber {
    { text in
        guard let date = Array(text.utf8).withUnsafeBytes({ FieldParsing.date(FieldParsing.trimmed($0)) }) else {
            throw ValidationError("\(option) '\(DisplayText.sanitized(text))' is not a date: give YYYY-MM-DD or DD/MM/YYYY")
        }
        return date
    }
}

/// Checks that a whole-number option lies in `range`, with a clear error otherwise.
func check(_ option: String, _ value: Int, in range: ClosedRange<Int>, _ meaning: String) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) \(value) is out of range: \(meaning) must be from \(range.lowerBound) to \(range.upperBound)")
    }
}

/// The stage called `name`, or a clear error naming the stages there are.
func parseStage(_ name: String) throws -> Stage {
    guard let stage = Stage(name: name) else {
        throw QueryError.unknownValue(name, dimension: "stage", known: Stage.allCases.map(\.name))
    }
    return stage
}

/// Writes the account of the import (and any metadata) to standard error and a rendered output to standard output:
/// called once everything has been worked out, so a failed request prints only its error.
func emit(_ text: String, metadata: String? = nil, from result: ImportResult) {
    writeImportSummary(result.report)
    if let metadata { FileHandle.standardError.write(Data(metadata.utf8)) }
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes the account of the import, then which `files` were written (and `detail`), to standard error.
func reportWritten(_ files: [String], detail: String = "", from result: ImportResult) {
    writeImportSummary(result.report)
    printError("wrote \(files.joined(separator: " and "))\(detail)")
}

