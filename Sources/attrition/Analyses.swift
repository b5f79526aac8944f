import ArgumentParser
import AttritionCore
import Foundation

/// `attrition reasons`: why cases stopped, grouped as analysts group the outcomes.
struct Reasons: TableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Why cases stopped at each stage, per group: outcomes grouped as analysts group them, with counts and shares.",
        discussion: "Example: attrition reasons cases.csv --by bcu --stage reported --filter crime_type=Rape")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.crimeType.rawValue
    @Option(help: "Only cases that stopped at this stage (default: every stage).") var stage: String?
    @Option(help: "Output format: table, csv, json, md (csv and md suppressed and audited unless --no-suppress).") var format: DataTableFormat = .table
    @OptionGroup var publishing: PublicationOptions

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .reasons, dimension: by, stage: try stage.map(parseStage), filter: filter)
    }
}

/// `attrition timing`: days from report to each stage.
struct Timing: TableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Days from report to referral, charge, first hearing and conviction per group: median and quartiles, open cases apart.",
        discussion: "Example: attrition timing cases.csv --by crime_type --format csv")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.crimeType.rawValue
    @Option(help: "Output format: table, csv, json, md (csv and md suppressed and audited unless --no-suppress).") var format: DataTableFormat = .table
    @OptionGroup var publishing: PublicationOptions

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .timing, dimension: by, filter: filter, asOf: try cases.asOfDate())
    }
}

/// `attrition survival`: the share of cases reaching a stage within D days of report, open cases censored.
struct Survival: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per group, the share of cases reaching a stage within D days of report (Aalen–Johansen: open cases censored at the as-of date, closing short of the stage a competing event).",
        discussion: """
        Unlike a step rate over all cases, recent cases are not counted as failures: a case still         open is followed only up to the as-of date (--as-of, default the latest date in the data).
        Example: attrition survival cases.csv --by bcu --stage charged --days 365 --filter crime_type=Rape --format json
        """)

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.crimeType.rawValue
    @Option(help: ArgumentHelp("The stage to reach (referred, charged, prosecuted, convicted); default the first after report.", valueName: "STAGE"))
    var stage: String?
    @Option(help: "Days from report the share is read at.") var days = 365
    @Option(help: "Output format: table, csv, json (csv suppressed and audited unless --no-suppress).") var format: SurvivalFormat = .table
    @OptionGroup var publishing: PublicationOptions

    func validate() throws {
        try check("--days", days, in: 0...36_500, "days from report")
    }

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let query = AnalysisQuery(view: .survival, dimension: by, stage: try stage.map(parseStage), filter: filter, days: days,
                                      asOf: try cases.asOfDate())
            switch format {
            case .json:
                guard case .survival(let table) = try query.analysis(of: result.table) else { return }
                emit(SurvivalRendering.json(table).text + "\n", from: result)
            case .table, .csv:
                let (text, metadata) = try publishing.publication.standardOutput(try query.table(of: result.table), query: query,
                                                                                 source: result.report, format: DataTableFormat(rawValue: format.rawValue)!)
                emit(text, metadata: metadata, from: result)
            }
        }
    }
}

/// The formats `attrition survival` writes.
enum SurvivalFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// `attrition compare`: one step's rate per group, signal against noise.
struct Compare: TableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One step's rate per group with its 95% interval, low/high flag, funnel-plot position and disparity ratio.",
        discussion: """
        --step names the stage the step leads to (referred, charged, prosecuted, convicted).
        Example: attrition compare cases.csv --by bcu --step referred --filter crime_type=Rape --reference "North West"
        """)

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.bcu.rawValue
    @Option(help: "A group to compare against (default: each group against the rest of the table).") var reference: String?
    @OptionGroup var rates: StepOptions
    @OptionGroup var flags: FlagOptions
    @Option(help: "Funnel-plot limits allowing for overdispersion: none, multiplicative (φ), additive (τ²).")
    var overdispersion: OverdispersionModel = .none
    @Option(help: "Output format: table, csv, json, md (csv and md suppressed and audited unless --no-suppress).") var format: DataTableFormat = .table
    @OptionGroup var publishing: PublicationOptions

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .compare, dimension: by, stage: try rates.step.map(parseStage), filter: filter, basis: rates.basis,
                      reliability: rates.reliability, reference: reference, correction: flags.correction, adjust: flags.adjust,
                      overdispersion: overdispersion)
    }
}

/// `attrition heatmap`: a step rate for every pair of groups of two dimensions.
struct Heatmap: TableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A step rate for every pair of groups of two dimensions (for example BCU × crime type), with counts.",
        discussion: "Example: attrition heatmap cases.csv --rows bcu --columns crime_type --step charged --format csv")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The row dimension.") var rows = BuiltInDimension.bcu.rawValue
    @Option(help: "The column dimension.") var columns = BuiltInDimension.crimeType.rawValue
    @OptionGroup var rates: StepOptions
    @Option(help: "Output format: table, csv, json, md (csv and md suppressed and audited unless --no-suppress).") var format: DataTableFormat = .table
    @OptionGroup var publishing: PublicationOptions

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .heatmap, dimension: rows, columns: columns, stage: try rates.step.map(parseStage), filter: filter,
                                    basis: rates.basis, reliability: rates.reliability)
    }
}

/// `attrition trend`: a step rate per report quarter, per group.
struct Trend: TableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A step rate per quarter of report, for all cases or per group.",
        discussion: "Example: attrition trend cases.csv --by crime_type --step charged --basis closed")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.crimeType.rawValue
    @OptionGroup var rates: StepOptions
    @Option(help: "Output format: table, csv, json, md (csv and md suppressed and audited unless --no-suppress).") var format: DataTableFormat = .table
    @OptionGroup var publishing: PublicationOptions

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .trend, dimension: by, stage: try rates.step.map(parseStage), filter: filter, basis: rates.basis,
                                    reliability: rates.reliability)
    }
}

/// The options of analyses of one step: which step, over which cases, and the small-number threshold.
struct StepOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The step, by the stage it leads to (referred, charged, prosecuted, convicted); default the first step the data records (referred, or charged for police.uk data).", valueName: "STAGE"))
    var step: String?
    @Option(help: "Rates over all cases or over closed cases.") var basis: RateBasis = .all
    @Option(help: "Denominators below this are marked not reliable.") var minN = Reliability().minimumDenominator

    func validate() throws {
        try check("--min-n", minN, in: 1...Int(Int32.max), "the smallest reliable denominator")
    }

    /// The small-number rule these options set.
    var reliability: Reliability { Reliability(minimumDenominator: minN) }
}

/// The options of tables with low/high flags: the correction for many comparisons and case-mix adjustment.
struct FlagOptions: ParsableArguments {
    @Option(help: "Correct flags for the groups compared by holm (family-wise error) or fdr (Benjamini–Hochberg false discovery rate).")
    var correction: MultipleComparison = .holm
    @Option(help: ArgumentHelp("Adjust rates for the case mix of this dimension (indirect standardisation), e.g. crime_type.", valueName: "DIM"))
    var adjust: String?
}

extension MultipleComparison: ExpressibleByArgument {}
extension OverdispersionModel: ExpressibleByArgument {}

/// A command that prints one analysis table: it says which query, the protocol does the rest.
protocol TableCommand: ParsableCommand {
    /// The file and the cases kept.
    var cases: CaseOptions { get }
    /// The output format.
    var format: DataTableFormat { get }
    /// Suppression of the formats meant for publication.
    var publishing: PublicationOptions { get }
    /// The table to print, for the cases `filter` keeps.
    func query(filter: CaseFilter) throws -> AnalysisQuery
}

extension TableCommand {
    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let query = try query(filter: filter)
            let (text, metadata) = try publishing.publication.standardOutput(try query.table(of: result.table), query: query,
                                                                             source: result.report, format: format)
            emit(text, metadata: metadata, from: result)
        }
    }
}
