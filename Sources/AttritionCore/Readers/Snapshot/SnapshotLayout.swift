import CDeflate
import Foundation

/// The snapshot file's layout (docs/snapshot-format.md): a 64-byte header, each column's bytes
/// (every column starting on a 64-byte boundary, so it is read in place once mapped), then a JSON
/// manifest saying where each column is, the table's groups and the import's account.
///
/// Header: `ATTRSNAP`, format version (UInt32), header size (UInt32, 64), file length (UInt64),
/// manifest offset and length (UInt64 each), CRC-32 of every byte after the header (UInt32), zeros.
/// Little-endian throughout.
enum SnapshotLayout {
    /// The first eight bytes of every snapshot file.
    static let magic = Array("ATTRSNAP".utf8)
    /// The format version this build writes and reads.
    static let version: UInt32 = 1
    /// Bytes before the first column.
    static let headerSize = 64
    /// Every column starts at a multiple of this.
    static let alignment = 64

    /// The header's fields.
    struct Header: Equatable {
        var version: UInt32
        var fileLength: UInt64
        var manifestOffset: UInt64
        var manifestLength: UInt64
        var checksum: UInt32

        /// The header as the file holds it.
        var bytes: [UInt8] {
            var out = magic
            func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
            put(version)
            put(UInt32(headerSize))
            put(fileLength)
            put(manifestOffset)
            put(manifestLength)
            put(checksum)
            return out + [UInt8](repeating: 0, count: headerSize - out.count)
        }

        /// The header at the start of `bytes`, or why there is none.
        init(_ bytes: UnsafeRawBufferPointer) throws(SnapshotProblem) {
            guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw .notASnapshot }
            guard bytes.count >= headerSize else { throw .truncated(held: bytes.count, written: nil) }
            func get<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T { T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self)) }
            version = get(8, UInt32.self)
            guard version <= SnapshotLayout.version, version >= 1 else { throw .newerVersion(version) }
            guard get(12, UInt32.self) == UInt32(headerSize) else { throw .damaged("its header has the wrong size") }
            fileLength = get(16, UInt64.self)
            manifestOffset = get(24, UInt64.self)
            manifestLength = get(32, UInt64.self)
            checksum = get(40, UInt32.self)
        }

        init(version: UInt32, fileLength: UInt64, manifestOffset: UInt64, manifestLength: UInt64, checksum: UInt32) {
            self.version = version
            self.fileLength = fileLength
            self.manifestOffset = manifestOffset
            self.manifestLength = manifestLength
            self.checksum = checksum
        }
    }

    /// The CRC-32 of `bytes` continuing from `crc` (libdeflate's, as zip and gzip use).
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return libdeflate_crc32(crc, base, bytes.count)
    }

    /// `offset` moved up to the next column boundary.
    static func aligned(_ offset: Int) -> Int { (offset + alignment - 1) / alignment * alignment }
}

/// Why bytes are not a snapshot that can be opened.
enum SnapshotProblem: Error, Equatable, CustomStringConvertible {
    case notASnapshot
    case truncated(held: Int, written: UInt64?)
    case newerVersion(UInt32)
    case damaged(String)

    var description: String {
        switch self {
        case .notASnapshot:
            return "it does not start with ATTRSNAP, so it is not a snapshot written by attrition save"
        case let .truncated(held, written):
            return "it is cut short: it holds \(held) bytes" + (written.map { " of the \($0) written" } ?? "") + "; save it again"
        case let .newerVersion(version):
            return "it is in snapshot format \(version), written by a newer attrition; this one reads format \(SnapshotLayout.version): "
                + "open it with that version, or save it again from the data"
        case let .damaged(reason):
            return "it is damaged (\(reason)); save it again from the data"
        }
    }
}

/// Where one column's bytes are in a snapshot file, and how to read them.
struct SnapshotColumn: Codable, Equatable {
    /// Byte offset from the start of the file.
    var offset: Int
    /// Number of values.
    var count: Int
    /// Bytes a value takes: 0 (all `constant`), 1, 2 or 4.
    var width: Int
    /// Every value, when `width` is 0.
    var constant: UInt32
}

/// The manifest: what the columns are and where, the table's groups, and the import's account.
struct SnapshotManifest: Codable {
    /// A dimension: its name, groups and codes.
    struct Dimension: Codable {
        var name: String
        var labels: [String]
        var codes: SnapshotColumn
    }

    /// The case references: bytes back to back, and where each ends when their lengths differ.
    struct References: Codable {
        var bytes: SnapshotColumn
        var fixedLength: Int?
        var offsets: SnapshotColumn
    }

    /// A file the table was built from, as it was when saved.
    struct Source: Codable {
        var path: String
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
        var inode: UInt64
    }

    var rows: Int
    var weights: SnapshotColumn
    var reported: SnapshotColumn
    var laterStages: [SnapshotColumn]
    var furthestStages: SnapshotColumn
    var outcomes: SnapshotColumn
    var outcomeDays: SnapshotColumn
    var lineOffsets: SnapshotColumn
    var sourceFileOfRow: SnapshotColumn
    var dimensions: [Dimension]
    var references: References
    var availableStages: [Stage]
    var monthPrecision: Bool
    var cube: Bool
    var unrecordedReason: String
    var sourceFiles: [String]
    var report: ImportReport
    var sources: [Source]
    var saved: String
}
