/// Where a case got to, as a reader worked it out from its source.
struct CaseJourney {
    /// The furthest stage reached.
    var furthest = Stage.reported
    /// Where the case stands at that stage.
    var outcome = CaseOutcome.open
    /// Day numbers on which it reached `referred`, `charged`, `prosecuted` and `convicted`
    /// (`CaseTable.noDate` where not known).
    var laterStageDays = SIMD4<Int32>(repeating: CaseTable.noDate)
    /// The day the case closed — its police outcome or court result recorded — or `CaseTable.noDate`.
    var outcomeDay = CaseTable.noDate
}

/// The one table builder: every reader (canonical CSV, police.uk, …) hands it cases — a
/// reference, a report date, a journey and a code in each dimension — and it holds them column
/// by column, then finishes the `CaseTable`.
struct CaseTableBuilder {
    private var weights = PackedColumn()
    private var reportedDays = DayColumn()
    private var laterStageDays = [DayColumn](repeating: DayColumn(), count: 4)
    private var furthestStages = PackedColumn()
    private var outcomes = PackedColumn()
    private var outcomeDays = DayColumn()
    /// Each case's file line less its row index (see `CaseTable.sourceLine(ofRow:)`).
    private var lineOffsets = PackedColumn()
    private var caseIds = InternTable()
    /// Each dimension's encoder, in the table's order; readers encode values through them.
    var dimensions: [CategoryEncoder]
    private let orders: [LabelOrder]
    /// For each borough code: the code of the BCU derived from it (`UInt32.max` until worked out).
    private var bcuOfBorough: [UInt32] = []
    /// Report-period dimensions go after this many of `dimensions`.
    private let periodsAfter: Int

    /// A builder for cases with these dimensions (encoder and group order), the report periods
    /// placed after the first `periodsAfter`, with room for about `expectedRows` cases.
    init(dimensions: [(encoder: CategoryEncoder, order: LabelOrder)], periodsAfter: Int, expectedRows: Int) {
        self.dimensions = dimensions.map(\.encoder)
        orders = dimensions.map(\.order)
        self.periodsAfter = periodsAfter
        reserve(rows: expectedRows)
    }

    /// Cases held.
    var rowCount: Int { weights.count }

    /// Makes room for `rows` cases in every column, so they need not grow by copying.
    mutating func reserve(rows: Int, except skipped: Set<Int> = []) {
        caseIds.reserve(keys: rows)
        weights.reserve(rows)
        lineOffsets.reserve(rows)
        reportedDays.reserve(rows)
        for index in laterStageDays.indices { laterStageDays[index].reserve(rows) }
        furthestStages.reserve(rows)
        outcomes.reserve(rows)
        outcomeDays.reserve(rows)
        for index in dimensions.indices where !skipped.contains(index) { dimensions[index].codes.reserve(rows) }
    }

    /// Claims a case reference: nil when it is new, else the line of the case that holds it.
    mutating func claim(caseId: UnsafeRawBufferPointer) -> Int? {
        claimRow(caseId: caseId, hash: InternTable.hash(caseId)).map(line(ofRow:))
    }

    /// Starts fetching the case-reference slot this hash starts at, ahead of claiming it (`InternTable.prefetch`).
    func prefetchClaim(hash: UInt64) { caseIds.prefetch(hash) }

    /// Claims a case reference whose `InternTable.hash` is `hash`: nil when it is new, else the
    /// row of the case that holds it — which may be a row claimed but not yet added (`append(rows:of:)`).
    mutating func claimRow(caseId: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        let (existing, inserted) = caseIds.insert(caseId, hash: hash)
        return inserted ? nil : existing
    }

    /// Adds the case whose reference was just claimed. Its dimension codes are appended by the reader.
    mutating func append(line: Int, reported: Int32, journey: CaseJourney, weight: UInt32 = 1) {
        lineOffsets.append(UInt32(truncatingIfNeeded: line &- lineOffsets.count))
        reportedDays.append(reported)
        weights.append(weight)
        for index in 0..<4 { laterStageDays[index].append(journey.laterStageDays[index]) }
        furthestStages.append(UInt32(journey.furthest.rawValue))
        outcomes.append(UInt32(journey.outcome.code))
        outcomeDays.append(journey.outcomeDay)
    }

    /// How many cases row `row` stands for.
    func weight(ofRow row: Int) -> UInt32 { weights[row] }

    /// Adds the cases in `rows` (ascending) of `other` — a reader's builder — whose references
    /// were just claimed, but not their group codes (see `appendCodes`).
    mutating func append(rows: [Int32], of other: CaseTableBuilder) {
        let first = rowCount
        let offsets = rows.enumerated().map { UInt32(truncatingIfNeeded: other.line(ofRow: Int($1)) &- (first + $0)) }
        offsets.withUnsafeBufferPointer { lineOffsets.append(contentsOf: $0) }
        for (column, source) in [(\CaseTableBuilder.weights, other.weights), (\.furthestStages, other.furthestStages), (\.outcomes, other.outcomes)] {
            source.gather(rows).withUnsafeBufferPointer { self[keyPath: column].append(contentsOf: $0) }
        }
        reportedDays.append(rows: rows, of: other.reportedDays)
        for index in 0..<4 { laterStageDays[index].append(rows: rows, of: other.laterStageDays[index]) }
        outcomeDays.append(rows: rows, of: other.outcomeDays)
    }

    /// Adds group codes of dimension `dimension` for the cases just added.
    mutating func appendCodes(_ codes: [UInt32], dimension: Int) {
        codes.withUnsafeBufferPointer { dimensions[dimension].codes.append(contentsOf: $0) }
    }

    /// The file line case `row` starts on.
    func line(ofRow row: Int) -> Int { row + Int(Int32(bitPattern: lineOffsets[row])) }

    /// Replaces the journey of case `row` (a reader that learns of later events after adding it).
    mutating func revise(row: Int, journey: CaseJourney) {
        for index in 0..<4 { laterStageDays[index].set(row, to: journey.laterStageDays[index]) }
        furthestStages.set(row, to: UInt32(journey.furthest.rawValue))
        outcomes.set(row, to: UInt32(journey.outcome.code))
        outcomeDays.set(row, to: journey.outcomeDay)
    }

    /// The BCU code for a case whose borough has `code` in dimension `boroughs`: the London
    /// table's BCU (docs/contracts/case-journey-format.md, section 6), else `Unknown`, encoded in dimension `bcus`. Worked out once per borough.
    mutating func derivedBCU(forBorough code: UInt32, boroughs: Int, bcus: Int) -> UInt32 {
        let index = Int(code)
        while bcuOfBorough.count <= index { bcuOfBorough.append(UInt32.max) }
        if bcuOfBorough[index] == UInt32.max {
            let name = dimensions[boroughs].label(of: code)
            let label = LondonGeography.borough(named: name)?.bcu ?? CategoryEncoder.unknown
            bcuOfBorough[index] = dimensions[bcus].code(forLabel: label)
        }
        return bcuOfBorough[index]
    }

    /// The journey of case `row` as held so far.
    func journey(ofRow row: Int) -> CaseJourney { journeys.journey(ofRow: row) }

    /// The journey columns and report dates as they stand.
    private var journeys: JourneyColumns {
        JourneyColumns(reportedDays: reportedDays, laterStageDays: laterStageDays, furthestStages: furthestStages,
                       outcomes: outcomes, outcomeDays: outcomeDays)
    }

    /// Replaces every case's journey and report date with `revise(row, journey, reported)` (nil
    /// leaves the case as it is): a reader that learns of later events after adding the cases.
    /// Blocks of rows are worked out side by side from the columns as they stand, and laid into
    /// new columns in row order, appended in bulk rather than set row by row.
    mutating func reviseEveryRow(_ revise: @escaping @Sendable (Int, CaseJourney, Int32) -> (journey: CaseJourney, reported: Int32)?) throws {
        let old = journeys, count = rowCount, blockRows = 1 << 16
        var new = JourneyColumns.empty(reserving: count)
        try orderedParallelMap(count: (count + blockRows - 1) / blockRows, { block in
            old.revised(rows: block * blockRows..<min(count, (block + 1) * blockRows), revise)
        }) { _, revised in new.append(revised) }
        (reportedDays, laterStageDays, furthestStages, outcomes, outcomeDays) =
            (new.reportedDays, new.laterStageDays, new.furthestStages, new.outcomes, new.outcomeDays)
    }

    /// The row holding `caseId`, if any.
    func row(ofCase caseId: UnsafeRawBufferPointer) -> Int? { caseIds.find(caseId) }

    /// The cases' references and report dates as they stand, to be read on other threads
    /// while this builder is not changed.
    var lookup: CaseLookup { CaseLookup(ids: caseIds, reportedDays: reportedDays) }

    /// Bytes the cases take so far, the columns' reserved room included.
    var footprint: Int {
        let perRow = [weights, furthestStages, outcomes, lineOffsets].reduce(0) { $0 + $1.footprint }
        let dates = (laterStageDays + [reportedDays, outcomeDays]).reduce(0) { $0 + $1.footprint }
        return perRow + dates + dimensions.reduce(0) { $0 + $1.footprint } + caseIds.footprint
    }

    /// The finished table: every dimension but those `leftOut`, with the report periods worked
    /// out from the report dates, and the stages the source can speak to.
    /// The builder is left empty: its columns move into the table, and the case-reference look-up
    /// (needed only to find duplicates while reading) is let go.
    mutating func finish(availableStages: [Stage], leftOut: Set<Int> = [], datePrecision: DatePrecision = .day,
                         sourceFiles: [String] = [], sourceFileOfRow: PackedColumn = PackedColumn(),
                         unrecordedReason: String = CaseTable.defaultUnrecordedReason, isCube: Bool = false) -> CaseTable {
        var columns: [DimensionColumn] = []
        for index in dimensions.indices where !leftOut.contains(index) {
            columns.append(dimensions[index].column(order: orders[index]))
            dimensions[index].codes = PackedColumn()
        }
        let split = min(periodsAfter, columns.count)
        let all = Array(columns[..<split]) + ReportPeriods.columns(reportedDays: reportedDays) + Array(columns[split...])
        let references = CaseReferences(taking: &caseIds)
        return CaseTable(
            weights: weights, reportedDays: reportedDays, laterStageDays: laterStageDays,
            furthestStages: furthestStages, outcomes: outcomes, outcomeDays: outcomeDays, lineOffsets: lineOffsets,
            dimensions: all, availableStages: availableStages, caseIds: references, datePrecision: datePrecision,
            sourceFiles: sourceFiles, sourceFileOfRow: sourceFileOfRow, unrecordedReason: unrecordedReason, isCube: isCube)
    }
}

/// The cases read so far, as a later pass needs them (police.uk's outcome rows): each case
/// reference's row and report date. A copy shared read-only between threads.
struct CaseLookup: @unchecked Sendable {
    let ids: InternTable
    let reportedDays: DayColumn

    /// The row of the case with this reference, if it was read.
    func row(_ id: UnsafeRawBufferPointer) -> Int? { ids.find(id) }
}

/// The account an import keeps of rows it refused and warnings it gave: every one counted, the
/// first `listed` of each kept for listing.
struct ImportLog {
    /// How many of each to keep for listing.
    let listed: Int
    /// The first `listed` rejections.
    private(set) var rejections: [Rejection] = []
    /// Rows refused, all of them.
    private(set) var rejected = 0
    /// The first `listed` warnings.
    private(set) var warnings: [ImportWarning] = []
    /// Warnings given, all of them.
    private(set) var warningCount = 0

    /// Records that a row was refused.
    mutating func reject(_ rejection: Rejection) {
        rejected += 1
        if rejections.count < listed { rejections.append(rejection) }
    }

    /// Records a warning.
    mutating func warn(_ warning: ImportWarning) {
        warningCount += 1
        if warnings.count < listed { warnings.append(warning) }
    }
}

/// The columns of the cases' journeys and report dates, read as a unit.
private struct JourneyColumns: Sendable {
    var reportedDays: DayColumn
    var laterStageDays: [DayColumn]
    var furthestStages: PackedColumn
    var outcomes: PackedColumn
    var outcomeDays: DayColumn

    /// Empty columns with room for `rows` rows.
    static func empty(reserving rows: Int) -> JourneyColumns {
        var columns = JourneyColumns(reportedDays: DayColumn(), laterStageDays: Array(repeating: DayColumn(), count: 4),
                                     furthestStages: PackedColumn(), outcomes: PackedColumn(), outcomeDays: DayColumn())
        columns.reportedDays.reserve(rows)
        for index in 0..<4 { columns.laterStageDays[index].reserve(rows) }
        columns.furthestStages.reserve(rows)
        columns.outcomes.reserve(rows)
        columns.outcomeDays.reserve(rows)
        return columns
    }

    /// The journey of case `row`.
    func journey(ofRow row: Int) -> CaseJourney {
        CaseJourney(furthest: Stage(rawValue: Int(furthestStages[row]))!, outcome: CaseOutcome(code: UInt8(outcomes[row])),
                    laterStageDays: SIMD4(laterStageDays[0][row], laterStageDays[1][row], laterStageDays[2][row], laterStageDays[3][row]),
                    outcomeDay: outcomeDays[row])
    }

    /// Rows `rows`, revised by `revise` (see `CaseTableBuilder.reviseEveryRow`), as a block of their own.
    func revised(rows: Range<Int>, _ revise: (Int, CaseJourney, Int32) -> (journey: CaseJourney, reported: Int32)?) -> RevisedRows {
        var block = RevisedRows(reserving: rows.count)
        for row in rows {
            let reported = reportedDays[row], journey = journey(ofRow: row)
            let (new, newReported) = revise(row, journey, reported) ?? (journey, reported)
            block.reportedDays.append(newReported)
            for index in 0..<4 { block.laterStageDays[index].append(new.laterStageDays[index]) }
            block.furthestStages.append(UInt32(new.furthest.rawValue))
            block.outcomes.append(UInt32(new.outcome.code))
            block.outcomeDays.append(new.outcomeDay)
        }
        return block
    }

    /// Adds a block's rows after the last row.
    mutating func append(_ block: RevisedRows) {
        reportedDays.append(contentsOf: block.reportedDays)
        for index in 0..<4 { laterStageDays[index].append(contentsOf: block.laterStageDays[index]) }
        block.furthestStages.withUnsafeBufferPointer { furthestStages.append(contentsOf: $0) }
        block.outcomes.withUnsafeBufferPointer { outcomes.append(contentsOf: $0) }
        outcomeDays.append(contentsOf: block.outcomeDays)
    }
}

/// A block of rows' revised journeys and report dates, one plain array per column.
private struct RevisedRows: Sendable {
    var reportedDays: [Int32] = [], laterStageDays: [[Int32]] = Array(repeating: [], count: 4)
    var furthestStages: [UInt32] = [], outcomes: [UInt32] = [], outcomeDays: [Int32] = []

    init(reserving rows: Int) {
        reportedDays.reserveCapacity(rows)
        for index in 0..<4 { laterStageDays[index].reserveCapacity(rows) }
        furthestStages.reserveCapacity(rows)
        outcomes.reserveCapacity(rows)
        outcomeDays.reserveCapacity(rows)
    }
}
