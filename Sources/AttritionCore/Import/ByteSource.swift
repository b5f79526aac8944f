import Foundation

/// Somewhere bytes are read from in chunks: a file, or memory in tests.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 only at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Total size in bytes when known, for progress reports.
    var totalBytes: Int64? { get }
}

/// Reads a file through its descriptor, without mapping or loading it whole.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    /// The file's size when opened.
    public let totalBytes: Int64?

    /// Opens `path` for reading; throws `ImportError.unreadable` when it cannot.
    public init(path: String) throws {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw ImportError.unreadable(file: path, reason: "it is a directory, not a CSV file")
        }
        totalBytes = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
    }

    deinit { close(descriptor) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw ImportError.readFailed(reason: String(cString: strerror(errno))) }
        }
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
