import CDeflate
import CZlib
import Foundation

/// One file inside a ZIP archive, as the archive's central directory describes it.
public struct ZipEntry: Sendable {
    /// The path inside the archive (`2024-06/2024-06-kent-street.csv`).
    public let name: String
    /// 0 stored, 8 deflated; others are refused when read.
    let method: UInt16
    /// General-purpose flags (bit 0: encrypted).
    let flags: UInt16
    /// CRC-32 of the uncompressed bytes.
    let crc: UInt32
    /// Bytes the entry takes in the archive.
    public let compressedSize: Int64
    /// Bytes the entry holds once inflated, as the directory declares.
    public let uncompressedSize: Int64
    /// Where the entry's local header starts.
    let localHeaderOffset: Int64

    /// True for a folder entry.
    public var isDirectory: Bool { name.hasSuffix("/") }
}

/// Reads a ZIP archive in place: the central directory at once, each entry streamed and
/// inflated on demand, never unpacked to disk (APPNOTE 6.3, with ZIP64 for archives over 4 GiB).
public final class ZipReader: @unchecked Sendable {
    /// The archive's path, for messages.
    public let path: String
    /// Every entry, in directory order.
    public let entries: [ZipEntry]
    private let descriptor: Int32
    /// What the archive was when opened (its size among it), so a change while it is read is found out.
    private let identity: FileIdentity
    private var size: Int64 { identity.size }

    /// The most entries, and the largest directory, an archive may have: more is not a police.uk download.
    static let maxEntries = 1_000_000
    static let maxDirectoryBytes: Int64 = 256 << 20
    /// The most the entries may declare in all, uncompressed: far beyond any police.uk download
    /// (a year of national data is a few GiB), so only a decompression bomb reaches it.
    public static let maxTotalUncompressed: Int64 = 512 << 30
    /// The highest compression ratio an entry may have. Deflate cannot pass about 1,032:1, and
    /// real text stays far below 100:1; past this only a bomb's runs of one byte go.
    public static let maxRatio: Int64 = 1000

    /// Whether the file at `path` starts like a ZIP archive (a local header or an empty archive's end record).
    public static func looksLikeZip(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        return start == [0x50, 0x4B, 0x03, 0x04] || start == [0x50, 0x4B, 0x05, 0x06]
    }

    /// Opens the archive and reads its central directory; throws `ImportError` when it is not a
    /// readable ZIP archive.
    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        identity = FileIdentity(descriptor: descriptor)
        do {
            entries = try ZipReader.readDirectory(descriptor: descriptor, size: identity.size, path: path)
            let declared = entries.reduce(Int64(0)) { $0 &+ $1.uncompressedSize }
            guard declared >= 0, declared <= ZipReader.maxTotalUncompressed else {
                throw ZipReader.corrupt(path, "its entries would unpack to \(declared < 0 ? "more than 8 EiB" : "\(declared >> 30) GiB"), "
                    + "more than the \(ZipReader.maxTotalUncompressed >> 30) GiB allowed: refused as a possible decompression bomb")
            }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// A byte source that inflates `entry` as it is read: whole at once when it unpacks to at
    /// most `wholeEntryLimit` bytes, else streamed in pieces.
    public func source(for entry: ZipEntry, wholeEntryLimit: Int64 = ZipEntrySource.wholeEntryLimit) throws -> ZipEntrySource {
        try ZipEntrySource(descriptor: descriptor, archive: path, archiveSize: size, entry: entry, identity: identity,
                           wholeEntryLimit: wholeEntryLimit)
    }

    private static func corrupt(_ path: String, _ reason: String) -> ImportError {
        .corruptArchive(file: path, reason: reason)
    }

    private static func readDirectory(descriptor: Int32, size: Int64, path: String) throws -> [ZipEntry] {
        let tailLength = Int(min(size, 65_535 + 22 + 20))
        let tail = try readExactly(descriptor, at: size - Int64(tailLength), count: tailLength, path: path)
        // The length first: a file shorter than an end record has none to look for (found by fuzzing).
        guard tail.count >= 22, let end = (0...(tail.count - 22)).reversed().first(where: { tail.le32($0) == 0x0605_4B50 }) else {
            throw corrupt(path, "no end-of-archive record: the file is cut short or is not a ZIP archive")
        }
        var count = Int64(tail.le16(end + 10))
        var directorySize = Int64(tail.le32(end + 12))
        var directoryOffset = Int64(tail.le32(end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator just before the end record points at the ZIP64 end record.
            guard end >= 20, tail.le32(end - 20) == 0x0706_4B50 else { throw corrupt(path, "a ZIP64 archive without its locator") }
            let recordOffset = Int64(tail.le64(end - 20 + 8))
            guard recordOffset >= 0, recordOffset + 56 <= size else { throw corrupt(path, "the ZIP64 end record lies outside the file") }
            let record = try readExactly(descriptor, at: recordOffset, count: 56, path: path)
            guard record.le32(0) == 0x0606_4B50 else { throw corrupt(path, "the ZIP64 end record is missing") }
            count = Int64(record.le64(32))
            directorySize = Int64(record.le64(40))
            directoryOffset = Int64(record.le64(48))
        }
        guard count <= maxEntries else { throw corrupt(path, "it claims \(count) entries, more than the \(maxEntries) allowed") }
        guard directorySize <= maxDirectoryBytes, directoryOffset >= 0, directoryOffset + directorySize <= size else {
            throw corrupt(path, "the central directory lies outside the file")
        }
        let directory = try readExactly(descriptor, at: directoryOffset, count: Int(directorySize), path: path)
        var entries: [ZipEntry] = []
        var spans: [(start: Int64, end: Int64, name: String)] = []
        var at = 0
        for index in 0..<Int(count) {
            guard at + 46 <= directory.count, directory.le32(at) == 0x0201_4B50 else {
                throw corrupt(path, "directory entry \(index + 1) of \(count) is damaged")
            }
            let nameLength = Int(directory.le16(at + 28)), extraLength = Int(directory.le16(at + 30))
            let commentLength = Int(directory.le16(at + 32))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw corrupt(path, "directory entry \(index + 1) runs past the directory") }
            let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            var compressed = Int64(directory.le32(at + 20)), uncompressed = Int64(directory.le32(at + 24))
            var offset = Int64(directory.le32(at + 42))
            // The ZIP64 extra field holds, in this order, whichever of the three overflowed.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = directory.le16(extra), length = Int(directory.le16(extra + 2))
                if tag == 0x0001 {
                    var field = extra + 4
                    func widen(_ value: inout Int64) {
                        guard value == 0xFFFF_FFFF, field + 8 <= extra + 4 + length else { return }
                        value = Int64(directory.le64(field))
                        field += 8
                    }
                    widen(&uncompressed)
                    widen(&compressed)
                    widen(&offset)
                }
                extra += 4 + length
            }
            guard compressed >= 0, uncompressed >= 0, offset >= 0, offset + compressed <= size else {
                throw corrupt(path, "entry \(DisplayText.quoted(name)) lies outside the file")
            }
            spans.append((offset, offset + 30 + Int64(nameLength) + compressed, name))
            entries.append(ZipEntry(name: name, method: directory.le16(at + 10), flags: directory.le16(at + 8),
                                    crc: directory.le32(at + 16), compressedSize: compressed,
                                    uncompressedSize: uncompressed, localHeaderOffset: offset))
            at = next
        }
        // Each entry's header and data lie apart from every other's, before the directory: entries
        // sharing one stream (an archive of a few KB that would inflate to gigabytes) are refused.
        let ordered = spans.sorted { $0.start < $1.start }
        for (this, following) in zip(ordered, ordered.dropFirst()) where this.end > following.start {
            throw corrupt(path, "entries \(DisplayText.quoted(this.name)) and \(DisplayText.quoted(following.name)) share their bytes: "
                + "refused as a possible decompression bomb")
        }
        if let last = ordered.last, last.end > directoryOffset { throw corrupt(path, "entry \(DisplayText.quoted(last.name)) runs into the directory") }
        return entries
    }

    /// Reads `count` bytes at `offset`, or throws when the file is shorter.
    static func readExactly(_ descriptor: Int32, at offset: Int64, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = try bytes.withUnsafeMutableBytes {
                try readAt(descriptor, $0.baseAddress! + done, count: count - done, offset: offset + Int64(done), file: path)
            }
            if n == 0 { throw corrupt(path, "the file ends before the archive does") }
            done += n
        }
        return bytes
    }
}

/// Inflates one archive entry as it is read, checking its size and CRC-32 at the end. An entry of
/// up to `wholeEntryLimit` bytes is inflated at once by libdeflate (about twice zlib's speed,
/// docs/performance.md); a larger one is streamed through zlib, so memory stays bounded.
public final class ZipEntrySource: ByteSource {
    /// The largest entry inflated whole in memory, unless the memory limit says less.
    public static let wholeEntryLimit: Int64 = 256 << 20
    /// The whole entry once inflated, and how much of it has been handed out.
    private var whole: [UInt8]?
    private var wholeOffset = 0

    private let descriptor: Int32
    private let label: String
    private let entry: ZipEntry
    private var position: Int64
    private let end: Int64
    private var produced: Int64 = 0
    private var crc: UInt = 0
    private var input = [UInt8](repeating: 0, count: 1 << 18)
    private var stream: UnsafeMutablePointer<z_stream>?
    private var finished = false

    /// The archive's path, and what it was when opened.
    private let archive: String
    private let identity: FileIdentity

    /// The entry's declared size.
    public var totalBytes: Int64? { entry.uncompressedSize }

    /// How the archive changed since it was opened, or nil.
    public func changedSinceOpened() -> String? { identity.change(at: archive) }

    init(descriptor: Int32, archive: String, archiveSize: Int64, entry: ZipEntry, identity: FileIdentity, wholeEntryLimit: Int64) throws {
        self.descriptor = descriptor
        self.archive = archive
        self.identity = identity
        self.entry = entry
        label = "\(archive): \(entry.name)"
        if entry.flags & 1 != 0 { throw ImportError.corruptArchive(file: label, reason: "the entry is encrypted") }
        if entry.uncompressedSize > 1 << 20, entry.uncompressedSize / max(entry.compressedSize, 1) > ZipReader.maxRatio {
            throw ImportError.corruptArchive(file: label, reason: "it would unpack \(entry.uncompressedSize / max(entry.compressedSize, 1)):1, more than "
                + "the \(ZipReader.maxRatio):1 any real file reaches: refused as a possible decompression bomb")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ImportError.corruptArchive(file: label, reason: "compression method \(entry.method) is not supported (only stored and deflated)")
        }
        let header = try ZipReader.readExactly(descriptor, at: entry.localHeaderOffset, count: 30, path: archive)
        guard header.le32(0) == 0x0403_4B50 else { throw ImportError.corruptArchive(file: label, reason: "its local header is missing") }
        position = entry.localHeaderOffset + 30 + Int64(header.le16(26)) + Int64(header.le16(28))
        end = position + entry.compressedSize
        guard end <= archiveSize else { throw ImportError.corruptArchive(file: label, reason: "its data runs past the end of the archive") }
        if entry.method == 8, entry.uncompressedSize <= wholeEntryLimit, entry.compressedSize <= wholeEntryLimit {
            whole = try ZipEntrySource.inflateWhole(descriptor: descriptor, archive: archive, at: position, entry: entry, label: label)
        } else if entry.method == 8 {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            guard cz_inflate_init_raw(stream) == Z_OK else {
                stream.deallocate()
                throw ImportError.corruptArchive(file: label, reason: "zlib could not start")
            }
            self.stream = stream
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished { return 0 }
        let n = try whole != nil ? readWhole(into: buffer) : stream == nil ? readStored(into: buffer) : inflate(into: buffer)
        guard n > 0 else {
            finished = true
            try checkEnd()
            return 0
        }
        produced += Int64(n)
        guard produced <= entry.uncompressedSize else {
            throw ImportError.corruptArchive(file: label, reason: "it inflates past the \(entry.uncompressedSize) bytes the directory declares")
        }
        crc = CZlib.crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), uInt(n))
        return n
    }

    /// The entry inflated in one call; its size must be exactly the declared size.
    private static func inflateWhole(descriptor: Int32, archive: String, at offset: Int64, entry: ZipEntry, label: String) throws -> [UInt8] {
        let compressed = try ZipReader.readExactly(descriptor, at: offset, count: Int(entry.compressedSize), path: archive)
        guard let decompressor = libdeflate_alloc_decompressor() else {
            throw ImportError.corruptArchive(file: label, reason: "no memory to inflate it")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var output = [UInt8](repeating: 0, count: Int(entry.uncompressedSize))
        var produced = 0
        let status = compressed.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                libdeflate_deflate_decompress(decompressor, input.baseAddress, input.count, out.baseAddress, out.count, &produced)
            }
        }
        switch status {
        case LIBDEFLATE_SUCCESS where produced == output.count:
            return output
        case LIBDEFLATE_SUCCESS:
            throw ImportError.corruptArchive(file: label, reason: "it holds \(produced) bytes, the directory declares \(entry.uncompressedSize)")
        case LIBDEFLATE_INSUFFICIENT_SPACE:
            throw ImportError.corruptArchive(file: label, reason: "it inflates past the \(entry.uncompressedSize) bytes the directory declares")
        default:
            throw ImportError.corruptArchive(file: label, reason: "its compressed data is damaged")
        }
    }

    private func readWhole(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let whole else { return 0 }
        let n = min(buffer.count, whole.count - wholeOffset)
        guard n > 0 else { return 0 }
        whole.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + wholeOffset, byteCount: n) }
        wholeOffset += n
        return n
    }

    private func readStored(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), end - position))
        guard wanted > 0 else { return 0 }
        let n = try readAt(descriptor, buffer.baseAddress!, count: wanted, offset: position, file: label)
        guard n > 0 else { throw ImportError.corruptArchive(file: label, reason: "the archive ends inside this entry") }
        position += Int64(n)
        return n
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let stream else { return 0 }
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(buffer.count)
        while stream.pointee.avail_out == uInt(buffer.count) {
            if stream.pointee.avail_in == 0, position < end {
                let wanted = Int(min(Int64(input.count), end - position))
                let n = try input.withUnsafeMutableBytes { try readAt(descriptor, $0.baseAddress!, count: wanted, offset: position, file: label) }
                guard n > 0 else { throw ImportError.corruptArchive(file: label, reason: "the archive ends inside this entry") }
                position += Int64(n)
                input.withUnsafeMutableBufferPointer { stream.pointee.next_in = $0.baseAddress }
                stream.pointee.avail_in = uInt(n)
            }
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END { break }
            if status == Z_BUF_ERROR, stream.pointee.avail_in == 0, position >= end {
                throw ImportError.corruptArchive(file: label, reason: "its compressed data stops short")
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw ImportError.corruptArchive(file: label, reason: "its compressed data is damaged (\(DisplayText.sanitized(detail)))")
            }
        }
        return buffer.count - Int(stream.pointee.avail_out)
    }

    private func checkEnd() throws {
        guard produced == entry.uncompressedSize else {
            throw ImportError.corruptArchive(file: label, reason: "it holds \(produced) bytes, the directory declares \(entry.uncompressedSize)")
        }
        guard UInt32(truncatingIfNeeded: crc) == entry.crc else {
            throw ImportError.corruptArchive(file: label, reason: "its CRC-32 does not match: the data is damaged")
        }
    }
}

extension [UInt8] {
    /// The little-endian 16-bit value at `offset`.
    func le16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    /// The little-endian 32-bit value at `offset`.
    func le32(_ offset: Int) -> UInt32 { UInt32(le16(offset)) | UInt32(le16(offset + 2)) << 16 }
    /// The little-endian 64-bit value at `offset`.
    func le64(_ offset: Int) -> UInt64 { UInt64(le32(offset)) | UInt64(le32(offset + 4)) << 32 }
}
