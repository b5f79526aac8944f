/// Every accepted case, held column by column for fast re-aggregation.
///
/// Dimensions are dictionary-encoded (`DimensionColumn`), dates are day numbers, the furthest
/// stage and outcome are one byte each. Row `i` of every column is the same case.
public struct CaseTable: Sendable {
    /// Marks a stage date that the row does not give.
    public static let noDate = Int32.min

    /// How many cases each row stands for (the `count` column; 1 when absent).
    public let weights: PackedColumn
    /// The report date of each row, as days since 1970-01-01.
    public let reportedDays: DayColumn
    /// Dates of the later stages (`referred` ... `convicted`), `noDate` where not given.
    let laterStageDays: [DayColumn]
    /// Furthest stage of each row (`Stage.rawValue`).
    public let furthestStages: PackedColumn
    /// Outcome of each row (`CaseOutcome.code`).
    public let outcomes: PackedColumn
    /// The day each row's case closed (`outcome_date`), `noDate` where not given.
    let outcomeDays: DayColumn
    /// File line on which each row starts, less the row's index (mostly a small number, so held narrow).
    let lineOffsets: PackedColumn
    /// Every dimension: the built-in ones in contract order, then the file's extra columns.
    public let dimensions: [DimensionColumn]
    /// Stages the file's columns can speak to, in order.
    public let availableStages: [Stage]
    /// How precisely the source dates its stages.
    public let datePrecision: DatePrecision
    /// Why the stages missing from `availableStages` are not recorded.
    public let unrecordedReason: String
    /// The reason given for a canonical file's missing stages.
    public static let defaultUnrecordedReason = "no column of the file speaks to it"
    /// The files rows came from, when the source has several (a police.uk folder or archive); empty otherwise.
    public let sourceFiles: [String]
    /// Index into `sourceFiles` of each row's file (empty when the source is one file).
    let sourceFileOfRow: PackedColumn
    /// Each row's case reference.
    let caseIds: CaseReferences
    /// Whether the rows are groups of cases rather than cases — a case file with a `count` column,
    /// such as a cube (`attrition cube`) — so that no row carries one case's own dates.
    public let isCube: Bool
    /// Each row's furthest stage and outcome in one dense code (one byte a row), numbered in the
    /// order first met, so a funnel's tally reads one column where it would read two and its
    /// counters, one per code present, stay in the fastest cache.
    let journeyStates: PackedColumn
    /// For each code of `journeyStates`, `furthest × CaseOutcome.codeCount + outcome`.
    let journeyStateKeys: [Int]

    init(weights: PackedColumn, reportedDays: DayColumn, laterStageDays: [DayColumn], furthestStages: PackedColumn,
         outcomes: PackedColumn, outcomeDays: DayColumn, lineOffsets: PackedColumn, dimensions: [DimensionColumn], availableStages: [Stage],
         caseIds: CaseReferences, datePrecision: DatePrecision = .day, sourceFiles: [String] = [], sourceFileOfRow: PackedColumn = PackedColumn(),
         unrecordedReason: String = CaseTable.defaultUnrecordedReason, isCube: Bool = false) {
        self.isCube = isCube
        self.datePrecision = datePrecision
        self.unrecordedReason = unrecordedReason
        self.sourceFiles = sourceFiles
        self.sourceFileOfRow = sourceFileOfRow
        self.weights = weights
        self.reportedDays = reportedDays
        self.laterStageDays = laterStageDays
        self.furthestStages = furthestStages
        self.outcomes = outcomes
        self.outcomeDays = outcomeDays
        self.lineOffsets = lineOffsets
        self.dimensions = dimensions
        self.availableStages = availableStages
        self.caseIds = caseIds
        (journeyStates, journeyStateKeys) = CaseTable.combined(furthestStages, outcomes)
    }

    /// Each row's dense journey-state code, a block at a time, and each code's
    /// `furthest × CaseOutcome.codeCount + outcome`.
    private static func combined(_ furthest: PackedColumn, _ outcomes: PackedColumn) -> (PackedColumn, [Int]) {
        var states = PackedColumn()
        states.reserve(furthest.count)
        var keys: [Int] = []
        var codeOfKey = [UInt32](repeating: .max, count: Stage.allCases.count * CaseOutcome.codeCount)
        let outcome = UnsafeMutablePointer<UInt32>.allocate(capacity: PackedColumn.blockRows)
        defer { outcome.deallocate() }
        furthest.forEachBlock { rows, stages in
            outcomes.decode(rows, into: outcome)
            for index in stages.indices {
                let key = Int(stages[index]) &* CaseOutcome.codeCount &+ Int(outcome[index])
                if codeOfKey[key] == .max {
                    codeOfKey[key] = UInt32(keys.count)
                    keys.append(key)
                }
                stages[index] = codeOfKey[key]
            }
            states.append(contentsOf: UnsafeBufferPointer(stages))
        }
        return (states, keys)
    }

    /// Number of rows.
    public var rowCount: Int { weights.count }

    /// Number of cases (the sum of row weights).
    public var caseCount: Int {
        weights.width == 0 ? Int(weights.constant) * rowCount : (0..<rowCount).reduce(0) { $0 + Int(weights[$1]) }
    }

    /// The file line on which each row starts.
    public var sourceLines: [Int] { (0..<rowCount).map(sourceLine(ofRow:)) }

    /// The file line on which a row starts.
    public func sourceLine(ofRow row: Int) -> Int { row + Int(Int32(bitPattern: lineOffsets[row])) }

    /// The case reference of a row (invalid UTF-8 shown as U+FFFD).
    public func caseId(ofRow row: Int) -> String {
        String(decoding: caseIds.key(row), as: UTF8.self)
    }

    /// Where a row came from: `file line N`, or `FILE, line N` for a source of several files.
    public func sourcePlace(ofRow row: Int) -> String {
        guard row < sourceFileOfRow.count else { return "file line \(sourceLine(ofRow: row))" }
        return "\(sourceFiles[Int(sourceFileOfRow[row])]), line \(sourceLine(ofRow: row))"
    }

    /// Whether the data has any victim characteristic (police.uk's open data has none).
    public var hasVictimCharacteristics: Bool {
        dimension(named: BuiltInDimension.victimSex.rawValue) != nil
    }

    /// A line saying the data has no victim characteristics, and why; nil when it has them.
    public var noVictimCharacteristicsNote: String? {
        hasVictimCharacteristics ? nil
            : "No victim characteristics in this data (\(datePrecision == .month ? "police.uk open data publishes none" : "the source gives none")): "
                + "no breakdown by victim's sex, age, ethnicity, disability, relationship or repeat victimisation"
    }

    /// Throws `QueryError.notAnswerable` when the rows are groups of cases (`isCube`): `view`
    /// needs each case's own dates, which such a file does not have.
    public func requireCaseDates(for view: String) throws {
        guard isCube else { return }
        throw QueryError.notAnswerable("\(view) needs each case's own dates, and this file's rows are groups of cases (its count column: "
            + "a cube, or other pre-aggregated data) that keep the report month and the stages reached, not the dates; "
            + "a cube cannot answer it: open the case table it was made from")
    }

    /// The furthest stage a row's case reached.
    public func furthestStage(ofRow row: Int) -> Stage { Stage(rawValue: Int(furthestStages[row])) ?? .reported }

    /// Where a row's case stands at its furthest stage.
    public func outcome(ofRow row: Int) -> CaseOutcome { CaseOutcome(code: UInt8(truncatingIfNeeded: outcomes[row])) }

    /// The date a row's case closed (its `outcome_date`), if the source gives one.
    public func outcomeDate(ofRow row: Int) -> DayNumber? {
        outcomeDays[row] == CaseTable.noDate ? nil : DayNumber(days: outcomeDays[row])
    }

    /// The date a row reached `stage`, if the file gives one.
    public func date(ofRow row: Int, at stage: Stage) -> DayNumber? {
        let days = stage == .reported ? reportedDays[row] : laterStageDays[stage.rawValue - 1][row]
        return days == CaseTable.noDate ? nil : DayNumber(days: days)
    }

    /// When a row's case reached `stage`, as well as the data can say: the stage's own date, else the
    /// date of the earliest later stage it reached (a stage is reached no later than the next);
    /// nil when it did not reach the stage or no such date is given.
    public func reachedDate(ofRow row: Int, at stage: Stage) -> DayNumber? {
        let furthest = Int(furthestStages[row])
        guard furthest >= stage.rawValue else { return nil }
        return Stage.allCases[stage.rawValue...furthest].lazy.compactMap { date(ofRow: row, at: $0) }.first
    }

    /// The dimension with this name, ignoring case.
    public func dimension(named name: String) -> DimensionColumn? {
        let key = name.lowercased()
        return dimensions.first { $0.name.lowercased() == key }
    }

    /// Bytes held in memory by the table's columns and case references (a snapshot's mapped
    /// columns are the page cache's, and not counted).
    public var footprint: Int {
        let perRow = [weights, furthestStages, outcomes, lineOffsets, sourceFileOfRow].reduce(0) { $0 + $1.footprint }
        let dates = (laterStageDays + [reportedDays, outcomeDays]).reduce(0) { $0 + $1.footprint }
        return perRow + dates + dimensions.reduce(0) { $0 + $1.footprint } + caseIds.footprint
    }
}

/// How precisely a source dates its stages.
public enum DatePrecision: Sendable {
    /// Calendar days (the canonical case file).
    case day
    /// Calendar months: police.uk dates every crime and outcome by month only; a date stands for the month's first day.
    case month

    /// A date as this precision allows it to be shown: `2024-06-01`, or `2024-06` by month.
    public func text(_ date: DayNumber) -> String {
        self == .month ? String(date.iso.prefix(7)) : date.iso
    }

    /// The time from one date to a later one as this precision allows: `12 days`, or `3 months`.
    public func lag(from start: DayNumber, to end: DayNumber) -> String {
        guard self == .month else { return "\(end.days - start.days) days" }
        let (y0, m0, _) = start.components, (y1, m1, _) = end.components
        let months = (y1 - y0) * 12 + m1 - m0
        return months == 1 ? "1 month" : "\(months) months"
    }
}
