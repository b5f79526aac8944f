/// Every row's case reference, read-only once a table is built: the bytes one after another in
/// one block, with no per-case object, and no offsets at all when every reference has the same
/// length (as a records system's references usually do).
struct CaseReferences: Sendable {
    /// The references' bytes, back to back.
    let bytes: ColumnBlock
    /// Bytes used in `bytes`.
    let byteCount: Int
    /// The length of every reference, when they all have one length; else nil and `offsets` says.
    let fixedLength: Int?
    /// Where each reference starts, and after the last where it ends (`count + 1` values), when lengths differ.
    let offsets: PackedColumn
    /// Number of references.
    let count: Int

    /// The references an intern table holds, in id order (the table is emptied as they are taken).
    init(taking table: inout InternTable) {
        let (arena, references, ends) = table.takeKeys()
        count = references
        byteCount = arena.count
        let block = ColumnBlock(capacity: arena.count)
        if !arena.isEmpty { arena.withUnsafeBytes { block.base!.copyMemory(from: $0.baseAddress!, byteCount: arena.count) } }
        bytes = block
        fixedLength = ends == nil ? (references > 0 ? arena.count / references : 0) : nil
        offsets = ends.map { PackedColumn($0) } ?? PackedColumn()
    }

    /// References laid out already (a snapshot's).
    init(bytes: ColumnBlock, byteCount: Int, fixedLength: Int?, offsets: PackedColumn, count: Int) {
        self.bytes = bytes
        self.byteCount = byteCount
        self.fixedLength = fixedLength
        self.offsets = offsets
        self.count = count
    }

    /// The bytes of reference `id`.
    func key(_ id: Int) -> [UInt8] {
        let start: Int, end: Int
        if let fixedLength {
            start = id * fixedLength
            end = start + fixedLength
        } else {
            start = Int(offsets[id])
            end = Int(offsets[id + 1])
        }
        return withExtendedLifetime(bytes) { Array(UnsafeRawBufferPointer(start: bytes.base.map { $0 + start }, count: end - start)) }
    }

    /// Bytes held in memory.
    var footprint: Int { bytes.footprint + offsets.footprint }
}
