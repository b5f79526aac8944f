import Foundation

/// A whole file mapped into memory read-only, kept mapped for as long as anything holds this
/// object — the columns of a table opened from a snapshot hold it.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes (none for an empty file, which is not mapped).
    let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`; throws `ImportError.unreadable` when it cannot be opened or mapped.
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
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw ImportError.unreadable(file: path, reason: "it cannot be mapped into memory: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
