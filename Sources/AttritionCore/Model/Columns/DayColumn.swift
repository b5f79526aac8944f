/// Dates (day numbers, `CaseTable.noDate` where none is given) held as days since 1900-01-01
/// in a `PackedColumn`: two bytes a row for every date from 1900 to 2079, four beyond.
///
/// Stored value 0 is "no date" and 1 is 1900-01-01. The mapping is a bijection on 32 bits (the
/// one date it would send to 0, 1899-12-31, takes the value "no date" would have had), so any
/// day number survives.
public struct DayColumn: RandomAccessCollection, Equatable, Sendable {
    /// The stored values.
    private(set) var packed: PackedColumn

    /// 1899-12-31, one day before the first date held in two bytes.
    private static let base: Int32 = -25_568
    /// The stored value `noDate` would have taken by plain subtraction, given to `base` instead.
    private static let swapped = UInt32(bitPattern: CaseTable.noDate &- base)

    /// An empty column.
    public init() { packed = PackedColumn() }

    /// A column over stored values (a snapshot's).
    init(packed: PackedColumn) { self.packed = packed }

    /// A column holding these day numbers.
    public init<Days: Sequence>(_ days: Days) where Days.Element == Int32 {
        packed = PackedColumn(days.lazy.map(DayColumn.encode))
    }

    /// Number of rows.
    public var count: Int { packed.count }

    /// The day number in `row`, or `CaseTable.noDate`.
    @inline(__always)
    public subscript(row: Int) -> Int32 { DayColumn.decode(packed[row]) }

    /// Every day number, in row order.
    public var days: [Int32] { Array(self) }

    /// The first row, 0.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { count }

    /// Bytes held in memory.
    var footprint: Int { packed.footprint }

    /// Makes room for `rows` rows in all.
    public mutating func reserve(_ rows: Int) { packed.reserve(rows) }

    /// Adds a day number after the last row.
    @inline(__always)
    public mutating func append(_ day: Int32) { packed.append(DayColumn.encode(day)) }

    /// Adds these day numbers after the last row.
    mutating func append(contentsOf days: [Int32]) {
        days.map(DayColumn.encode).withUnsafeBufferPointer { packed.append(contentsOf: $0) }
    }

    /// Adds the days of `rows` of `other` (ascending) after the last row.
    mutating func append(rows: [Int32], of other: DayColumn) {
        other.packed.gather(rows).withUnsafeBufferPointer { packed.append(contentsOf: $0) }
    }

    /// Replaces the day number in `row`.
    public mutating func set(_ row: Int, to day: Int32) { packed.set(row, to: DayColumn.encode(day)) }

    /// Writes the day numbers of `rows` into `target`.
    public func decode(_ rows: Range<Int>, into target: UnsafeMutablePointer<Int32>) {
        target.withMemoryRebound(to: UInt32.self, capacity: rows.count) { packed.decode(rows, into: $0) }
        for index in 0..<rows.count { target[index] = DayColumn.decode(UInt32(bitPattern: target[index])) }
    }

    /// Whether every day number held lies in `range`, or is `CaseTable.noDate` when `orMissing`.
    func allWithin(_ range: ClosedRange<Int32>, orMissing: Bool) -> Bool {
        var within = true
        packed.forEachBlock { _, values in
            guard within else { return }
            for value in values {
                let day = DayColumn.decode(value)
                if !(range.contains(day) || orMissing && day == CaseTable.noDate) {
                    within = false
                    return
                }
            }
        }
        return within
    }

    /// The latest day number held, or `CaseTable.noDate` when none is.
    public var latest: Int32 { self.max() ?? CaseTable.noDate }

    @inline(__always)
    static func encode(_ day: Int32) -> UInt32 {
        if day == CaseTable.noDate { return 0 }
        if day == base { return swapped }
        return UInt32(bitPattern: day &- base)
    }

    @inline(__always)
    static func decode(_ stored: UInt32) -> Int32 {
        if stored == 0 { return CaseTable.noDate }
        if stored == swapped { return base }
        return Int32(bitPattern: stored) &+ base
    }
}
