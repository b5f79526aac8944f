import Foundation

/// A file written beside its destination under a temporary name, readable by its owner only,
/// and renamed into place only when complete: readers never see half a file, and an existing
/// file is never replaced unless the caller says so.
public final class AtomicFile {
    /// Where the file will end up.
    public let destination: String
    private let temporary: String
    private let overwrite: Bool
    private var descriptor: Int32
    private var buffered: [UInt8] = []

    /// Opens a temporary file beside `destination`. Throws when `destination` exists and
    /// `overwrite` is false, or when the folder cannot be written.
    public init(destination: String, overwrite: Bool) throws {
        self.destination = destination
        self.overwrite = overwrite
        if !overwrite, FileManager.default.fileExists(atPath: destination) {
            throw OutputError.exists(destination)
        }
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        temporary = folder + "/." + url.lastPathComponent + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw OutputError.cannotWrite(destination, String(cString: strerror(errno))) }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporary)
        }
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffered.append(contentsOf: bytes)
        if buffered.count >= 1 << 20 { try flush() }
    }

    /// Appends the UTF-8 of `text`.
    public func write(_ text: String) throws {
        var copy = text
        try copy.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes everything out and renames the file into place.
    public func commit() throws {
        try flush()
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw OutputError.cannotWrite(destination, String(cString: strerror(errno)))
        }
        descriptor = -1
        // Without leave to overwrite, link(2) puts the file in place only if the name is still free.
        let placed = overwrite ? rename(temporary, destination) : link(temporary, destination)
        let failure = errno
        if !overwrite || placed != 0 { unlink(temporary) }
        guard placed == 0 else {
            if failure == EEXIST { throw OutputError.exists(destination) }
            throw OutputError.cannotWrite(destination, String(cString: strerror(failure)))
        }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffered.count {
            let n = buffered.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError.cannotWrite(destination, String(cString: strerror(errno)))
            }
            offset += n
        }
        buffered.removeAll(keepingCapacity: true)
    }
}

/// Writes rejected records, with the file's header line first, to a rejects file.
public final class RejectsFile: RejectSink {
    private let file: AtomicFile

    /// A rejects file at `path`; an existing file is replaced only when `overwrite` is true.
    public init(path: String, overwrite: Bool) throws { file = try AtomicFile(destination: path, overwrite: overwrite) }

    public func header(_ raw: UnsafeRawBufferPointer) throws { try writeLine(raw) }
    public func reject(_ raw: UnsafeRawBufferPointer) throws { try writeLine(raw) }

    /// Renames the finished file into place.
    public func commit() throws { try file.commit() }

    /// Writes a record as it stood, adding a line end only when it had none (the file's last line).
    private func writeLine(_ raw: UnsafeRawBufferPointer) throws {
        try file.write(raw)
        if raw.last != 0x0A { try file.write("\n") }
    }
}

/// Why an output file could not be written.
public enum OutputError: Error, Equatable, CustomStringConvertible {
    /// The file exists and replacing it was not asked for.
    case exists(String)
    /// The file could not be written.
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists; choose another name or pass --force to replace it"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        }
    }
}
