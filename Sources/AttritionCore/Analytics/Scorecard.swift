import Foundation

/// A reporting period: a financial year (`2021-22`, April to March), a quarter (`2023-Q1`), a
/// calendar year (`2023`) or a month (`2023-04`).
public struct ReportingPeriod: Equatable, Sendable {
    /// The period as written.
    public let label: String
    /// Its first and last day.
    public let days: ClosedRange<Int32>

    /// The period `text` names, or nil when it names none.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").map(String.init)
        func day(_ year: Int, _ month: Int, _ day: Int) -> Int32? { DayNumber(year: year, month: month, day: day)?.days }
        guard let year = parts.first.flatMap({ Int($0) }), parts[0].count == 4 else { return nil }
        var range: ClosedRange<Int32>?
        if parts.count == 1 {
            range = day(year, 1, 1).flatMap { start in day(year, 12, 31).map { start...$0 } }
        } else if parts.count == 2, parts[1].count == 2, let next = Int(parts[1]), next == (year + 1) % 100 {
            range = day(year, 4, 1).flatMap { start in day(year + 1, 3, 31).map { start...$0 } }
        } else if parts.count == 2, parts[1].uppercased().hasPrefix("Q"), let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) {
            let first = (quarter - 1) * 3 + 1
            range = day(year, first, 1).flatMap { start in day(year, first + 2, DayNumber.daysIn(month: first + 2, year: year)).map { start...$0 } }
        } else if parts.count == 2, let month = Int(parts[1]), (1...12).contains(month) {
            range = day(year, month, 1).flatMap { start in day(year, month, DayNumber.daysIn(month: month, year: year)).map { start...$0 } }
        }
        guard let range else { return nil }
        label = text
        days = range
    }
}

/// How a scorecard counts its cases.
public enum CountingBasis: String, CaseIterable, Sendable {
    /// Cases by when they were reported, and what has happened to them so far.
    case cohort
    /// Outcomes by when they were recorded (`outcome_date`, or the stage's date), as the Home
    /// Office's outcome statistics count them; a denominator of every case by its report date.
    case period
}

/// Whether a cell is on track, allowing for its uncertainty.
public enum ScorecardStatus: String, Sendable {
    /// The whole 95% interval is on the target's side.
    case met
    /// The whole interval is on the other side.
    case notMet = "not met"
    /// The interval straddles the target.
    case uncertain
}

/// One cell of a scorecard: a measure for a crime type and a group.
public struct ScorecardCell: Sendable {
    /// The crime type.
    public let crimeType: String
    /// The group of the dimension, or `Total`.
    public let name: String
    /// Numerator out of denominator.
    public let proportion: Proportion
    /// The target, if the crime type has one.
    public let target: MeasureTarget?
    /// The rate the status is judged against (the target rate, or the baseline's own rate).
    public let targetRate: Double?
    /// Met, not met or uncertain; nil without a target (or a baseline target without `--baseline`).
    public let status: ScorecardStatus?
    /// The same cell in the baseline period, when one is given.
    public let baseline: Proportion?
    /// The change from the baseline's rate, with its 95% interval (Newcombe's hybrid score method).
    public let change: (difference: Double, interval: ClosedRange<Double>)?

    /// `increase`, `decrease` or `no change beyond chance`, from the change's interval.
    public var changeVerdict: String? {
        guard let change else { return nil }
        return change.interval.lowerBound > 0 ? "increase" : change.interval.upperBound < 0 ? "decrease" : "no change beyond chance"
    }
}

/// A scorecard: every measure, for each crime type it covers, by group and in total.
public struct Scorecard: Sendable {
    /// The dimension grouped by.
    public let dimension: String
    /// How cases were counted.
    public let counting: CountingBasis
    /// The period counted, if one was given.
    public let period: ReportingPeriod?
    /// The baseline period, if one was given.
    public let baseline: ReportingPeriod?
    /// Where the measures come from.
    public let source: String
    /// Per measure, its cells.
    public let measures: [(measure: Measure, cells: [ScorecardCell])]
    /// Crime types the measures name that the data does not have.
    public let missingCrimeTypes: [String]
    /// The groups with a cell, in the dimension's order, then `Total`.
    public var groupNames: [String] {
        var seen = Set<String>(), names: [String] = []
        for (_, cells) in measures { for cell in cells where cell.name != "Total" && seen.insert(cell.name).inserted { names.append(cell.name) } }
        return names + ["Total"]
    }
    /// Cases a denominator would count but that have no date to place them in the period (period counting).
    public let undated: Int
}

/// Works out scorecards: pure functions of the table, the measures and the options.
public enum ScorecardAnalysis {
    /// The scorecard of `measures` by `dimension` under `filter`, counted by `counting` within
    /// `period` (all time when nil), with a baseline when `baseline` is given.
    public static func scorecard(of table: CaseTable, by dimension: DimensionColumn, filter: CaseFilter = CaseFilter(),
                                 measures: MeasureSet, counting: CountingBasis = .cohort, period: ReportingPeriod? = nil,
                                 baseline: ReportingPeriod? = nil) throws -> Scorecard {
        let compiled = try filter.compiled(for: table)
        let crimes = try table.requireDimension(BuiltInDimension.crimeType.rawValue)
        var undatedRows = Set<Int>()
        var missing: [String] = []
        var results: [(Measure, [ScorecardCell])] = []
        let width = dimension.labels.count + 1
        for measure in measures.measures {
            let covered = Set(measure.crimeTypes.compactMap { crimes.code(ofLabel: $0) })
            // One pass over the rows per period: tallies by crime type code and group, the crime type's total in the last slot.
            func tally(_ window: ReportingPeriod?) -> (numerators: [Int], denominators: [Int]) {
                var numerators = [Int](repeating: 0, count: crimes.labels.count * width)
                var denominators = numerators
                func count(_ row: Int, _ condition: CaseCondition, into tallies: inout [Int], base: Int, weight: Int) {
                    guard let day = matchDay(row, condition, table) else { return }
                    if counting == .period, let window {
                        guard day != CaseTable.noDate else {
                            if window == period { undatedRows.insert(row) }
                            return
                        }
                        guard window.days.contains(day) else { return }
                    }
                    tallies[base + Int(dimension.codes[row])] += weight
                    tallies[base + width - 1] += weight
                }
                for row in 0..<table.rowCount where compiled.keeps(row) && covered.contains(Int(crimes.codes[row])) {
                    let inCohort = counting == .period || window.map { $0.days.contains(table.reportedDays[row]) } ?? true
                    guard inCohort else { continue }
                    let base = Int(crimes.codes[row]) * width, weight = Int(table.weights[row])
                    count(row, measure.denominator, into: &denominators, base: base, weight: weight)
                    count(row, measure.numerator, into: &numerators, base: base, weight: weight)
                }
                return (numerators, denominators)
            }
            let now = tally(period)
            let before = baseline.map(tally)
            var cells: [ScorecardCell] = []
            for crime in measure.crimeTypes {
                guard let crimeCode = crimes.code(ofLabel: crime) else {
                    if !missing.contains(crime) { missing.append(crime) }
                    continue
                }
                let target = measure.targets[crimes.labels[crimeCode]] ?? measure.targets[crime]
                for group in 0..<width where now.denominators[crimeCode * width + group] > 0 {
                    let slot = crimeCode * width + group
                    let proportion = Proportion(now.numerators[slot], of: now.denominators[slot])
                    let old = before.map { Proportion($0.numerators[slot], of: $0.denominators[slot]) }
                    cells.append(cell(crimeType: crimes.labels[crimeCode], name: group < width - 1 ? dimension.labels[group] : "Total",
                                      proportion: proportion, target: target, baseline: old))
                }
            }
            results.append((measure, cells))
        }
        return Scorecard(dimension: dimension.name, counting: counting, period: period, baseline: baseline, source: measures.source,
                         measures: results, missingCrimeTypes: missing,
                         undated: undatedRows.reduce(0) { $0 + Int(table.weights[$1]) })
    }

    /// The rows behind a cell's numerator: cases of `crimeType` in `group` (a dimension's label)
    /// that `measure` counts above the line, counted as `counting` says within `period`.
    public static func numeratorRows(of table: CaseTable, measure: Measure, crimeType: String, group: (dimension: String, label: String)?,
                                     filter: CaseFilter, counting: CountingBasis, period: ReportingPeriod?) throws -> [Int] {
        var narrowed = filter.restricting(BuiltInDimension.crimeType.rawValue, to: crimeType)
        if let group { narrowed = narrowed.restricting(group.dimension, to: group.label) }
        let compiled = try narrowed.compiled(for: table)
        return (0..<table.rowCount).filter { row in
            guard compiled.keeps(row), let day = matchDay(row, measure.numerator, table) else { return false }
            guard let period else { return true }
            return counting == .cohort ? period.days.contains(table.reportedDays[row]) : day != CaseTable.noDate && period.days.contains(day)
        }
    }

    /// A cell with its status and, against a baseline, its change.
    static func cell(crimeType: String, name: String, proportion: Proportion, target: MeasureTarget?, baseline: Proportion?) -> ScorecardCell {
        let interval = proportion.wilson95
        let change = baseline.flatMap { old in Statistics.newcombeDifference(proportion, old).map { (proportion.rate! - old.rate!, $0) } }
        var targetRate: Double?
        var status: ScorecardStatus?
        switch target {
        case .rate(let rate, let direction)?:
            targetRate = rate
            if let interval { status = judge(interval, against: rate, direction) }
        case .baseline(let direction)?:
            targetRate = baseline?.rate
            if let change { status = judge(change.1, against: 0, direction) }
        case nil:
            break
        }
        return ScorecardCell(crimeType: crimeType, name: name, proportion: proportion, target: target, targetRate: targetRate,
                             status: status, baseline: baseline, change: change.map { ($0.0, $0.1) })
    }

    /// Met when all of `interval` is on the target's side (the target itself included), not met
    /// when all of it is on the other side, uncertain otherwise.
    public static func judge(_ interval: ClosedRange<Double>, against target: Double, _ direction: TargetDirection) -> ScorecardStatus {
        switch direction {
        case .atLeast: interval.lowerBound >= target ? .met : interval.upperBound < target ? .notMet : .uncertain
        case .atMost: interval.upperBound <= target ? .met : interval.lowerBound > target ? .notMet : .uncertain
        }
    }

    /// Whether `row` meets `condition`, and if so the day it did (for period counting; `noDate`
    /// when the source does not date it): the report date for every case, the stage's date (or
    /// the earliest later one) for a stage or a charge, the outcome date for an outcome.
    static func matchDay(_ row: Int, _ condition: CaseCondition, _ table: CaseTable) -> Int32? {
        if condition.all { return table.reportedDays[row] }
        let furthest = Int(table.furthestStages[row])
        func stageDay(_ stage: Stage) -> Int32 { table.reachedDate(ofRow: row, at: stage)?.days ?? CaseTable.noDate }
        if let stage = condition.stages.sorted().first(where: { furthest >= $0.rawValue }) { return stageDay(stage) }
        if condition.policeOutcomes.contains(1), furthest >= Stage.charged.rawValue { return stageDay(.charged) }
        let outcome = table.outcome(ofRow: row)
        if case .police(let police) = outcome, condition.policeOutcomes.contains(police.code) { return table.outcomeDays[row] }
        if case .court(let court) = outcome, condition.courtOutcomes.contains(court) { return table.outcomeDays[row] }
        if outcome == .convicted || furthest == Stage.convicted.rawValue, condition.courtOutcomes.contains(.convicted) {
            return table.outcomeDays[row] != CaseTable.noDate ? table.outcomeDays[row] : stageDay(.convicted)
        }
        return nil
    }
}

extension Statistics {
    /// The Wilson score interval without continuity correction (Wilson 1927), used inside Newcombe's method.
    static func plainWilson(_ proportion: Proportion, z: Double = z95) -> ClosedRange<Double>? {
        guard proportion.total > 0 else { return nil }
        let n = Double(proportion.total), x = Double(proportion.count), z2 = z * z
        let centre = (x + z2 / 2) / (n + z2)
        let half = z / (n + z2) * (x * (n - x) / n + z2 / 4).squareRoot()
        return max(0, centre - half)...min(1, centre + half)
    }

    /// The 95% interval for the difference of two proportions `a` − `b` by Newcombe's hybrid
    /// score method (Newcombe 1998, Statistics in Medicine 17:873, method 10): from each
    /// proportion's Wilson interval (l, u), d − √((p̂₁−l₁)² + (u₂−p̂₂)²) to d + √((u₁−p̂₁)² + (p̂₂−l₂)²).
    public static func newcombeDifference(_ a: Proportion, _ b: Proportion) -> ClosedRange<Double>? {
        guard let p1 = a.rate, let p2 = b.rate, let one = plainWilson(a), let two = plainWilson(b) else { return nil }
        let d = p1 - p2
        let lower = d - ((p1 - one.lowerBound) * (p1 - one.lowerBound) + (two.upperBound - p2) * (two.upperBound - p2)).squareRoot()
        let upper = d + ((one.upperBound - p1) * (one.upperBound - p1) + (p2 - two.lowerBound) * (p2 - two.lowerBound)).squareRoot()
        return lower...upper
    }
}
