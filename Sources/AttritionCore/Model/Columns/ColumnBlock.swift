import Foundation

/// The bytes behind one column: memory the block owns (grown while a table is built), or a range
/// of a mapped snapshot file that the block keeps mapped for as long as a column uses it.
final class ColumnBlock: @unchecked Sendable {
    /// The first byte; nil while nothing is allocated.
    private(set) var base: UnsafeMutableRawPointer?
    /// Bytes available from `base`.
    private(set) var capacity: Int
    /// What keeps mapped bytes mapped; nil when the block owns its memory.
    private let owner: AnyObject?
    /// Rows written by the column that last appended to the block: a column (or a copy of it)
    /// whose count is not this must copy the block before appending, so copies never share a tail.
    var rowsWritten = 0

    /// A block owning `capacity` bytes (uninitialised).
    init(capacity: Int = 0) {
        self.capacity = capacity
        base = capacity > 0 ? malloc(capacity) : nil
        owner = nil
        if capacity > 0, base == nil { ColumnBlock.outOfMemory(capacity) }
    }

    /// A block over `count` bytes at `bytes`, which stay valid while `owner` lives (a mapped file).
    init(mapped bytes: UnsafeRawPointer, count: Int, owner: AnyObject) {
        base = UnsafeMutableRawPointer(mutating: bytes)
        capacity = count
        self.owner = owner
    }

    deinit { if owner == nil { free(base) } }

    /// Whether the bytes belong to a mapped file (and so may not be changed).
    var isMapped: Bool { owner != nil }

    /// Bytes held in memory the block owns (mapped bytes are the page cache's, not the heap's).
    var footprint: Int { isMapped ? 0 : capacity }

    /// Makes the block hold `bytes` bytes, keeping as many of its bytes as fit (an owned block only).
    func resize(to bytes: Int) {
        precondition(owner == nil, "a mapped column is read-only")
        guard bytes != capacity else { return }
        if bytes == 0 {
            free(base)
            base = nil
        } else {
            guard let grown = realloc(base, bytes) else { ColumnBlock.outOfMemory(bytes) }
            base = grown
        }
        capacity = bytes
    }

    /// An owned copy of the first `count` bytes, with room for `capacity` bytes.
    func copy(count: Int, capacity: Int) -> ColumnBlock {
        let block = ColumnBlock(capacity: max(capacity, count))
        if count > 0 { block.base!.copyMemory(from: base!, byteCount: count) }
        return block
    }

    private static func outOfMemory(_ bytes: Int) -> Never {
        fatalError("attrition: out of memory allocating \(bytes) bytes for a column")
    }
}
