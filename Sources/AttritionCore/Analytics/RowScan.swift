import Foundation

/// Passes over a table's rows a block at a time — each column decoded into a small buffer, then
/// one tight loop over the block — split across the machine's cores when the table is large.
/// Each part adds into its own tally; the parts' tallies are summed, so the result is the same
/// however the rows are split.
enum RowScan {
    /// Rows below which a pass stays on one thread (splitting costs more than it saves).
    static let parallelFrom = 200_000

    /// `cells` counters, filled by `body` for every block of rows and summed over the parts.
    /// `body` gets the block's rows, scratch buffers for decoding them, and the part's counters.
    static func tally(rows: Int, cells: Int, _ body: @escaping @Sendable (Range<Int>, RowBuffers, UnsafeMutableBufferPointer<Int>) -> Void) -> [Int] {
        let parts = rows >= parallelFrom ? max(1, min(OrderedParallelism.workers, 8)) : 1
        let partials = PartialTallies(parts: parts, cells: cells)
        let run: @Sendable (Int) -> Void = { part in
            let buffers = RowBuffers()
            defer { buffers.release() }
            let range = (rows * part / parts)..<(rows * (part + 1) / parts)
            partials.withCells(of: part) { counters in
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = min(range.upperBound, start + PackedColumn.blockRows)
                    body(start..<end, buffers, counters)
                    start = end
                }
            }
        }
        if parts == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: run) }
        return partials.sum()
    }
}

/// Scratch space for decoding one block of rows: four columns of 32-bit values and a row mask.
final class RowBuffers: @unchecked Sendable {
    /// Decoded values, `PackedColumn.blockRows` each.
    let first, second, third, fourth: UnsafeMutablePointer<UInt32>
    /// 1 for each row of the block kept by the filter, else 0.
    let mask: UnsafeMutablePointer<UInt8>
    /// Scratch for the filter's own decoding.
    let filterScratch: UnsafeMutablePointer<UInt32>

    init() {
        let rows = PackedColumn.blockRows
        first = .allocate(capacity: rows)
        second = .allocate(capacity: rows)
        third = .allocate(capacity: rows)
        fourth = .allocate(capacity: rows)
        mask = .allocate(capacity: rows)
        filterScratch = .allocate(capacity: rows)
    }

    func release() {
        for buffer in [first, second, third, fourth, filterScratch] { buffer.deallocate() }
        mask.deallocate()
    }
}

/// Each part's counters, in memory of its own, each part writing only its own.
private final class PartialTallies: @unchecked Sendable {
    private let counters: [UnsafeMutableBufferPointer<Int>]

    init(parts: Int, cells: Int) {
        counters = (0..<parts).map { _ in
            let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: cells)
            buffer.initialize(repeating: 0)
            return buffer
        }
    }

    deinit { for buffer in counters { buffer.deallocate() } }

    func withCells(of part: Int, _ body: (UnsafeMutableBufferPointer<Int>) -> Void) { body(counters[part]) }

    func sum() -> [Int] {
        var total = Array(counters[0])
        for part in counters.dropFirst() { for index in total.indices { total[index] += part[index] } }
        return total
    }
}
