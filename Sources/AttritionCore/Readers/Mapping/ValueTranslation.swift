/// A mapping's `[values.<column>]` for one column, ready for the import's inner loop: a field's
/// bytes, trimmed, looked up without building a `String` for a spelling seen before. Values the
/// mapping does not list pass through unchanged, and are remembered so the import summary can
/// list them.
final class ValueTranslation {
    /// Each spelling seen so far, and what it becomes: an index into `replacements`, or -1 when it passes through.
    private var seen = InternTable()
    private var replacementOfSeen: [Int32] = []
    /// Canonical values, each in memory of its own that never moves, so fields can point into it.
    private var replacements: [UnsafeMutableRawBufferPointer] = []
    private let table: [String: String]
    private let column: KnownColumn
    /// Spellings that passed through unchanged and are no canonical value, in the order first seen.
    private(set) var unmapped: [String] = []

    /// A translation of `column`'s values by `table`: folded value → canonical value.
    init(_ table: [String: String], column: KnownColumn) {
        self.table = table
        self.column = column
    }

    deinit { for replacement in replacements { replacement.deallocate() } }

    /// How values are matched: trimmed, lower case.
    static func fold(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }

    /// The canonical value for trimmed `bytes`, or `bytes` themselves when the mapping does not list them.
    func translated(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let index: Int32
        if let id = seen.find(bytes) {
            index = replacementOfSeen[id]
        } else {
            let text = DisplayText.decode(bytes).text
            if let canonical = table[ValueTranslation.fold(text)] {
                let utf8 = Array(canonical.utf8)
                let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(utf8.count, 1), alignment: 1)
                storage.copyBytes(from: utf8)
                replacements.append(UnsafeMutableRawBufferPointer(rebasing: storage[..<utf8.count]))
                index = Int32(replacements.count - 1)
            } else {
                index = -1
                if !bytes.isEmpty, !column.isCanonicalValue(text) { unmapped.append(DisplayText.sanitized(text)) }
            }
            _ = seen.insert(bytes)
            replacementOfSeen.append(index)
        }
        return index < 0 ? bytes : UnsafeRawBufferPointer(replacements[Int(index)])
    }
}
