import ArgumentParser
import AttritionCore
import Foundation

/// `attrition summary`: the funnel by one dimension, for scripts and quick looks.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the attrition funnel of a case file, one row per group of a dimension.",
        discussion: """
        Dimensions: crime_type, bcu, borough, victim_sex, victim_age_band, victim_ethnicity, \
        victim_disability, victim_relationship, repeat_victim, reported_year, reported_quarter, \
        reported_month, and every extra column of the file.

        Examples:
          attrition summary cases.csv --by bcu
          attrition summary cases.csv --by victim_age_band --filter crime_type=Rape --format csv
          attrition summary cases.csv --by victim_relationship --adjust crime_type
        """
    )

    @OptionGroup var cases: CaseOptions

    @Option(help: "The dimension to group by.")
    var by = BuiltInDimension.crimeType.rawValue

    @Option(help: "Output format: table, csv, json, md (csv and md suppressed and audited unless --no-suppress).")
    var format: DataTableFormat = .table

    @OptionGroup var publishing: PublicationOptions

    @Option(help: "Read step rates over all cases, or over closed cases only (leaving out those still open at the earlier stage).")
    var basis: RateBasis = .all

    @OptionGroup var flags: FlagOptions

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let query = AnalysisQuery(view: .breakdown, dimension: by, filter: filter, basis: basis, correction: flags.correction,
                                      adjust: flags.adjust)
            switch format {
            case .table, .json:
                emit(SummaryFormat(rawValue: format.rawValue)!.render(try query.funnel(of: result.table), filter: filter), from: result)
            case .csv, .md:
                let (text, metadata) = try publishing.publication.standardOutput(try query.table(of: result.table), query: query,
                                                                                 source: result.report, format: format)
                emit(text, metadata: metadata, from: result)
            }
        }
    }
}
