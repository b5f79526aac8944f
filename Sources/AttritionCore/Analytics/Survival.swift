import Foundation

/// One group's chance of reaching a stage within so many days of report, open cases censored.
public struct SurvivalGroup: Sendable {
    /// The group's label (`Total` for all cases).
    public let name: String
    /// The group's cases (reported on or before the as-of date).
    public let cases: Int
    /// The Aalen–Johansen cumulative incidence of reaching the stage by the day asked for.
    public let reached: Double?
    /// Its 95% interval.
    public let interval: ClosedRange<Double>?
    /// Cases that reached the stage within the follow-up (events).
    public let events: Int
    /// Cases closed before the stage (competing events).
    public let competing: Int
    /// Cases still open at the as-of date, short of the stage (censored).
    public let censored: Int
    /// Cases left out: the stage reached without any date for it or a later stage, or a date before the report date.
    public let leftOut: Int
    /// The incidence curve: the estimate after each day with an event.
    public let curve: [(day: Int, incidence: Double)]
}

/// The cumulative incidence of reaching one stage within a number of days, by group.
public struct SurvivalTable: Sendable {
    /// The dimension grouped by, nil for all cases.
    public let dimension: String?
    /// The stage.
    public let stage: Stage
    /// The day the figure is read at.
    public let days: Int
    /// The as-of date: open cases are censored there.
    public let asOf: DayNumber
    /// One entry per group with a case.
    public let groups: [SurvivalGroup]
    /// All cases.
    public let total: SurvivalGroup
}

/// Censoring-aware funnels: how many cases reach a stage within D days of report, with open
/// cases followed only as far as the as-of date and closing short of the stage a competing
/// event (docs/methodology.md, "Time to a stage").
public enum SurvivalAnalysis {
    /// The table for `stage` at `days`, by `dimension`, under `filter`, as of `asOf` (the table's
    /// latest date when nil).
    public static func survival(of table: CaseTable, by dimension: DimensionColumn?, stage: Stage, days: Int, asOf: DayNumber?,
                                filter: CaseFilter = CaseFilter()) throws -> SurvivalTable {
        guard stage != .reported, table.availableStages.contains(stage) else {
            throw QueryError.unknownValue(stage.name, dimension: "stage to reach",
                                          known: table.availableStages.filter { $0 != .reported }.map(\.name))
        }
        guard let asOf = asOf ?? table.latestDate else {
            throw QueryError.notAnswerable("the data has no dates, so there is no time from report to measure")
        }
        let compiled = try filter.compiled(for: table)
        let groupCount = max(dimension?.labels.count ?? 1, 1)
        var followUps = [[FollowUp]](repeating: [], count: groupCount + 1)
        var cases = [Int](repeating: 0, count: groupCount + 1)
        var leftOut = cases
        var present = [Bool](repeating: false, count: groupCount)
        for row in 0..<table.rowCount where compiled.keeps(row) && table.reportedDays[row] <= asOf.days {
            let group = dimension.map { Int($0.codes[row]) } ?? 0
            present[group] = true
            let weight = Int(table.weights[row])
            let followUp = self.followUp(of: row, in: table, stage: stage, asOf: asOf, weight: weight)
            for target in [group, groupCount] {
                cases[target] += weight
                if let followUp { followUps[target].append(followUp) } else { leftOut[target] += weight }
            }
        }
        func group(_ index: Int, _ name: String) -> SurvivalGroup {
            // The risk sets are worked out once, for the figure and the curve.
            let sets = TimeToEvent.riskSets(followUps[index]), followed = followUps[index].reduce(0) { $0 + $1.weight }
            let estimate = followed > 0 ? TimeToEvent.cumulativeIncidence(sets, followed: followed, byDay: days) : nil
            let count = { (ending: FollowUp.Ending) in followUps[index].reduce(0) { $0 + ($1.ending == ending ? $1.weight : 0) } }
            return SurvivalGroup(name: name, cases: cases[index], reached: estimate?.estimate, interval: estimate?.interval,
                                 events: count(.event), competing: count(.competing), censored: count(.censored),
                                 leftOut: leftOut[index], curve: TimeToEvent.incidenceCurve(sets))
        }
        let groups = (0..<groupCount).filter { present[$0] }.map { group($0, dimension?.labels[$0] ?? "All cases") }
        return SurvivalTable(dimension: dimension?.name, stage: stage, days: days, asOf: asOf, groups: groups,
                             total: group(groupCount, "Total"))
    }

    /// A row's follow-up towards `stage`: reaching it (at its date, or the earliest later stage's
    /// date), closing short of it (at `outcome_date`, else the date of the furthest stage reached,
    /// else the report date), or open (censored at the as-of date); anything after the as-of date
    /// is censored there. Nil when the stage was reached with no usable date.
    static func followUp(of row: Int, in table: CaseTable, stage: Stage, asOf: DayNumber, weight: Int) -> FollowUp? {
        let reported = Int(table.reportedDays[row])
        let horizon = Int(asOf.days) - reported
        let furthest = Int(table.furthestStages[row])
        let ending: FollowUp.Ending
        let date: Int?
        if furthest >= stage.rawValue {
            ending = .event
            date = table.reachedDate(ofRow: row, at: stage).map { Int($0.days) }
        } else if table.outcomes[row] != CaseOutcome.open.code {
            ending = .competing
            date = Int((table.outcomeDate(ofRow: row) ?? table.date(ofRow: row, at: Stage.allCases[furthest]))?.days ?? Int32(reported))
        } else {
            return FollowUp(days: horizon, ending: .censored, weight: weight)
        }
        guard let date, date >= reported else { return nil }
        return date - reported > horizon ? FollowUp(days: horizon, ending: .censored, weight: weight)
            : FollowUp(days: date - reported, ending: ending, weight: weight)
    }
}
