/// A setting an analysis reads, written once: its command-line option, its help, and the words
/// that set it from a query (for the command line `y` copies). The command line parses every
/// one of them for every analysis command and for `export`, and refuses those the view does not
/// read, so `export --view V` takes exactly the options `attrition V` takes.
public enum AnalysisParameter: String, CaseIterable, Sendable {
    /// The dimension grouped by (`--by`; the heatmap's rows, `--rows`).
    case dimension
    /// The heatmap's column dimension.
    case columns
    /// The step, by the stage it leads to.
    case step
    /// The stage cases stopped at (reasons).
    case stoppedAt
    /// The stage to reach (survival).
    case targetStage
    /// Rates over all cases or over closed cases.
    case basis
    /// The smallest reliable denominator.
    case minN
    /// The correction of flags for the groups compared.
    case correction
    /// A dimension whose case mix flags are adjusted for.
    case adjust
    /// The group disparity ratios are taken against.
    case reference
    /// How funnel-plot limits allow for overdispersion.
    case overdispersion
    /// Days from report the survival share is read at.
    case days
    /// The scorecard's measures file.
    case measures
    /// The scorecard's period.
    case period
    /// The scorecard's baseline period.
    case baseline
    /// How the scorecard counts cases.
    case counting

    /// The option's long name (without `--`).
    public var option: String {
        switch self {
        case .dimension: "by"
        case .columns: "columns"
        case .step: "step"
        case .stoppedAt, .targetStage: "stage"
        case .basis: "basis"
        case .minN: "min-n"
        case .correction: "correction"
        case .adjust: "adjust"
        case .reference: "reference"
        case .overdispersion: "overdispersion"
        case .days: "days"
        case .measures: "measures"
        case .period: "period"
        case .baseline: "baseline"
        case .counting: "count"
        }
    }

    /// What the option's value is, for help.
    public var valueName: String {
        switch self {
        case .dimension, .columns, .adjust: "DIM"
        case .step, .stoppedAt, .targetStage: "STAGE"
        case .basis: "all|closed"
        case .minN, .days: "N"
        case .correction: "holm|fdr"
        case .reference: "GROUP"
        case .overdispersion: "none|multiplicative|additive"
        case .measures: "FILE.toml"
        case .period, .baseline: "PERIOD"
        case .counting: "cohort|period"
        }
    }

    /// What the option does, for help.
    public var help: String {
        switch self {
        case .dimension: "The dimension to group by (the heatmap's rows; --rows is the same option)."
        case .columns: "The heatmap's column dimension."
        case .step: "The step, by the stage it leads to (referred, charged, prosecuted, convicted); default the first step the data records. "
            + "For a breakdown, the step its chart draws."
        case .stoppedAt: "Only cases that stopped at this stage (default: every stage)."
        case .targetStage: "The stage to reach (referred, charged, prosecuted, convicted); default the first after report."
        case .basis: "Rates over all cases, or over closed cases only (leaving out those still open at the earlier stage)."
        case .minN: "Denominators below this are marked not reliable."
        case .correction: "Correct flags for the groups compared by holm (family-wise error) or fdr (Benjamini–Hochberg false discovery rate)."
        case .adjust: "Adjust flags for the case mix of this dimension (indirect standardisation), e.g. crime_type."
        case .reference: "A group to compare against (default: each group against the rest of the table)."
        case .overdispersion: "Funnel-plot limits allowing for overdispersion: none, multiplicative (φ), additive (τ²)."
        case .days: "Days from report the share is read at."
        case .measures: "The measures file (TOML) to use instead of the built-in framework."
        case .period: "Only this period: cases reported in it (cohort), or outcomes recorded in it (--count period). "
            + "A financial year (2021-22), a quarter (2023-Q1), a year (2023) or a month (2023-04)."
        case .baseline: "A baseline period to compare with: each cell gains the baseline rate and the change with its 95% interval."
        case .counting: "Count by report cohort, or by the period outcomes were recorded in (as Home Office outcome statistics do)."
        }
    }

    /// Whether the parameter says what the table is of (its grouping, step or stage, days), and
    /// so is written out even at its default, first; the others only where they differ from it.
    public var shapesTheTable: Bool { [.dimension, .columns, .step, .stoppedAt, .targetStage, .days].contains(self) }

    /// The option's value that sets `query`'s setting, nil when it can be left out: a setting that
    /// does not shape the table at the command line's default for `descriptor`, or no stage chosen.
    public func commandLineValue(_ query: AnalysisQuery, of descriptor: any AnalysisDescriptor.Type) -> String? {
        let defaults = AnalysisQuery.defaults(for: descriptor)
        switch self {
        case .dimension: return query.dimension
        case .columns: return query.columns
        case .step, .stoppedAt, .targetStage: return query.stage?.name
        case .basis: return query.basis == defaults.basis ? nil : query.basis.rawValue
        case .minN: return query.reliability == defaults.reliability ? nil : String(query.reliability.minimumDenominator)
        case .correction: return query.correction == defaults.correction ? nil : query.correction.rawValue
        case .adjust: return query.adjust
        case .reference: return query.reference
        case .overdispersion: return query.overdispersion == defaults.overdispersion ? nil : query.overdispersion.rawValue
        case .days: return String(query.days)
        case .measures: return query.measures == defaults.measures ? nil : query.measures.file
        case .period: return query.period?.label
        case .baseline: return query.baseline?.label
        case .counting: return query.counting == defaults.counting ? nil : query.counting.rawValue
        }
    }
}

extension AnalysisQuery {
    /// The query the command of `descriptor` makes when given no option: its view, with its
    /// default dimension (and, for the heatmap, columns) and every other setting at its default.
    public static func defaults(for descriptor: any AnalysisDescriptor.Type) -> AnalysisQuery {
        AnalysisQuery(view: descriptor.view, dimension: descriptor.defaultDimension, columns: descriptor.defaultColumns)
    }

    /// The options and values that make the command of this query's view print this query's
    /// figures (filters, maturity and the file are the caller's): each parameter the view reads
    /// that shapes the table (`shaping: true`), or each of the others not at its default.
    public func commandLineOptions(shaping: Bool) -> [String] {
        let descriptor = view.descriptor
        return descriptor.parameters.filter { $0.shapesTheTable == shaping }.flatMap { parameter in
            parameter.commandLineValue(self, of: descriptor).map { ["--\(parameter.option)", $0] } ?? []
        }
    }
}
