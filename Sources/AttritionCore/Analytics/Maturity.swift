/// Maturity: leaving out cases too recent to have had time to move on, so that open cases do
/// not look like attrition.
public enum Maturity {
    /// The day `months` calendar months before `asOf` (the day of month clamped to the month's length).
    public static func cutoff(asOf: DayNumber, months: Int) -> DayNumber {
        let (year, month, day) = asOf.components
        let index = year * 12 + (month - 1) - months
        let (y, m) = (index >= 0 ? index / 12 : (index - 11) / 12, ((index % 12) + 12) % 12 + 1)
        return DayNumber(year: y, month: m, day: min(day, DayNumber.daysIn(month: m, year: y)))!
    }
}

extension CaseTable {
    /// The latest date anywhere in the table: the best guess at when the extract was taken.
    public var latestDate: DayNumber? {
        var latest = reportedDays.max() ?? CaseTable.noDate
        for days in laterStageDays { latest = max(latest, days.max() ?? CaseTable.noDate) }
        return latest == CaseTable.noDate ? nil : DayNumber(days: latest)
    }
}
