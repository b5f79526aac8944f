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
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

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
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .timing, dimension: by, filter: filter)
    }
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
    @Option(help: "A group to compare against (default: the overall rate).") var reference: String?
    @OptionGroup var rates: StepOptions
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func query(filter: CaseFilter) throws -> AnalysisQuery {
        AnalysisQuery(view: .compare, dimension: by, stage: try rates.step.map(parseStage), filter: filter, basis: rates.basis,
                                    reliability: rates.reliability, reference: reference)
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
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

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
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

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

/// A command that prints one analysis table: it says which query, the protocol does the rest.
protocol TableCommand: ParsableCommand {
    /// The file and the cases kept.
    var cases: CaseOptions { get }
    /// The output format.
    var format: DataTableFormat { get }
    /// The table to print, for the cases `filter` keeps.
    func query(filter: CaseFilter) throws -> AnalysisQuery
}

extension TableCommand {
    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            emit(format.render(try query(filter: filter).table(of: result.table)), from: result)
        }
    }
}
