import ArgumentParser
import AttritionCore
import Foundation

/// Which analysis options a command shows in its help: an analysis command those of its view,
/// `export` every one (it refuses, once it knows the view, those the view does not read).
protocol OptionScope {
    /// Whether help lists `parameter`'s option.
    static func shows(_ parameter: AnalysisParameter) -> Bool
    /// The default of `parameter`'s option, for help, where there is one to say.
    static func shownDefault(_ parameter: AnalysisParameter) -> String?
}

/// The options of one analysis, `D`.
enum OptionsOf<D: AnalysisDescriptor>: OptionScope {
    static func shows(_ parameter: AnalysisParameter) -> Bool { D.takes(parameter) }
    static func shownDefault(_ parameter: AnalysisParameter) -> String? {
        switch parameter {
        case .dimension: D.defaultDimension
        case .columns: D.defaultColumns
        default: nil
        }
    }
}

/// The options of every analysis.
enum EveryAnalysisOption: OptionScope {
    static func shows(_ parameter: AnalysisParameter) -> Bool { true }
    static func shownDefault(_ parameter: AnalysisParameter) -> String? {
        [.dimension, .columns].contains(parameter) ? "the view's own, as its command has it" : nil
    }
}

/// Every analysis parameter as a command-line option, from `AnalysisParameter`'s one
/// definition: what `attrition V` and `export --view V` parse, and turn into the same query.
struct AnalysisOptions<Scope: OptionScope>: ParsableArguments {
    private static func help(_ parameter: AnalysisParameter) -> ArgumentHelp {
        let shown = Scope.shows(parameter) || (parameter == .stoppedAt && Scope.shows(.targetStage))
        let text = parameter.help + (Scope.shownDefault(parameter).map { " (default: \($0))" } ?? "")
        return ArgumentHelp(text, valueName: parameter.valueName, visibility: shown ? .default : .private)
    }

    @Option(name: [.customLong("by"), .customLong("rows")], help: help(.dimension)) var by: String?
    @Option(name: .customLong("columns"), help: help(.columns)) var columns: String?
    @Option(name: .customLong("step"), help: help(.step)) var step: String?
    @Option(name: .customLong("stage"), help: help(.stoppedAt)) var stage: String?
    @Option(name: .customLong("basis"), help: help(.basis)) var basis: RateBasis?
    @Option(name: .customLong("min-n"), help: help(.minN)) var minN: Int?
    @Option(name: .customLong("correction"), help: help(.correction)) var correction: MultipleComparison?
    @Option(name: .customLong("adjust"), help: help(.adjust)) var adjust: String?
    @Option(name: .customLong("reference"), help: help(.reference)) var reference: String?
    @Option(name: .customLong("overdispersion"), help: help(.overdispersion)) var overdispersion: OverdispersionModel?
    @Option(name: .customLong("days"), help: help(.days)) var days: Int?
    @Option(name: .customLong("measures"), help: help(.measures)) var measures: String?
    @Option(name: .customLong("period"), help: help(.period)) var period: String?
    @Option(name: .customLong("baseline"), help: help(.baseline)) var baseline: String?
    @Option(name: .customLong("count"), help: help(.counting)) var count: CountingBasis?

    func validate() throws {
        if let minN { try check("--min-n", minN, in: 1...Int(Int32.max), "the smallest reliable denominator") }
        if let days { try check("--days", days, in: 0...36_500, "days from report") }
        for (option, value) in [("--period", period), ("--baseline", baseline)] {
            if let value, ReportingPeriod(value) == nil {
                throw ValidationError("\(option) '\(DisplayText.sanitized(value))' is not a period: give 2021-22, 2023-Q1, 2023 or 2023-04")
            }
        }
    }

    /// The parameters given on the command line (`--stage` counts as whichever stage the view reads).
    private func given(for descriptor: any AnalysisDescriptor.Type) -> [AnalysisParameter] {
        let stageParameter: AnalysisParameter = descriptor.takes(.targetStage) ? .targetStage : .stoppedAt
        let values: [(AnalysisParameter, Any?)] = [
            (.dimension, by), (.columns, columns), (.step, step), (stageParameter, stage), (.basis, basis), (.minN, minN),
            (.correction, correction), (.adjust, adjust), (.reference, reference), (.overdispersion, overdispersion), (.days, days),
            (.measures, measures), (.period, period), (.baseline, baseline), (.counting, count),
        ]
        return values.compactMap { $0.1 == nil ? nil : $0.0 }
    }

    /// Refuses an option the view of `descriptor` does not read, naming those it does.
    func refuseStrays(for descriptor: any AnalysisDescriptor.Type) throws {
        guard let stray = given(for: descriptor).first(where: { !descriptor.takes($0) }) else { return }
        let taken = descriptor.parameters.map { "--\($0.option)" }
        throw ValidationError("--\(stray.option) does not apply to the \(descriptor.view.rawValue) view; it takes "
            + (taken.isEmpty ? "no analysis option" : taken.joined(separator: ", ")) + " (and --filter, --mature, --as-of)")
    }

    /// The measures file given, read before any data so a wrong one costs nothing; the built-in framework otherwise.
    func measureSet() throws -> MeasureSet {
        guard let measures else { return .builtIn }
        do { return try MeasureSet.load(path: measures) } catch let error as MeasuresError { throw QueryError.notAnswerable(error.description) }
    }

    /// The cases `cases` names, read after the measures file (so a wrong one costs nothing), and
    /// the query these options make of them for `descriptor`'s view.
    func load(_ cases: CaseOptions, for descriptor: any AnalysisDescriptor.Type) throws -> (result: ImportResult, query: AnalysisQuery) {
        let measures = try measureSet()
        let (result, filter) = try cases.load()
        return (result, try query(for: descriptor, filter: filter, asOf: try cases.asOfDate(), measures: measures))
    }

    /// The query these options make for `descriptor`'s view of the cases `filter` keeps: its
    /// defaults, then every option given (each command's `validate` has refused those the view
    /// does not read).
    private func query(for descriptor: any AnalysisDescriptor.Type, filter: CaseFilter, asOf: DayNumber?, measures: MeasureSet) throws -> AnalysisQuery {
        var query = AnalysisQuery.defaults(for: descriptor)
        query.filter = filter
        query.asOf = asOf
        query.measures = measures
        if let by { query.dimension = by }
        if let columns { query.columns = columns }
        if let chosen = step ?? stage { query.stage = try parseStage(chosen) }
        if let basis { query.basis = basis }
        if let minN { query.reliability = Reliability(minimumDenominator: minN) }
        if let correction { query.correction = correction }
        query.adjust = adjust
        query.reference = reference
        if let overdispersion { query.overdispersion = overdispersion }
        if let days { query.days = days }
        query.period = period.flatMap(ReportingPeriod.init)
        query.baseline = baseline.flatMap(ReportingPeriod.init)
        if let count { query.counting = count }
        return query
    }
}

/// `attrition V` for every analysis view V: its options, formats and help read from its descriptor.
struct AnalysisCommand<D: AnalysisDescriptor>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: D.command.name, abstract: D.command.abstract, discussion: D.command.discussion,
                             aliases: D.command.aliases)
    }

    /// Whether the view writes a workbook (and so takes `--out` and `--force`).
    private static var writesFiles: Bool { D.formats.contains(.xlsx) }

    @OptionGroup var cases: CaseOptions
    @OptionGroup var options: AnalysisOptions<OptionsOf<D>>
    @Option(help: ArgumentHelp("Output format: \(D.formats.map(\.rawValue).joined(separator: ", ")) (csv, md and xlsx suppressed and audited unless --no-suppress)."))
    var format: AnalysisFormat = .table
    @OptionGroup var publishing: PublicationOptions
    @Option(help: ArgumentHelp("The file to write (xlsx); other formats go to standard output.", visibility: writesFiles ? .default : .private))
    var out: String?
    @Flag(help: ArgumentHelp("Replace an existing --out file.", visibility: writesFiles ? .default : .private))
    var force = false

    func validate() throws {
        guard D.formats.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not one of \(D.command.name)'s: \(D.formats.map(\.rawValue).joined(separator: ", "))")
        }
        if format == .xlsx, out == nil { throw ValidationError("--format xlsx writes a file: give --out FILE.xlsx") }
        if format != .xlsx, out != nil || force { throw ValidationError("--out and --force go with --format xlsx; other formats go to standard output") }
        try options.refuseStrays(for: D.self)
    }

    func run() throws {
        try reportingFailures {
            let (result, query) = try options.load(cases, for: D.self)
            let publication = try publishing.publication(for: result.report)
            guard let tableFormat = format.dataTableFormat else {
                let written = try Exporter.export(query, of: result.table, source: result.report, format: .xlsx, layout: .board,
                                                  suppression: publication.suppression, to: out ?? "", overwrite: force, ledger: publication.ledger)
                return reportWritten(written, from: result)
            }
            let analysis = try query.analysis(of: result.table)
            if let own = D.ownRendering(format, analysis: analysis, query: query) { return emit(own, from: result) }
            let (text, metadata) = try publication.standardOutput(AnalysisTables.table(analysis, query: query), query: query,
                                                                  source: result.report, format: tableFormat, cases: result.table)
            emit(text, metadata: metadata, from: result)
        }
    }
}

/// The command of `descriptor`'s view.
func analysisCommand<D: AnalysisDescriptor>(_ descriptor: D.Type) -> any ParsableCommand.Type { AnalysisCommand<D>.self }

extension AnalysisFormat: ExpressibleByArgument {}
extension MultipleComparison: ExpressibleByArgument {}
extension OverdispersionModel: ExpressibleByArgument {}
extension CountingBasis: ExpressibleByArgument {}
