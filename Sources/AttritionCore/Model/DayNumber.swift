/// A calendar date held as days since 1970-01-01, the form dates take in the case table.
public struct DayNumber: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before it).
    public let days: Int32

    /// The date with this day count.
    public init(days: Int32) { self.days = days }

    /// The date for a proleptic Gregorian year, month and day; nil when no such day exists.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= DayNumber.daysIn(month: month, year: year) else { return nil }
        // Days from civil, after Howard Hinnant's public-domain algorithm.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        days = Int32(era * 146_097 + doe - 719_468)
    }

    /// Year, month and day of this date.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The date as `YYYY-MM-DD`.
    public var iso: String {
        let (y, m, d) = components
        return "\(y)-\(DayNumber.twoDigits(m))-\(DayNumber.twoDigits(d))"
    }

    /// The number of days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    public static func < (lhs: DayNumber, rhs: DayNumber) -> Bool { lhs.days < rhs.days }
}
