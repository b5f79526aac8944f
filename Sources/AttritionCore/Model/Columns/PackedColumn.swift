/// Unsigned whole numbers (group codes, weights, stages) held at the narrowest width that fits
/// every one of them: none at all when every value is the same, else 1, 2 or 4 bytes a row.
///
/// The column widens itself when a value does not fit, so a builder appends without knowing the
/// values to come. A copy shares its bytes until either is changed.
public struct PackedColumn: RandomAccessCollection, Equatable, @unchecked Sendable {
    /// The bytes behind the values.
    private(set) var block: ColumnBlock
    /// Number of values.
    public private(set) var count = 0
    /// Bytes a value takes: 0 (every value is `constant`), 1, 2 or 4.
    public private(set) var width = 0
    /// The value of every row while `width` is 0.
    private(set) var constant: UInt32 = 0
    /// Rows there is room for at the present width.
    private var rowCapacity = 0
    /// Rows to make room for when the column first needs bytes (set by `reserve`).
    private var reservedRows = 0

    /// An empty column.
    public init() { block = ColumnBlock() }

    /// A column holding `values`.
    public init<Values: Sequence>(_ values: Values) where Values.Element == UInt32 {
        self.init()
        reserve(values.underestimatedCount)
        for value in values { append(value) }
    }

    /// A column over bytes already laid out (a snapshot's): `count` values of `width` bytes in `block`.
    init(block: ColumnBlock, count: Int, width: Int, constant: UInt32) {
        self.block = block
        self.count = count
        self.width = width
        self.constant = constant
        rowCapacity = width == 0 ? Int.max : block.capacity / width
    }

    /// The value in `row`.
    @inline(__always)
    public subscript(row: Int) -> UInt32 {
        switch width {
        case 0: return constant
        case 1: return UInt32(block.base!.load(fromByteOffset: row, as: UInt8.self))
        case 2: return UInt32(block.base!.load(fromByteOffset: row &* 2, as: UInt16.self))
        default: return block.base!.load(fromByteOffset: row &* 4, as: UInt32.self)
        }
    }

    /// Every value, in row order.
    public var values: [UInt32] { Array(self) }

    /// The first row, 0.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { count }

    /// Whether two columns hold the same values (whatever their widths).
    public static func == (lhs: PackedColumn, rhs: PackedColumn) -> Bool { lhs.elementsEqual(rhs) }

    /// Bytes held in memory (rows reserved but not yet used included; mapped bytes excluded).
    var footprint: Int { block.footprint }

    /// The bytes behind the values (`count * width` of them), for writing a snapshot.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(block) {
            try body(UnsafeRawBufferPointer(start: block.base, count: width == 0 ? 0 : count * width))
        }
    }

    /// Makes room for `rows` rows in all, so appending them needs no copying.
    public mutating func reserve(_ rows: Int) {
        reservedRows = Swift.max(reservedRows, rows)
        if width > 0, rows > rowCapacity { setCapacity(rows) }
    }

    /// Adds `value` after the last row.
    @inline(__always)
    public mutating func append(_ value: UInt32) {
        if width == 0 {
            if count == 0 { constant = value }
            if value == constant {
                count += 1
                return
            }
            widen(toFit: Swift.max(value, constant))
        } else if value > PackedColumn.largest(width) {
            widen(toFit: value)
        }
        // Appending past every copy's rows changes none of their values; only two columns
        // appending to one block would clash, which `rowsWritten` tells without a reference count.
        if count == rowCapacity || block.rowsWritten != count || block.isMapped {
            setCapacity(count == rowCapacity ? Swift.max(16, count + count / 2, reservedRows) : rowCapacity)
        }
        store(value, at: count)
        count += 1
        block.rowsWritten = count
    }

    /// Adds `values` after the last row: the width and room settled once, then one tight loop.
    public mutating func append(contentsOf values: UnsafeBufferPointer<UInt32>) {
        guard let largest = values.max() else { return }
        if width == 0 {
            if count == 0 { constant = values[0] }
            if values.allSatisfy({ $0 == constant }) {
                count += values.count
                return
            }
            widen(toFit: Swift.max(largest, constant))
        } else if largest > PackedColumn.largest(width) {
            widen(toFit: largest)
        }
        let needed = count + values.count
        if needed > rowCapacity || block.rowsWritten != count || block.isMapped {
            setCapacity(needed > rowCapacity ? Swift.max(needed, count + count / 2, reservedRows) : rowCapacity)
        }
        let base = block.base!
        switch width {
        case 1:
            let target = base.assumingMemoryBound(to: UInt8.self) + count
            for index in values.indices { target[index] = UInt8(truncatingIfNeeded: values[index]) }
        case 2:
            let target = base.assumingMemoryBound(to: UInt16.self) + count
            for index in values.indices { target[index] = UInt16(truncatingIfNeeded: values[index]) }
        default:
            (base.assumingMemoryBound(to: UInt32.self) + count).update(from: values.baseAddress!, count: values.count)
        }
        count = needed
        block.rowsWritten = count
    }

    /// The values of `rows` (ascending), widened to 32 bits.
    func gather(_ rows: [Int32]) -> [UInt32] {
        guard let first = rows.first, let last = rows.last else { return [] }
        if Int(last - first) + 1 == rows.count {
            return [UInt32](unsafeUninitializedCapacity: rows.count) { buffer, initialized in
                decode(Int(first)..<(Int(last) + 1), into: buffer.baseAddress!)
                initialized = rows.count
            }
        }
        return rows.map { self[Int($0)] }
    }

    /// Replaces the value in `row`.
    public mutating func set(_ row: Int, to value: UInt32) {
        precondition(row < count)
        if self[row] == value { return }
        if width == 0 || value > PackedColumn.largest(width) { widen(toFit: Swift.max(value, width == 0 ? constant : 0)) }
        if !isKnownUniquelyReferenced(&block) || block.isMapped { setCapacity(rowCapacity) }
        store(value, at: row)
    }

    /// The column with every value `v` replaced by `mapping[v]`.
    public func remapped(_ mapping: [UInt32]) -> PackedColumn {
        if width == 0 { return count == 0 ? self : PackedColumn(repeating: mapping[Int(constant)], count: count) }
        var result = PackedColumn()
        result.reserve(count)
        mapping.withUnsafeBufferPointer { mapping in
            forEachBlock { _, values in
                for index in values.indices { values[index] = mapping[Int(values[index])] }
                result.append(contentsOf: UnsafeBufferPointer(values))
            }
        }
        return result
    }

    /// `count` rows all holding `value`.
    public init(repeating value: UInt32, count: Int) {
        self.init()
        self.count = count
        constant = value
    }

    /// Rows a loop over the column takes at a time (see `decode`).
    static let blockRows = 2048

    /// Writes the values of `rows` into `target`, widened to 32 bits: one loop per width, so a
    /// loop over many rows decodes a block at a time instead of asking the width of every row.
    public func decode(_ rows: Range<Int>, into target: UnsafeMutablePointer<UInt32>) {
        withExtendedLifetime(block) {
            switch width {
            case 0:
                target.update(repeating: constant, count: rows.count)
            case 1:
                let source = block.base!.assumingMemoryBound(to: UInt8.self) + rows.lowerBound
                for index in 0..<rows.count { target[index] = UInt32(source[index]) }
            case 2:
                let source = block.base!.assumingMemoryBound(to: UInt16.self) + rows.lowerBound
                for index in 0..<rows.count { target[index] = UInt32(source[index]) }
            default:
                target.update(from: block.base!.assumingMemoryBound(to: UInt32.self) + rows.lowerBound, count: rows.count)
            }
        }
    }

    /// The values of `rows` in place, where the column holds one byte a row (nil at other
    /// widths): for loops that read codes without widening them first. Valid while the column is.
    func bytes(_ rows: Range<Int>) -> UnsafePointer<UInt8>? {
        guard width == 1 else { return nil }
        return UnsafePointer(block.base!.assumingMemoryBound(to: UInt8.self) + rows.lowerBound)
    }

    /// The largest value held (0 when none is), a block at a time.
    func largest() -> UInt32 {
        if width == 0 { return count == 0 ? 0 : constant }
        var result: UInt32 = 0
        forEachBlock { _, values in result = Swift.max(result, values.max() ?? 0) }
        return result
    }

    /// Hands `body` the column's values a block at a time: the block's rows, and their values
    /// widened to 32 bits in a buffer `body` may change.
    func forEachBlock(_ body: (Range<Int>, UnsafeMutableBufferPointer<UInt32>) -> Void) {
        let buffer = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: PackedColumn.blockRows)
        defer { buffer.deallocate() }
        var start = 0
        while start < count {
            let rows = start..<Swift.min(count, start + PackedColumn.blockRows)
            decode(rows, into: buffer.baseAddress!)
            body(rows, UnsafeMutableBufferPointer(rebasing: buffer[..<rows.count]))
            start = rows.upperBound
        }
    }

    /// The largest value `width` bytes hold.
    @inline(__always)
    private static func largest(_ width: Int) -> UInt32 {
        width >= 4 ? UInt32.max : UInt32(1) << UInt32(width * 8) - 1
    }

    /// The width needed for `value`.
    private static func width(for value: UInt32) -> Int {
        value <= UInt32(UInt8.max) ? 1 : value <= UInt32(UInt16.max) ? 2 : 4
    }

    @inline(__always)
    private func store(_ value: UInt32, at row: Int) {
        switch width {
        case 1: block.base!.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: row, as: UInt8.self)
        case 2: block.base!.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: row &* 2, as: UInt16.self)
        default: block.base!.storeBytes(of: value, toByteOffset: row &* 4, as: UInt32.self)
        }
    }

    /// Re-encodes every row at the width `value` needs.
    private mutating func widen(toFit value: UInt32) {
        let newWidth = Swift.max(width, PackedColumn.width(for: value))
        guard newWidth != width else { return }
        let rows = Swift.max(count + 1, reservedRows, width == 0 ? 16 : rowCapacity)
        let wider = ColumnBlock(capacity: rows * newWidth)
        let old = self
        block = wider
        width = newWidth
        rowCapacity = rows
        old.forEachBlock { rows, values in
            for (index, value) in values.enumerated() { store(value, at: rows.lowerBound + index) }
        }
        block.rowsWritten = count
    }

    /// Gives the column an owned block with room for `rows` rows at its width.
    private mutating func setCapacity(_ rows: Int) {
        if isKnownUniquelyReferenced(&block), !block.isMapped {
            block.resize(to: rows * width)
        } else {
            block = block.copy(count: count * width, capacity: rows * width)
            block.rowsWritten = count
        }
        rowCapacity = rows
    }
}
