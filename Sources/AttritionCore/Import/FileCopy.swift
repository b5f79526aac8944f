import Foundation

/// A whole file read into memory of its own, kept for as long as anything holds this object (the
/// columns of a table opened from a snapshot hold it). Nothing is mapped from the file itself, so
/// the file being overwritten, cut short or removed while it is open cannot change or fault what
/// is held; a file that changes while it is being read is refused.
final class FileCopy: @unchecked Sendable {
    /// The file's bytes as read.
    let bytes: UnsafeRawBufferPointer

    /// Reads the file at `path`; throws `ImportError.unreadable` when it cannot be opened or read
    /// whole, or changes while it is read.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let identity = FileIdentity(descriptor: descriptor)
        guard !identity.isDirectory else { throw ImportError.unreadable(file: path, reason: "it is a directory") }
        let size = Int(identity.size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        // Anonymous pages: memory the process owns, given back by munmap.
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED else {
            throw ImportError.unreadable(file: path, reason: "there is not the memory to hold it: \(String(cString: strerror(errno)))")
        }
        var done = 0
        while done < size {
            let count = pread(descriptor, base + done, size - done, off_t(done))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                munmap(base, size)
                throw ImportError.unreadable(file: path, reason: count == 0 ? "it was cut short while being read"
                                             : String(cString: strerror(errno)))
            }
            done += count
        }
        let after = FileIdentity(descriptor: descriptor)
        guard after.size == identity.size, after.modified == identity.modified else {
            munmap(base, size)
            throw ImportError.unreadable(file: path, reason: "it changed while being read; open it again")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
