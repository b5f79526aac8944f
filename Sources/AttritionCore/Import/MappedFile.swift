import Foundation

/// A whole file mapped into memory read-only (or, for tests and fuzzing, bytes copied into
/// memory), kept mapped for as long as anything holds this object — the columns of a table
/// opened from a snapshot hold it.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes.
    let bytes: UnsafeRawBufferPointer
    /// Whether the bytes are mapped (else allocated, and freed here).
    private let isMapped: Bool
    /// What identified the file when it was opened.
    let identity: FileIdentity?

    /// Maps the file at `path`; throws `ImportError.unreadable` when it cannot be opened or mapped.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ImportError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let identity = FileIdentity(descriptor: descriptor)
        guard !identity.isDirectory else { throw ImportError.unreadable(file: path, reason: "it is a directory") }
        let size = Int(identity.size)
        self.identity = identity
        isMapped = size > 0
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw ImportError.unreadable(file: path, reason: "it cannot be mapped into memory: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// A copy of `data` in memory of its own, aligned as a mapping would be.
    init(copying data: [UInt8]) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 4096)
        copy.copyBytes(from: data)
        bytes = UnsafeRawBufferPointer(rebasing: copy[..<data.count])
        isMapped = false
        identity = nil
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else if identity == nil {
            bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        }
    }
}
