/// Every accepted case, held column by column for fast re-aggregation.
///
/// Dimensions are dictionary-encoded (`DimensionColumn`), dates are day numbers, the furthest
/// stage and outcome are one byte each. Row `i` of every column is the same case.
public struct CaseTable: Sendable {
    /// Marks a stage date that the row does not give.
    public static let noDate = Int32.min

    /// How many cases each row stands for (the `count` column; 1 when absent).
    public let weights: [UInt32]
    /// The report date of each row, as days since 1970-01-01.
    public let reportedDays: [Int32]
    /// Dates of the later stages (`referred` ... `convicted`), `noDate` where not given.
    let laterStageDays: [[Int32]]
    /// Furthest stage of each row (`Stage.rawValue`).
    public let furthestStages: [UInt8]
    /// Outcome of each row (`CaseOutcome.code`).
    public let outcomes: [UInt8]
    /// File line on which each row starts.
    public let sourceLines: [UInt32]
    /// Every dimension: the built-in ones in contract order, then the file's extra columns.
    public let dimensions: [DimensionColumn]
    /// Stages the file's columns can speak to, in order.
    public let availableStages: [Stage]
    private let caseIds: InternTable

    init(weights: [UInt32], reportedDays: [Int32], laterStageDays: [[Int32]], furthestStages: [UInt8],
         outcomes: [UInt8], sourceLines: [UInt32], dimensions: [DimensionColumn], availableStages: [Stage],
         caseIds: InternTable) {
        self.weights = weights
        self.reportedDays = reportedDays
        self.laterStageDays = laterStageDays
        self.furthestStages = furthestStages
        self.outcomes = outcomes
        self.sourceLines = sourceLines
        self.dimensions = dimensions
        self.availableStages = availableStages
        self.caseIds = caseIds
    }

    /// Number of rows.
    public var rowCount: Int { weights.count }

    /// Number of cases (the sum of row weights).
    public var caseCount: Int { weights.reduce(0) { $0 + Int($1) } }

    /// The case reference of a row (invalid UTF-8 shown as U+FFFD).
    public func caseId(ofRow row: Int) -> String {
        String(decoding: caseIds.key(row), as: UTF8.self)
    }

    /// The date a row reached `stage`, if the file gives one.
    public func date(ofRow row: Int, at stage: Stage) -> DayNumber? {
        let days = stage == .reported ? reportedDays[row] : laterStageDays[stage.rawValue - 1][row]
        return days == CaseTable.noDate ? nil : DayNumber(days: days)
    }

    /// The dimension with this name, ignoring case.
    public func dimension(named name: String) -> DimensionColumn? {
        let key = name.lowercased()
        return dimensions.first { $0.name.lowercased() == key }
    }

    /// Bytes held by the table's columns and case references.
    public var footprint: Int {
        let perRow = weights.capacity * 4 + reportedDays.capacity * 4 + furthestStages.capacity
            + outcomes.capacity + sourceLines.capacity * 4
        let dates = laterStageDays.reduce(0) { $0 + $1.capacity * 4 }
        let dims = dimensions.reduce(0) { $0 + $1.footprint }
        return perRow + dates + dims + caseIds.footprint
    }
}
