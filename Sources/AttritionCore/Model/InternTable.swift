import CMemoryHints
import Foundation

/// A hash set of byte strings, each given a dense id (0, 1, 2, ...) in the order first inserted.
///
/// Keys live in one contiguous arena rather than as separate `String`s, so a million case
/// references cost their bytes plus a few words each, and look-ups never allocate.
struct InternTable: Sendable {
    private var arena: [UInt8] = []
    /// Where each key ends, after a leading 0 — kept only once keys of different lengths are held;
    /// while every key has `uniformLength` bytes, key `i` is simply at `i × uniformLength`.
    private var offsets: [UInt32] = []
    /// The length of every key so far, while they all have one length (nil once they differ).
    private var uniformLength: Int?
    /// Number of keys held.
    private(set) var count = 0
    /// Keys to reserve room for once offsets are needed.
    private var reservedKeys = 0
    /// Open-addressed slots: 0 is empty, else id + 1.
    private var slots: [UInt32]
    /// Each slot's key's hash's top byte, so that most probes that miss never touch the arena
    /// (five bytes a slot where a 64-bit slot with a 32-bit tag took eight).
    private var tags: [UInt8]
    private var mask: Int

    /// An empty table; `reserve(keys:)` makes room for many keys at once.
    init() {
        slots = Array(repeating: 0, count: 16)
        tags = Array(repeating: 0, count: 16)
        mask = 15
    }

    /// The bytes of the key with this id.
    func key(_ id: Int) -> ArraySlice<UInt8> { arena[bounds(id)] }

    /// Where key `id` lies in the arena.
    @inline(__always)
    private func bounds(_ id: Int) -> Range<Int> {
        if let uniformLength { return (id &* uniformLength)..<(id &* uniformLength &+ uniformLength) }
        return Int(offsets[id])..<Int(offsets[id + 1])
    }

    /// The id of `key`, if held.
    func find(_ key: UnsafeRawBufferPointer) -> Int? { find(key, hash: InternTable.hash(key)) }

    /// The id of `key`, whose `InternTable.hash` is `hash`, if held.
    func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        var index = Int(truncatingIfNeeded: hash) & mask
        let tag = UInt8(truncatingIfNeeded: hash >> 56)
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if tags[index] == tag, matches(Int(slot) - 1, key) { return Int(slot) - 1 }
            index = (index + 1) & mask
        }
    }

    /// Inserts `key` if new. Returns its id and whether it was new.
    mutating func insert(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) { insert(key, hash: InternTable.hash(key)) }

    /// Inserts `key`, whose `InternTable.hash` is `hash`, if new. Returns its id and whether it was new.
    mutating func insert(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (id: Int, inserted: Bool) {
        var index = Int(truncatingIfNeeded: hash) & mask
        let tag = UInt8(truncatingIfNeeded: hash >> 56)
        while true {
            let slot = slots[index]
            if slot == 0 { break }
            let id = Int(slot) - 1
            if tags[index] == tag, matches(id, key) { return (id, false) }
            index = (index + 1) & mask
        }
        let id = count
        arena.append(contentsOf: key)
        if count == 0 { uniformLength = key.count }
        if let length = uniformLength, length != key.count {
            // The first key of another length: from now on each key's end is kept.
            var ends: [UInt32] = []
            ends.reserveCapacity(max(reservedKeys, count) + 2)
            for held in 0...count { ends.append(UInt32(held * length)) }
            offsets = ends
            uniformLength = nil
        }
        if uniformLength == nil { offsets.append(UInt32(arena.count)) }
        count += 1
        slots[index] = UInt32(id + 1)
        tags[index] = tag
        if count * 4 > slots.count * 3 { grow() }
        return (id, true)
    }

    /// Every key's bytes back to back, how many keys, and — unless every key has the same length —
    /// where each ends (after a leading 0); the table is left empty.
    mutating func takeKeys() -> (arena: [UInt8], count: Int, ends: [UInt32]?) {
        let taken = (arena, count, uniformLength == nil && count > 0 ? offsets : nil)
        self = InternTable()
        return taken
    }

    /// Starts fetching the slot and tag a key with this hash is looked for first, without waiting:
    /// asked for a few dozen keys ahead, the fetches overlap, and inserting each key finds its
    /// slot at hand instead of waiting on memory in turn.
    @inline(__always)
    func prefetch(_ hash: UInt64) {
        let index = Int(truncatingIfNeeded: hash) & mask
        slots.withUnsafeBufferPointer { cmh_prefetch_for_write($0.baseAddress! + index) }
        tags.withUnsafeBufferPointer { cmh_prefetch_for_write($0.baseAddress! + index) }
    }

    /// Starts fetching the key held in the slot a key with this hash is looked for first, if
    /// any: asked for after `prefetch(_:)` of the same hash has had time to bring the slot.
    @inline(__always)
    func prefetchKey(hash: UInt64) {
        let slot = slots[Int(truncatingIfNeeded: hash) & mask]
        guard slot != 0 else { return }
        let start = bounds(Int(slot) - 1).lowerBound
        arena.withUnsafeBufferPointer { cmh_prefetch_for_read($0.baseAddress! + start) }
    }

    /// Bytes held, for memory reports.
    var footprint: Int { arena.capacity + offsets.capacity * 4 + slots.capacity * 4 + tags.capacity }

    /// Whether the key with this id is `key`. Keys of up to sixteen bytes, as most references
    /// and labels are, are compared as two words read in place rather than through `memcmp`.
    @inline(__always)
    func matches(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let range = bounds(id), start = range.lowerBound, n = key.count
        guard range.count == n else { return false }
        return arena.withUnsafeBytes { stored in
            let held = UnsafeRawBufferPointer(rebasing: stored[start..<(start + n)])
            if n >= 8, n <= 16 {
                return held.loadUnaligned(as: UInt64.self) == key.loadUnaligned(as: UInt64.self)
                    && held.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            }
            return n == 0 || memcmp(held.baseAddress!, key.baseAddress!, n) == 0
        }
    }

    /// Makes room for about `keys` keys, so inserting them needs no rehashing.
    mutating func reserve(keys: Int) {
        reservedKeys = max(reservedKeys, keys)
        if uniformLength == nil, count > 0 { offsets.reserveCapacity(keys + 1) }
        var size = slots.count
        while size * 3 < keys * 4 { size <<= 1 }
        if size > slots.count { rehash(to: size) }
    }

    private mutating func grow() { rehash(to: slots.count * 2) }

    private mutating func rehash(to newSize: Int) {
        var newSlots = [UInt32](repeating: 0, count: newSize), newTags = [UInt8](repeating: 0, count: newSize)
        let newMask = newSize - 1
        arena.withUnsafeBytes { stored in
            for id in 0..<count {
                let hash = InternTable.hash(UnsafeRawBufferPointer(rebasing: stored[bounds(id)]))
                var index = Int(truncatingIfNeeded: hash) & newMask
                while newSlots[index] != 0 { index = (index + 1) & newMask }
                newSlots[index] = UInt32(id + 1)
                newTags[index] = UInt8(truncatingIfNeeded: hash >> 56)
            }
        }
        slots = newSlots
        tags = newTags
        mask = newMask
    }

    /// A fast 64-bit hash of bytes, eight at a time, with a final avalanche.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        if i < n, n >= 8 {
            // The last eight bytes, overlapping words already taken: the length is in the seed.
            tail = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 32)
    }
}
