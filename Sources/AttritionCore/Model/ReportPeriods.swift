/// The report-period dimensions (`reported_year`, `reported_quarter`, `reported_month`), worked
/// out from report dates and listed in time order.
enum ReportPeriods {
    /// Year, quarter and month columns for rows with these report dates.
    static func columns(reportedDays: DayColumn) -> [DimensionColumn] {
        // Months numbered from the first one present, held as narrow as they fit; each day's month
        // worked out once.
        let firstDay = reportedDays.min() ?? 0, lastDay = reportedDays.max() ?? -1
        guard firstDay <= lastDay else {
            return [BuiltInDimension.reportedYear, .reportedQuarter, .reportedMonth].map {
                DimensionColumn(name: $0.rawValue, labels: [], codes: [])
            }
        }
        let minimum = monthNumber(firstDay), maximum = monthNumber(lastDay)
        let monthOfDay = (firstDay...lastDay).map { UInt32(monthNumber($0) - minimum) }
        var monthIndex = PackedColumn()
        monthIndex.reserve(reportedDays.count)
        reportedDays.packed.forEachBlock { _, values in
            for index in values.indices { values[index] = monthOfDay[Int(DayColumn.decode(values[index]) - firstDay)] }
            monthIndex.append(contentsOf: UnsafeBufferPointer(values))
        }
        let months = Array(minimum...maximum)
        return [
            column(.reportedYear, months, monthIndex) { "\($0 / 12)" },
            column(.reportedQuarter, months, monthIndex) { "\($0 / 12)-Q\($0 % 12 / 3 + 1)" },
            column(.reportedMonth, months, monthIndex) { "\($0 / 12)-\(DayNumber.twoDigits(Int($0 % 12) + 1))" },
        ]
    }

    /// Months since year 0 of a day number.
    private static func monthNumber(_ days: Int32) -> Int32 {
        let (year, month, _) = DayNumber(days: days).components
        return Int32(year * 12 + month - 1)
    }

    /// A column whose groups are the distinct `label`s of the months present, in time order.
    private static func column(_ dimension: BuiltInDimension, _ months: [Int32], _ monthIndex: PackedColumn,
                               label: (Int32) -> String) -> DimensionColumn {
        var present = [Bool](repeating: false, count: months.count)
        monthIndex.forEachBlock { _, values in for month in values { present[Int(month)] = true } }
        var labels: [String] = []
        var codeOfMonth = [UInt32](repeating: 0, count: months.count)
        for (offset, month) in months.enumerated() where present[offset] {
            let text = label(month)
            if labels.last != text { labels.append(text) }
            codeOfMonth[offset] = UInt32(labels.count - 1)
        }
        return DimensionColumn(name: dimension.rawValue, labels: labels, codes: monthIndex.remapped(codeOfMonth))
    }
}
