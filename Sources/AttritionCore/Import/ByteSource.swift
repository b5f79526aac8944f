import Foundation

/// Somewhere bytes are read from in chunks: a file, or memory in tests.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 only at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Total size in bytes when known, for progress reports.
    var totalBytes: Int64? { get }
    /// The SHA-256 of the file's own bytes read so far, when they differ from the bytes handed on
    /// (a file read in another encoding); nil otherwise.
    var originalSHA256: String? { get }
    /// How the file behind the source changed since it was opened (grown, shrunk, rewritten,
    /// replaced), or nil when it has not or there is no file.
    func changedSinceOpened() -> String?
}

extension ByteSource {
    public var originalSHA256: String? { nil }
    public func changedSinceOpened() -> String? { nil }

    /// Throws `ImportError.changedWhileRead`, naming `file`, when the file behind the source
    /// changed since it was opened: figures from it would match no version of it.
    public func requireUnchanged(_ file: String) throws {
        if let change = changedSinceOpened() { throw ImportError.changedWhileRead(file: file, change: change) }
    }
}

/// What identifies a file's contents when it was opened — device, inode, size, modification
/// time — so a file that grows, shrinks, is rewritten or replaced while read is found out.
struct FileIdentity: Sendable {
    private let opened: stat

    /// The identity of the file open on `descriptor`.
    init(descriptor: Int32) {
        var info = stat()
        fstat(descriptor, &info)
        opened = info
    }

    /// Whether it was a regular file (only those are checked: a pipe has no size to compare).
    var isRegularFile: Bool { (opened.st_mode & S_IFMT) == S_IFREG }
    /// Its size when opened.
    var size: Int64 { Int64(opened.st_size) }
    /// Whether it was a directory.
    var isDirectory: Bool { (opened.st_mode & S_IFMT) == S_IFDIR }

    /// How the file now at `path` differs from the one opened, or nil when it is as it was.
    func change(at path: String) -> String? {
        guard isRegularFile else { return nil }
        var now = stat()
        guard stat(path, &now) == 0 else { return "it was removed while it was read" }
        if now.st_ino != opened.st_ino || now.st_dev != opened.st_dev { return "it was replaced by another file while it was read" }
        if now.st_size != opened.st_size { return "it \(now.st_size > opened.st_size ? "grew" : "shrank") from \(opened.st_size) to \(now.st_size) bytes while it was read" }
        if now.st_mtim.tv_sec != opened.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened.st_mtim.tv_nsec {
            return "it was rewritten while it was read"
        }
        return nil
    }
}

/// Reads a file through its descriptor, without mapping or loading it whole.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let path: String
    private let opened: FileIdentity
    /// The file's size when opened.
    public let totalBytes: Int64?

    /// Opens `path` for reading; throws `ImportError.unreadable` when it cannot.
    public init(path: String) throws {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        let identity = FileIdentity(descriptor: descriptor)
        if identity.isDirectory {
            close(descriptor)
            throw ImportError.unreadable(file: path, reason: "it is a directory, not a CSV file")
        }
        totalBytes = identity.isRegularFile ? identity.size : nil
        self.path = path
        opened = identity
    }

    deinit { close(descriptor) }

    /// How the file at the path differs from the one opened — grown, shrunk, rewritten or
    /// replaced while it was read — or nil when it is as it was (or is not a regular file).
    public func changedSinceOpened() -> String? { opened.change(at: path) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw ImportError.readFailed(reason: String(cString: strerror(errno))) }
        }
    }
}

/// Reads up to `count` bytes at `offset` of `descriptor` into `pointer`, retrying when a signal
/// interrupts; 0 at the end of the file. Throws `ImportError.readFailed` naming `file`.
func readAt(_ descriptor: Int32, _ pointer: UnsafeMutableRawPointer, count: Int, offset: Int64, file: String) throws -> Int {
    while true {
        let n = pread(descriptor, pointer, count, off_t(offset))
        if n >= 0 { return n }
        if errno != EINTR { throw ImportError.readFailed(reason: "\(file): \(String(cString: strerror(errno)))") }
    }
}

/// One byte range of a file, read through its own descriptor (so ranges can be read on several threads).
final class FileRangeByteSource: ByteSource {
    private let descriptor: Int32
    private let path: String
    private var position: Int64
    private let end: Int64

    /// Reads bytes `range` of the file at `path`.
    init(path: String, range: Range<Int64>) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        position = range.lowerBound
        end = range.upperBound
    }

    deinit { close(descriptor) }

    var totalBytes: Int64? { end - position }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), end - position))
        guard wanted > 0 else { return 0 }
        let n = try readAt(descriptor, buffer.baseAddress!, count: wanted, offset: position, file: path)
        position += Int64(n)
        return n
    }
}

/// A file cut into byte ranges that each hold whole records, for reading on several threads:
/// every cut is at a line end outside quotes (an even number of quotes before it: RFC 4180's
/// doubled quotes never change the count's parity), with the line each range starts on.
struct RecordRanges {
    /// Byte ranges, in file order, covering the file from `start` to its end.
    let ranges: [Range<Int64>]
    /// The file line each range starts on.
    let firstLines: [Int]

    /// Cuts the file at `path` from byte `start` (which begins on line `startLine`) into pieces of about `pieceBytes`.
    init(path: String, start: Int64, startLine: Int, pieceBytes: Int64 = 8 << 20) throws {
        let source = try FileRangeByteSource(path: path, range: start..<Int64.max)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var ranges: [Range<Int64>] = [], firstLines = [startLine]
        var offset = start, pieceStart = start, quotes = 0, lines = startLine
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            for index in 0..<n {
                let byte = buffer[index]
                if byte == 0x22 {
                    quotes += 1
                } else if byte == 0x0A {
                    lines += 1
                    let next = offset + Int64(index) + 1
                    if quotes & 1 == 0, next - pieceStart >= pieceBytes {
                        ranges.append(pieceStart..<next)
                        firstLines.append(lines)
                        pieceStart = next
                    }
                }
            }
            offset += Int64(n)
        }
        if offset > pieceStart || ranges.isEmpty { ranges.append(pieceStart..<max(offset, pieceStart)) } else { firstLines.removeLast() }
        self.ranges = ranges
        self.firstLines = firstLines
    }
}

/// Bytes already in memory, handed out in chunks of at most `chunkSize` (small chunks exercise
/// records that straddle reads).
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkSize: Int

    /// A source over `bytes`.
    public init(_ bytes: [UInt8], chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    /// A source over the UTF-8 of `text`.
    public init(_ text: String, chunkSize: Int = 1 << 20) { self.init(Array(text.utf8), chunkSize: chunkSize) }

    public var totalBytes: Int64? { Int64(bytes.count) }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, chunkSize, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}
