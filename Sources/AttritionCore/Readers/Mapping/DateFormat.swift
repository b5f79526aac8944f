/// A date layout from a mapping's `[dates] formats`, in the strftime style docs/contracts/mapping-and-events.md
/// allows: `%Y` (four digits), `%m` and `%d` (one or two digits), `%b` (an English month
/// abbreviation, any case), `%H` `%M` `%S` (read and ignored), `%%`, and literal text.
public struct DateFormat: Equatable, Sendable {
    /// One piece of a layout.
    enum Piece: Equatable, Sendable {
        case year, month, day, monthName, ignoredNumber
        case literal(UInt8)
    }

    /// The layout as written in the mapping.
    public let text: String
    let pieces: [Piece]

    /// The layout `text`; nil with the reason when it holds a directive not allowed or lacks a year, month or day.
    public static func parse(_ text: String) -> Result<DateFormat, DateFormatError> {
        var pieces: [Piece] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                pieces.append(.literal(byte))
                continue
            }
            guard let directive = bytes.popFirst() else { return .failure(.init(text: text, reason: "it ends with a lone %")) }
            switch directive {
            case UInt8(ascii: "Y"): pieces.append(.year)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "b"): pieces.append(.monthName)
            case UInt8(ascii: "H"), UInt8(ascii: "M"), UInt8(ascii: "S"): pieces.append(.ignoredNumber)
            case UInt8(ascii: "%"): pieces.append(.literal(UInt8(ascii: "%")))
            default:
                let shown = String(decoding: [directive], as: UTF8.self)
                return .failure(.init(text: text, reason: "%\(shown) is not one of %Y %m %d %b %H %M %S"))
            }
        }
        let has = { (piece: Piece) in pieces.contains(piece) }
        guard has(.year), has(.month) || has(.monthName), has(.day) else {
            return .failure(.init(text: text, reason: "a date format needs a year (%Y), a month (%m or %b) and a day (%d)"))
        }
        return .success(DateFormat(text: text, pieces: pieces))
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date `bytes` (trimmed) spell in this layout, if they do, whole and as a real calendar date.
    public func date(_ bytes: UnsafeRawBufferPointer) -> DayNumber? {
        var at = 0, year = 0, month = 0, day = 0
        for piece in pieces {
            switch piece {
            case .literal(let byte):
                guard at < bytes.count, bytes[at] == byte else { return nil }
                at += 1
            case .year:
                guard let value = DateFormat.number(bytes, &at, min: 4, max: 4) else { return nil }
                year = value
            case .month:
                guard let value = DateFormat.number(bytes, &at, min: 1, max: 2) else { return nil }
                month = value
            case .day:
                guard let value = DateFormat.number(bytes, &at, min: 1, max: 2) else { return nil }
                day = value
            case .ignoredNumber:
                guard DateFormat.number(bytes, &at, min: 1, max: 2) != nil else { return nil }
            case .monthName:
                guard at + 3 <= bytes.count else { return nil }
                let name = String(decoding: (at..<(at + 3)).map { bytes[$0] | 0x20 }, as: UTF8.self)
                guard let index = DateFormat.monthNames.firstIndex(of: name) else { return nil }
                month = index + 1
                at += 3
            }
        }
        guard at == bytes.count, (1900...2199).contains(year) else { return nil }
        return DayNumber(year: year, month: month, day: day)
    }

    private static func number(_ bytes: UnsafeRawBufferPointer, _ at: inout Int, min: Int, max: Int) -> Int? {
        var value = 0, count = 0
        while count < max, at < bytes.count, (0x30...0x39).contains(bytes[at]) {
            value = value * 10 + Int(bytes[at] - 0x30)
            at += 1
            count += 1
        }
        return count >= min ? value : nil
    }
}

/// Why a date format cannot be used.
public struct DateFormatError: Error, Equatable, Sendable {
    /// The format as written.
    public let text: String
    /// What is wrong with it.
    public let reason: String
}
