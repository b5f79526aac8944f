/// Days from report to one later stage for a group of cases, with the cases that cannot be
/// timed counted apart rather than averaged in.
public struct StageTiming: Sendable {
    /// The stage reached.
    public let stage: Stage
    /// Cases that reached the stage with both dates given (the cases timed).
    public let timed: Int
    /// First quartile, median and third quartile of days from report, when any case was timed.
    public let quartiles: (q1: Double, median: Double, q3: Double)?
    /// Cases that reached the stage without a date for it.
    public let undated: Int
    /// Cases whose stage date is before their report date (left out of the quartiles).
    public let outOfOrder: Int
    /// Cases still open before this stage: not yet timed, never counted as a delay.
    public let stillOpen: Int
    /// The Kaplan–Meier median of days from report over the timed cases and the cases still open
    /// short of the stage, those censored at the as-of date; nil when fewer than half have reached
    /// the stage by any day (not yet known).
    public let censoredMedian: Double?
}

/// The timing of every later stage for one group.
public struct GroupTiming: Sendable {
    /// The group's label (`Total` for all cases).
    public let name: String
    /// One entry per later stage the file can speak to.
    public let stages: [StageTiming]
}

/// Time between stages: weighted quartiles of days from report (see docs/methodology.md).
public enum TimingAnalysis {
    /// Timings per group of `dimension` (or one row for all cases) and a total, under `filter`;
    /// open cases censored at `asOf` (the table's latest date when nil) for the Kaplan–Meier medians.
    public static func timings(of table: CaseTable, by dimension: DimensionColumn?, filter: CaseFilter = CaseFilter(),
                               asOf: DayNumber? = nil) throws -> (groups: [GroupTiming], total: GroupTiming) {
        let compiled = try filter.compiled(for: table)
        let asOfDays = Int((asOf ?? table.latestDate)?.days ?? 0)
        let groupCount = max(dimension?.labels.count ?? 1, 1)
        let later = table.availableStages.filter { $0 != .reported }
        // samples[group][stage]: (days, weight) of timed cases; tallies of the rest.
        var samples = [[[(Int32, Int)]]](repeating: [[(Int32, Int)]](repeating: [], count: 5), count: groupCount + 1)
        var undated = [[Int]](repeating: [Int](repeating: 0, count: 5), count: groupCount + 1)
        var outOfOrder = undated, stillOpen = undated
        // openFollowUps[group][stage]: (days followed, weight) of cases still open short of the stage.
        var openFollowUps = [[[(Int, Int)]]](repeating: [[(Int, Int)]](repeating: [], count: 5), count: groupCount + 1)
        var present = [Bool](repeating: false, count: groupCount)
        for row in 0..<table.rowCount where compiled.keeps(row) {
            let group = dimension.map { Int($0.codes[row]) } ?? 0
            present[group] = true
            let weight = Int(table.weights[row])
            let furthest = Int(table.furthestStages[row])
            let isOpen = table.outcomes[row] == CaseOutcome.open.code
            for stage in later {
                for target in [group, groupCount] {
                    if stage.rawValue > furthest {
                        if isOpen {
                            stillOpen[target][stage.rawValue] += weight
                            openFollowUps[target][stage.rawValue].append((max(0, asOfDays - Int(table.reportedDays[row])), weight))
                        }
                        continue
                    }
                    guard let date = table.date(ofRow: row, at: stage) else {
                        undated[target][stage.rawValue] += weight
                        continue
                    }
                    let days = date.days - table.reportedDays[row]
                    if days < 0 { outOfOrder[target][stage.rawValue] += weight } else { samples[target][stage.rawValue].append((days, weight)) }
                }
            }
        }
        func timing(_ index: Int, _ name: String) -> GroupTiming {
            GroupTiming(name: name, stages: later.map { stage in
                let values = samples[index][stage.rawValue]
                let followUps = values.map { FollowUp(days: Int($0.0), ending: .event, weight: $0.1) }
                    + openFollowUps[index][stage.rawValue].map { FollowUp(days: $0.0, ending: .censored, weight: $0.1) }
                return StageTiming(stage: stage, timed: values.reduce(0) { $0 + $1.1 }, quartiles: quartiles(values),
                                   undated: undated[index][stage.rawValue], outOfOrder: outOfOrder[index][stage.rawValue],
                                   stillOpen: stillOpen[index][stage.rawValue],
                                   censoredMedian: TimeToEvent.kaplanMeierMedian(followUps))
            })
        }
        let groups = (0..<groupCount).filter { present[$0] }.map { timing($0, dimension?.labels[$0] ?? "All cases") }
        return (groups, timing(groupCount, "Total"))
    }

    /// Weighted quartiles: each value counts `weight` times; at an exact split the two
    /// neighbouring values are averaged (the usual median of an even count).
    public static func quartiles(_ values: [(Int32, Int)]) -> (q1: Double, median: Double, q3: Double)? {
        let sorted = values.filter { $0.1 > 0 }.sorted { $0.0 < $1.0 }
        let total = sorted.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        /// The value at 1-based rank `rank` of the expanded list.
        func value(atRank rank: Int) -> Double {
            var seen = 0
            for (days, weight) in sorted {
                seen += weight
                if seen >= rank { return Double(days) }
            }
            return Double(sorted.last!.0)
        }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(total)
            let whole = Int(position.rounded(.down))
            if Double(whole) == position, whole >= 1, whole < total {
                return (value(atRank: whole) + value(atRank: whole + 1)) / 2
            }
            return value(atRank: max(1, Int(position.rounded(.up))))
        }
        return (quantile(0.25), quantile(0.5), quantile(0.75))
    }
}
