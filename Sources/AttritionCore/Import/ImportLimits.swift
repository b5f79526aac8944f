import Foundation

/// Bounds on what an import holds, so memory follows the cases kept rather than the bytes read,
/// and no file — however large, wide or malformed — can exhaust the machine (docs/data-format.md).
public struct ImportLimits: Equatable, Sendable {
    /// Distinct values an extra column may take before it is dropped with a warning (a free-text
    /// or identifier column is no dimension to break cases down by).
    public var maxDistinct: Int
    /// Bytes the cases may take in memory before the import stops with a message.
    public var maxMemory: Int
    /// Rejected rows, and warnings, listed one by one; every one is counted, and every rejected
    /// row still goes to the rejects file.
    public var listed: Int

    /// The limits: by default 100,000 distinct values, three quarters of the machine's memory,
    /// and 100,000 rows listed.
    public init(maxDistinct: Int = 100_000, maxMemory: Int = ImportLimits.defaultMaxMemory, listed: Int = 100_000) {
        self.maxDistinct = maxDistinct
        self.maxMemory = maxMemory
        self.listed = listed
    }

    /// The largest archive entry inflated whole in memory: libdeflate's fast path, within an
    /// eighth of the memory allowed (a larger entry is streamed).
    public var wholeEntryBytes: Int64 { min(ZipEntrySource.wholeEntryLimit, Int64(maxMemory / 8)) }

    /// How many files may be read side by side, each `fileBytes` at most, holding at most half
    /// the memory allowed between them (a parsed file holds about half its size, an entry
    /// inflated whole its size again): at least one, at most `workers` × 2.
    func filesInFlight(largest fileBytes: Int64, workers: Int) -> Int {
        Int(max(1, min(Int64(workers * 2), Int64(maxMemory / 2) / Int64(heldWhileRead(fileBytes)))))
    }

    /// What reading one file of `fileBytes` may hold: its parsed rows, about half its size, and
    /// the entry inflated whole where it is.
    func heldWhileRead(_ fileBytes: Int64) -> Int { Int(max(fileBytes / 2 + min(fileBytes, wholeEntryBytes), 1)) }

    /// Columns a header may have.
    public static let maxColumns = 10_000
    /// Bytes one record may span (a line, or several joined by a quoted field).
    public static let maxRecordBytes = 16 << 20

    /// Three quarters of the machine's physical memory.
    public static var defaultMaxMemory: Int {
        Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.75)
    }
}
