/// The spellings met in one column (a category's values, an event log's types), each given a
/// dense id in the order first met, found again quickly row after row.
///
/// A column holds few spellings, met millions of times, and most are short. Those of up to
/// 24 bytes are remembered in a small direct-mapped cache, as three words and a length: finding
/// one there costs three word loads and compares, where the hash table behind it costs a hash of
/// every byte, a probe and a compare of the bytes. Longer spellings, and a spelling the cache has
/// lost to another, are found in the table as before.
struct SpellingTable: Sendable {
    private var table = InternTable()
    private var cache = [Entry](repeating: Entry(), count: SpellingTable.cacheSize)

    /// How many entries the cache has (a power of two).
    private static let cacheSize = 256

    /// A short spelling as words, and its id (a length of -1 marks an empty entry).
    private struct Entry: Sendable {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var length: Int32 = -1
        var id: Int32 = 0
    }

    /// Spellings held.
    var count: Int { table.count }

    /// Bytes held, for memory reports.
    var footprint: Int { table.footprint + cache.capacity * MemoryLayout<Entry>.stride }

    /// The id of `key`, if held.
    @inline(__always)
    mutating func find(_ key: UnsafeRawBufferPointer) -> Int? {
        guard let words = SpellingTable.words(key) else { return table.find(key) }
        let slot = SpellingTable.slot(words, key.count)
        let entry = cache[slot]
        if entry.length == Int32(key.count), entry.words == words { return Int(entry.id) }
        guard let id = table.find(key) else { return nil }
        cache[slot] = Entry(words: words, length: Int32(key.count), id: Int32(id))
        return id
    }

    /// Adds `key`, which must not be held yet, and returns its id.
    mutating func insert(_ key: UnsafeRawBufferPointer) -> Int {
        let id = table.insert(key).id
        if let words = SpellingTable.words(key) {
            cache[SpellingTable.slot(words, key.count)] = Entry(words: words, length: Int32(key.count), id: Int32(id))
        }
        return id
    }

    /// Up to 24 bytes as three words that, with the length, tell any two such keys apart: for
    /// eight bytes or more, the words at the start, the middle and the end (overlapping, and
    /// together covering every byte); for fewer, the bytes in the first word. Nil when longer.
    @inline(__always)
    static func words(_ key: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64)? {
        let n = key.count
        if n >= 8 {
            guard n <= 24 else { return nil }
            return (key.loadUnaligned(as: UInt64.self), key.loadUnaligned(fromByteOffset: (n - 8) / 2, as: UInt64.self),
                    key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            // Two four-byte words, overlapping when fewer than eight bytes.
            let low = UInt64(key.loadUnaligned(as: UInt32.self)), high = UInt64(key.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return (low | high << 32, 0, 0)
        }
        var word: UInt64 = 0
        for index in 0..<n { word |= UInt64(key[index]) << (8 * UInt64(index)) }
        return (word, 0, 0)
    }

    @inline(__always)
    private static func slot(_ words: (UInt64, UInt64, UInt64), _ length: Int) -> Int {
        let mixed = (words.0 ^ (words.1 &* 0x9E37_79B9_7F4A_7C15) ^ (words.2 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)) &* 0xFF51_AFD7_ED55_8CCD
        return Int(truncatingIfNeeded: mixed >> 56) & (cacheSize - 1)
    }
}
