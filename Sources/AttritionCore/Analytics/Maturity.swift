/// Maturity: leaving out cases too recent to have had time to move on, so that open cases do
/// not look like attrition.
public enum Maturity {
    /// The longest maturity the options accept, in months (a century).
    public static let longest = 1200

    /// The day `months` calendar months before `asOf` (the day of month clamped to the month's
    /// length), and never before January of year 0, so no setting can overflow a day number.
    public static func cutoff(asOf: DayNumber, months: Int) -> DayNumber {
        let (year, month, day) = asOf.components
        let index = max(year * 12 + (month - 1) - max(months, 0), 0)
        let (y, m) = (index / 12, index % 12 + 1)
        return DayNumber(year: y, month: m, day: min(day, DayNumber.daysIn(month: m, year: y)))!
    }
}

extension CaseTable {
    /// The latest date anywhere in the table, `outcome_date` included: the as-of date when none is
    /// given (docs/contracts/case-journey-format.md, section 3), the best guess at when the extract was taken.
    public var latestDate: DayNumber? {
        let latest = (laterStageDays + [reportedDays, outcomeDays]).map(\.latest).max() ?? CaseTable.noDate
        return latest == CaseTable.noDate ? nil : DayNumber(days: latest)
    }
}
