import CSignals
import Foundation

/// A stream named as a file — a pipe (`<(zcat cases.csv.gz)`), `/dev/stdin`, a FIFO — copied
/// whole into a private temporary file before it is read, so every reader sees it from its
/// first byte however often it looks (the format is told from the first bytes, the checksum and
/// the parallel read each read again). The copy is readable by its owner only and removed when
/// this is released, and on every signal that ends the process.
public final class StreamCopy {
    /// The copy's path.
    public let path: String

    /// Whether `path` names a pipe or socket (what `<(…)` and a piped `/dev/stdin` are) rather than
    /// a file, a folder or a device (read as it is: `/dev/zero` is refused as binary at once).
    public static func isStream(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK
    }

    /// Copies the stream at `source`, waiting at most `timeout` seconds for each piece (a FIFO
    /// nobody writes to is an error after that, never a hang).
    public init(of source: String, timeout: Double) throws {
        let input = open(source, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else { throw ImportError.unreadable(file: source, reason: String(cString: strerror(errno))) }
        defer { close(input) }
        path = NSTemporaryDirectory() + "/.attrition-stream-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv"
        cs_register_temporary(path)
        let output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            cs_unregister_temporary(path)
            throw ImportError.unreadable(file: source, reason: "no temporary file to copy the stream into: \(String(cString: strerror(errno)))")
        }
        defer { close(output) }
        do {
            try StreamCopy.copy(input, to: output, source: source, timeout: timeout)
        } catch {
            unlink(path)
            cs_unregister_temporary(path)
            throw error
        }
    }

    deinit {
        unlink(path)
        cs_unregister_temporary(path)
    }

    private static func copy(_ input: Int32, to output: Int32, source: String, timeout: Double) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, Int32(min(timeout * 1000, Double(Int32.max))))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else {
                throw ImportError.unreadable(file: source, reason: ready == 0
                    ? "nothing came from it for \(Int(timeout.rounded())) seconds (a FIFO nobody writes to?); --stream-timeout sets how long to wait"
                    : String(cString: strerror(errno)))
            }
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EAGAIN || errno == EINTR { continue }
            guard count >= 0 else { throw ImportError.unreadable(file: source, reason: String(cString: strerror(errno))) }
            if count == 0 { return }
            var written = 0
            while written < count {
                let n = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw ImportError.unreadable(file: source, reason: "the copy of the stream could not be written: \(String(cString: strerror(errno)))") }
                written += n
            }
        }
    }
}
