import Foundation

/// Pure readers for single field values, working on raw bytes so the import never builds a
/// `String` for a value it has seen before.
public enum FieldParsing {
    /// The bytes without leading and trailing spaces and tabs (and a stray carriage return).
    @inline(__always)
    public static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lower = 0, upper = bytes.count
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// A date in `YYYY-MM-DD` or `DD/MM/YYYY` (day and month may have one digit). Bytes must be trimmed.
    public static func date(_ bytes: UnsafeRawBufferPointer) -> DayNumber? {
        let n = bytes.count
        if n == 10, bytes[4] == 0x2D, bytes[7] == 0x2D {
            guard let y = digits(bytes, 0, 4), let m = digits(bytes, 5, 2), let d = digits(bytes, 8, 2) else { return nil }
            return plausible(year: y, month: m, day: d)
        }
        // D/M/YYYY, DD/M/YYYY, D/MM/YYYY or DD/MM/YYYY
        guard n >= 8, n <= 10, bytes[n - 5] == 0x2F else { return nil }
        let firstSlash = bytes[1] == 0x2F ? 1 : (bytes[2] == 0x2F ? 2 : -1)
        guard firstSlash > 0, n - 5 - firstSlash - 1 >= 1, n - 5 - firstSlash - 1 <= 2 else { return nil }
        guard let d = digits(bytes, 0, firstSlash),
              let m = digits(bytes, firstSlash + 1, n - 5 - firstSlash - 1),
              let y = digits(bytes, n - 4, 4) else { return nil }
        return plausible(year: y, month: m, day: d)
    }

    /// The first years and the year after the last that a field's date may fall in.
    private static let plausibleYears = 1900..<2200

    /// The day numbers a field's date may take.
    static let plausibleDays = DayNumber(year: plausibleYears.lowerBound, month: 1, day: 1)!.days
        ... DayNumber(year: plausibleYears.upperBound - 1, month: 12, day: 31)!.days

    /// The plausible years in words.
    static let plausibleYearsText = "\(plausibleYears.lowerBound)–\(plausibleYears.upperBound - 1)"

    /// The day number of the first of each month of the plausible years, and of the month after:
    /// a date is its month's start plus its day, and a month's length the gap to the next start.
    private static let monthStarts: [Int32] = plausibleYears.flatMap { year in
        (1...12).map { DayNumber(year: year, month: $0, day: 1)!.days }
    } + [DayNumber(year: plausibleYears.upperBound, month: 1, day: 1)!.days]

    @inline(__always)
    private static func plausible(year: Int, month: Int, day: Int) -> DayNumber? {
        guard plausibleYears.contains(year), (1...12).contains(month), day >= 1 else { return nil }
        return monthStarts.withUnsafeBufferPointer { starts in
            let index = (year - plausibleYears.lowerBound) * 12 + month - 1
            let start = starts[index]
            return day <= Int(starts[index + 1] - start) ? DayNumber(days: start + Int32(day) - 1) : nil
        }
    }

    @inline(__always)
    private static func digits(_ bytes: UnsafeRawBufferPointer, _ from: Int, _ count: Int) -> Int? {
        var value = 0
        for k in from..<(from + count) {
            let digit = Int(bytes[k]) - 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// The largest whole number a field may hold (nine digits).
    public static let largestWholeNumber = 999_999_999

    /// A whole number written with ASCII digits only (no sign), up to nine digits.
    public static func wholeNumber(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count > 0, bytes.count <= 9 else { return nil }
        return digits(bytes, 0, bytes.count)
    }

    /// Whether bytes equal an ASCII word, ignoring ASCII case. `word` must be lower case.
    @inline(__always)
    public static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for k in 0..<bytes.count {
            let a = bytes[k], b = w[k]
            if a == b { continue }
            if b >= 0x61, b <= 0x7A, a | 0x20 == b { continue }
            return false
        }
        return true
    }

    /// Yes/No in its accepted spellings (`Yes`/`No`/`Y`/`N`/`true`/`false`); nil for anything else.
    public static func yesNo(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        if equalsIgnoringCase(bytes, "yes") || equalsIgnoringCase(bytes, "y") || equalsIgnoringCase(bytes, "true") { return true }
        if equalsIgnoringCase(bytes, "no") || equalsIgnoringCase(bytes, "n") || equalsIgnoringCase(bytes, "false") { return false }
        return nil
    }

    /// Whether bytes spell an explicit "unknown" (`Unknown`, `Not known`, `Not stated`).
    public static func isExplicitUnknown(_ bytes: UnsafeRawBufferPointer) -> Bool {
        equalsIgnoringCase(bytes, "unknown") || equalsIgnoringCase(bytes, "not known") || equalsIgnoringCase(bytes, "not stated")
    }

    /// The court result, case-insensitively.
    public static func courtOutcome(_ bytes: UnsafeRawBufferPointer) -> CourtOutcome? {
        if equalsIgnoringCase(bytes, "convicted") { return .convicted }
        if equalsIgnoringCase(bytes, "acquitted") { return .acquitted }
        if equalsIgnoringCase(bytes, "discontinued") { return .discontinued }
        if equalsIgnoringCase(bytes, "other") { return .other }
        return nil
    }

    /// A Home Office outcome given as its code (`14`, `Outcome 14`, `OC14`) or its official name.
    public static func policeOutcome(_ text: String) -> PoliceOutcome? {
        let folded = fold(text)
        var digitsOnly = Substring(folded)
        for prefix in ["outcome type ", "outcome ", "oc"] where digitsOnly.hasPrefix(prefix) {
            digitsOnly = digitsOnly.dropFirst(prefix.count)
            break
        }
        if let code = Int(digitsOnly.trimmingCharacters(in: .whitespaces)) { return PoliceOutcome(code: code) }
        return PoliceOutcome.all.first { fold($0.name) == folded }
    }

    /// Lower case, dashes unified, runs of spaces folded: how outcome names are compared.
    private static func fold(_ text: String) -> String {
        text.lowercased()
            .replacingOccurrences(of: "–", with: "-")
            .replacingOccurrences(of: "—", with: "-")
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }
}
