import Crypto
import Foundation

/// The SHA-256 of a file, taken on a thread of its own while the file is parsed on others (a
/// fingerprint has to read the bytes in order, so it cannot be split like the parsing).
final class FileDigest: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<String, Error> = .success("")

    /// Starts reading the file at `path`.
    init(path: String) {
        DispatchQueue.global().async { [self] in
            result = Result { try FileDigest.sha256(path: path) }
            done.signal()
        }
    }

    /// The SHA-256 as lower-case hex, once the whole file is read.
    func value() throws -> String {
        done.wait()
        done.signal()
        return try result.get()
    }

    private static func sha256(path: String) throws -> String {
        var hash = SHA256()
        try FileRangeByteSource.forEachChunk(path: path, range: 0..<Int64.max) { bytes in
            hash.update(bufferPointer: bytes)
            return true
        }
        return Hex.string(hash.finalize())
    }
}
