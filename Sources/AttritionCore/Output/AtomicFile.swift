import CSignals
import Foundation

/// A file written beside its destination under a temporary name, readable by its owner only
/// from the moment it is created, and renamed into place only when complete: readers never see
/// half a file, an existing file is never replaced unless the caller says so, a file being read
/// is never written over, and the temporary file is removed on error, on every signal that ends
/// the process, and — if the process was killed outright — by the next writer in that folder.
public final class AtomicFile {
    /// Where the file will end up.
    public let destination: String
    private let temporary: String
    private let overwrite: Bool
    private var descriptor: Int32
    private var buffered: [UInt8] = []

    /// Opens a temporary file beside `destination`. Throws when `destination` exists and
    /// `overwrite` is false, when it is one of `inputs` (whatever `overwrite` says), or when the
    /// folder cannot be written.
    public init(destination: String, overwrite: Bool, inputs: [String] = []) throws {
        self.destination = destination
        self.overwrite = overwrite
        try AtomicFile.refuseInput(destination, inputs: inputs)
        if !overwrite, FileManager.default.fileExists(atPath: destination) {
            throw OutputError.exists(destination)
        }
        try AtomicFile.refuseSpecialFile(destination)
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        AtomicFile.removeStaleTemporaries(in: folder)
        temporary = folder + "/." + url.lastPathComponent + ".\(AtomicFile.marker)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        cs_register_temporary(temporary)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            cs_unregister_temporary(temporary)
            throw OutputError.cannotWrite(destination, reason)
        }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporary)
        }
        cs_unregister_temporary(temporary)
    }

    /// The word in every temporary file's name that marks it as this program's.
    static let marker = "attrition"

    /// Removes temporary files of this program's naming in `folder` whose writing process no
    /// longer runs (killed outright, so no handler could remove them).
    static func removeStaleTemporaries(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.dropLast(4).split(separator: ".").last?.split(separator: "-") ?? []
            guard parts.count == 3, parts[0] == marker, let pid = Int32(parts[1]), pid > 0, UInt32(parts[2]) != nil else { continue }
            var info = stat()
            let path = folder + "/" + name
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == getuid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(path) }
        }
    }

    /// Throws when `destination` names the same file as one of `inputs` (by device and inode,
    /// so another path, a hard link or a symbolic link to an input is refused too), or an
    /// existing file inside an input folder (police.uk data read from a folder).
    public static func refuseInput(_ destination: String, inputs: [String]) throws {
        var target = stat()
        guard stat(destination, &target) == 0 else { return }
        for input in inputs {
            var source = stat()
            guard stat(input, &source) == 0 else { continue }
            if source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                throw OutputError.isInput(destination, input)
            }
            guard (source.st_mode & S_IFMT) == S_IFDIR else { continue }
            var folder = URL(fileURLWithPath: destination).resolvingSymlinksInPath().deletingLastPathComponent()
            while folder.path != "/" {
                var info = stat()
                if stat(folder.path, &info) == 0, info.st_dev == source.st_dev, info.st_ino == source.st_ino {
                    throw OutputError.isInput(destination, input)
                }
                folder = folder.deletingLastPathComponent()
            }
        }
    }

    /// Throws when `destination` exists and is not a regular file (a device, a FIFO, a socket or a
    /// folder, or a link to one): --force replaces files, never /dev/null or a pipe.
    static func refuseSpecialFile(_ destination: String) throws {
        var info = stat()
        guard lstat(destination, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFLNK, stat(destination, &info) != 0 { return }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw OutputError.notARegularFile(destination) }
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
        try finish()
        try place()
    }

    /// Writes everything out to the temporary file and closes it (a full disk shows here), ready
    /// for `place`: files published together are all finished before any is placed.
    public func finish() throws {
        guard descriptor >= 0 else { return }
        try flush()
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw OutputError.cannotWrite(destination, String(cString: strerror(errno)))
        }
        descriptor = -1
    }

    /// Renames the finished file into place.
    public func place() throws {
        // Without leave to overwrite, link(2) puts the file in place only if the name is still free.
        let placed = overwrite ? rename(temporary, destination) : link(temporary, destination)
        let failure = errno
        if !overwrite || placed != 0 { unlink(temporary) }
        cs_unregister_temporary(temporary)
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

    /// A rejects file at `path`; an existing file is replaced only when `overwrite` is true, and
    /// one of `inputs` never.
    public init(path: String, overwrite: Bool, inputs: [String] = []) throws {
        file = try AtomicFile(destination: path, overwrite: overwrite, inputs: inputs)
    }

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
    /// The name given is a device, FIFO, socket or folder, which --force never replaces.
    case notARegularFile(String)
    /// The table has too many small counts among too many counts for the disclosure audit.
    case tooLargeToAudit(String)
    /// The file to write is one the command reads: never written over, whatever is asked.
    case isInput(String, String)
    /// A binary format asked for on standard output (`--out -`).
    case binaryToTerminal(String)
    /// The disclosure audit found a withheld small count it could narrow too far: nothing is written.
    case disclosure(String)
    /// An SVG chart asked of a table alone: charts are drawn from their analysis (`SVGChart`).
    case chartNeedsAnalysis

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists; choose another name or pass --force to replace it"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case .tooLargeToAudit(let reason): "not written: \(reason)"
        case .notARegularFile(let path): "will not write \(path): it is not a regular file (a device, a FIFO, a socket or a folder); give the name of a file"
        case let .isInput(path, input):
            "will not write \(path): it is \(path == input ? "the file being read" : "the same file as \(input), or in that folder, which is being read"); "
                + "choose another name (--force never replaces an input)"
        case .binaryToTerminal(let format):
            "--out - writes to standard output, which takes text formats only (csv, md, json); \(format) is binary: give a file name"
        case .chartNeedsAnalysis:
            "an SVG chart is drawn from its analysis, not from a table; draw it with SVGChart"
        case .disclosure(let audit):
            "not written: the disclosure audit failed (\(audit)); write with --no-suppress for internal use only"
        }
    }
}
