/// The report-period dimensions (`reported_year`, `reported_quarter`, `reported_month`), worked
/// out from report dates and listed in time order.
enum ReportPeriods {
    /// Year, quarter and month columns for rows with these report dates.
    static func columns(reportedDays: [Int32]) -> [DimensionColumn] {
        var monthIndex: [Int32] = []
        monthIndex.reserveCapacity(reportedDays.count)
        var minimum = Int32.max, maximum = Int32.min
        for days in reportedDays {
            let (year, month, _) = DayNumber(days: days).components
            let index = Int32(year * 12 + month - 1)
            monthIndex.append(index)
            minimum = min(minimum, index)
            maximum = max(maximum, index)
        }
        guard minimum <= maximum else {
            return [BuiltInDimension.reportedYear, .reportedQuarter, .reportedMonth].map {
                DimensionColumn(name: $0.rawValue, labels: [], codes: [])
            }
        }
        let months = Array(minimum...maximum)
        return [
            column(.reportedYear, months, monthIndex) { "\($0 / 12)" },
            column(.reportedQuarter, months, monthIndex) { "\($0 / 12)-Q\($0 % 12 / 3 + 1)" },
            column(.reportedMonth, months, monthIndex) { "\($0 / 12)-\(DayNumber.twoDigits(Int($0 % 12) + 1))" },
        ]
    }

    /// A column whose groups are the distinct `label`s of the months present, in time order.
    private static func column(_ dimension: BuiltInDimension, _ months: [Int32], _ monthIndex: [Int32],
                               label: (Int32) -> String) -> DimensionColumn {
        let first = months[0]
        var present = [Bool](repeating: false, count: months.count)
        for index in monthIndex { present[Int(index - first)] = true }
        var labels: [String] = []
        var codeOfMonth = [UInt32](repeating: 0, count: months.count)
        for (offset, month) in months.enumerated() where present[offset] {
            let text = label(month)
            if labels.last != text { labels.append(text) }
            codeOfMonth[offset] = UInt32(labels.count - 1)
        }
        let codes = monthIndex.map { codeOfMonth[Int($0 - first)] }
        return DimensionColumn(name: dimension.rawValue, labels: labels, codes: codes)
    }
}
