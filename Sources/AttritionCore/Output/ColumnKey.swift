/// What a column of an analysis table holds, as a value: the one name every layout (tidy, board,
/// chart, workbook) and disclosure control find a column by. The machine name a CSV header or
/// JSON key shows is worked out from it, so a renamed column is renamed everywhere at once.
public enum ColumnKey: Hashable, Sendable {
    /// The groups of the dimension broken down by (`bcu`), or `group` for all cases.
    case group(String?)
    /// A second dimension's groups, as labels (the heatmap's columns, trend's quarters).
    case columnGroup(String)
    /// Cases that reached a stage (`charged`).
    case reached(Stage)
    /// Cases whose journey stops at a stage, still open there (`open_charged`).
    case open(Stage)
    /// Cases whose journey stops at a stage, closed there (`closed_charged`).
    case closed(Stage)
    /// A figure of one step of a funnel (`reported_to_referred_rate`).
    case step(Stage, Stage, Field)
    /// The share of reported cases that reached a stage (`charged_cumulative_rate`).
    case cumulativeRate(Stage)
    /// A figure of a table of one rate, or of a long table (`rate`, `share`, `median_days`).
    case field(Field)
    /// A column of a table made for people (a board table's heading), or of a table made by hand.
    case heading(String)

    /// The figures a column can hold, by their machine names.
    public enum Field: String, Sendable, CaseIterable {
        case stage, reason, measure
        case crimeType = "crime_type"
        case count, share
        case closedAtStage = "closed_at_stage", openAtStage = "open_at_stage"
        case timed
        case q1Days = "q1_days", medianDays = "median_days", q3Days = "q3_days"
        case noDate = "no_date", datesOutOfOrder = "dates_out_of_order", stillOpen = "still_open"
        case kmMedianDays = "km_median_days"
        case cases, reached
        case reachedStage = "reached_stage", closedBefore = "closed_before", openCensored = "open_censored", leftOut = "left_out"
        case numerator, denominator, rate
        case ciLow = "ci_low", ciHigh = "ci_high"
        case flag, test
        case funnelPosition = "funnel_position"
        case limit95Low = "limit95_low", limit95High = "limit95_high", limit998Low = "limit998_low", limit998High = "limit998_high"
        case disparity
        case disparityCiLow = "disparity_ci_low", disparityCiHigh = "disparity_ci_high"
        case reliable
        case expected
        case adjustedRatio = "adjusted_ratio", adjustedCiLow = "adjusted_ci_low", adjustedCiHigh = "adjusted_ci_high"
        case adjustedFlag = "adjusted_flag", flagChange = "flag_change"
        case target, direction, status
        case baselineNumerator = "baseline_numerator", baselineDenominator = "baseline_denominator", baselineRate = "baseline_rate"
        case change
        case changeCiLow = "change_ci_low", changeCiHigh = "change_ci_high", changeVerdict = "change_verdict"
    }

    /// The machine name: the CSV header, the JSON key.
    public var name: String {
        switch self {
        case .group(let dimension): dimension ?? "group"
        case .columnGroup(let dimension): dimension
        case .reached(let stage): stage.name
        case .open(let stage): "open_\(stage.name)"
        case .closed(let stage): "closed_\(stage.name)"
        case let .step(from, to, field): "\(from.name)_to_\(to.name)_\(field.rawValue)"
        case .cumulativeRate(let stage): "\(stage.name)_cumulative_rate"
        case .field(let field): field.rawValue
        case .heading(let heading): heading
        }
    }

    /// This column's figure `field` in the same family: a step's own field for a step's column,
    /// the table's field for a one-rate table's (`ci_low` beside `rate`).
    public func sibling(_ field: Field) -> ColumnKey {
        if case let .step(from, to, _) = self { return .step(from, to, field) }
        return .field(field)
    }
}

extension ColumnKey: CustomStringConvertible {
    public var description: String { name }
}
