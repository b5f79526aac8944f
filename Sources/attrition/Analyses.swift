import ArgumentParser
import AttritionCore
import Foundation

/// `attrition reasons`: why cases stopped, grouped as analysts group the outcomes.
struct Reasons: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Why cases stopped at each stage, per group: outcomes grouped as analysts group them, with counts and shares.",
        discussion: "Example: attrition reasons cases.csv --by bcu --stage reported --filter crime_type=Rape")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.crimeType.rawValue
    @Option(help: "Only cases that stopped at this stage (default: every stage).") var stage: String?
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let funnel = try FunnelAnalysis.funnel(of: result.table, by: result.table.requireDimension(by), filter: filter)
            let chosen = try stage.map { name in
                guard let stage = Stage(name: name), funnel.stages.contains(stage) else {
                    throw QueryError.unknownValue(name, dimension: "stage", known: funnel.stages.map(\.name))
                }
                return stage
            }
            emit(format.render(AnalysisTables.reasons(funnel, stage: chosen, filter: filter)), from: result)
        }
    }
}

/// `attrition timing`: days from report to each stage.
struct Timing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Days from report to referral, charge, first hearing and conviction per group: median and quartiles, open cases apart.",
        discussion: "Example: attrition timing cases.csv --by crime_type --format csv")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.crimeType.rawValue
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let dimension = try result.table.requireDimension(by)
            let timings = try TimingAnalysis.timings(of: result.table, by: dimension, filter: filter)
            emit(format.render(AnalysisTables.timing(timings, dimension: dimension.name, filter: filter)), from: result)
        }
    }
}

/// `attrition compare`: one step's rate per group, signal against noise.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One step's rate per group with its 95% interval, low/high flag, funnel-plot position and disparity ratio.",
        discussion: """
        --step names the stage the step leads to (referred, charged, prosecuted, convicted).
        Example: attrition compare cases.csv --by bcu --step referred --filter crime_type=Rape --reference "North West"
        """)

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare.") var by = BuiltInDimension.bcu.rawValue
    @Option(help: "The step, by the stage it leads to.") var step = Stage.referred.name
    @Option(help: "A group to compare against (default: the overall rate).") var reference: String?
    @Option(help: "Rates over all cases or over closed cases.") var basis: RateBasis = .all
    @Option(help: "Denominators below this are marked not reliable.") var minN = Reliability().minimumDenominator
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let funnel = try FunnelAnalysis.funnel(of: result.table, by: result.table.requireDimension(by), filter: filter, basis: basis)
            let table = try AnalysisTables.comparison(funnel, step: try stepIndex(step, in: funnel), reference: reference,
                                                      filter: filter, reliability: Reliability(minimumDenominator: minN))
            emit(format.render(table), from: result)
        }
    }
}

/// `attrition heatmap`: a step rate for every pair of groups of two dimensions.
struct Heatmap: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A step rate for every pair of groups of two dimensions (for example BCU × crime type), with counts.",
        discussion: "Example: attrition heatmap cases.csv --rows bcu --columns crime_type --step charged --format csv")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The row dimension.") var rows = BuiltInDimension.bcu.rawValue
    @Option(help: "The column dimension.") var columns = BuiltInDimension.crimeType.rawValue
    @Option(help: "The step, by the stage it leads to.") var step = Stage.referred.name
    @Option(help: "Rates over all cases or over closed cases.") var basis: RateBasis = .all
    @Option(help: "Denominators below this are marked not reliable.") var minN = Reliability().minimumDenominator
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let table = result.table
            let funnel = try FunnelAnalysis.funnel(of: table, by: nil, filter: filter)
            let stepInfo = funnel.total.steps[try stepIndex(step, in: funnel)]
            let tab = try CrossTabAnalysis.crossTab(of: table, rows: table.requireDimension(rows), columns: table.requireDimension(columns),
                                                    from: stepInfo.from, to: stepInfo.to, filter: filter, basis: basis)
            emit(format.render(AnalysisTables.crossTab(tab, title: "Heatmap", filter: filter, basis: basis,
                                                       reliability: Reliability(minimumDenominator: minN))), from: result)
        }
    }
}

/// `attrition trend`: a step rate per report quarter, per group.
struct Trend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A step rate per quarter of report, for all cases or per group.",
        discussion: "Example: attrition trend cases.csv --by crime_type --step charged --basis closed")

    @OptionGroup var cases: CaseOptions
    @Option(help: "The dimension to compare (default: all cases together).") var by: String?
    @Option(help: "The step, by the stage it leads to.") var step = Stage.referred.name
    @Option(help: "Rates over all cases or over closed cases.") var basis: RateBasis = .all
    @Option(help: "Denominators below this are marked not reliable.") var minN = Reliability().minimumDenominator
    @Option(help: "Output format: table, csv, json, md.") var format: DataTableFormat = .table

    func run() throws {
        try reportingFailures {
            let (result, filter) = try cases.load()
            let table = result.table
            let funnel = try FunnelAnalysis.funnel(of: table, by: nil, filter: filter)
            let stepInfo = funnel.total.steps[try stepIndex(step, in: funnel)]
            let tab = try CrossTabAnalysis.crossTab(of: table, rows: by.map { try table.requireDimension($0) },
                                                    columns: table.requireDimension(BuiltInDimension.reportedQuarter.rawValue),
                                                    from: stepInfo.from, to: stepInfo.to, filter: filter, basis: basis)
            emit(format.render(AnalysisTables.crossTab(tab, title: "Trend by quarter reported", filter: filter, basis: basis,
                                                       reliability: Reliability(minimumDenominator: minN))), from: result)
        }
    }
}
