import Crypto
import Foundation

/// The character encodings a case file may arrive in. Everything is read as UTF-8 inside.
public enum TextEncoding: String, CaseIterable, Sendable {
    /// UTF-8 (with or without its byte-order mark): the default.
    case utf8 = "utf-8"
    /// Windows-1252, what Excel on Windows writes as "CSV".
    case windows1252 = "windows-1252"
    /// UTF-16, little- or big-endian by its byte-order mark (little-endian without one).
    case utf16 = "utf-16"
    /// UTF-32, little- or big-endian by its byte-order mark (little-endian without one).
    case utf32 = "utf-32"

    /// The encoding the first bytes of a file show: a UTF-16 or UTF-32 byte-order mark; else
    /// Windows-1252 when `sample` is not valid UTF-8 (a sequence cut at the sample's end excepted);
    /// else UTF-8.
    public static func detect(_ sample: [UInt8]) -> TextEncoding {
        if sample.starts(with: [0xFF, 0xFE, 0, 0]) || sample.starts(with: [0, 0, 0xFE, 0xFF]) { return .utf32 }
        if sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF]) { return .utf16 }
        var end = sample.count
        // Leave out a multi-byte sequence the sample cuts short.
        if let lead = sample.suffix(4).lastIndex(where: { $0 >= 0xC0 }), sample.count - lead < [0xE0: 3, 0xF0: 4][sample[lead] & 0xF0] ?? 2 {
            end = lead
        }
        return sample[..<end].withUnsafeBytes(DisplayText.isValidUTF8) ? .utf8 : .windows1252
    }
}

/// A source read in another encoding, handed on as UTF-8. The fingerprint is of the bytes as they
/// stand in the file.
public final class TranscodingByteSource: ByteSource {
    private var inner: any ByteSource
    private let encoding: TextEncoding
    private var bigEndian = false
    private var atStart = true
    private var pending: [UInt8] = []
    private var output: [UInt8] = []
    private var outputStart = 0
    private var finished = false
    private var digest = Crypto.SHA256()

    public func changedSinceOpened() -> String? { inner.changedSinceOpened() }

    /// `inner` (in `encoding`) as UTF-8.
    public init(_ inner: any ByteSource, encoding: TextEncoding) {
        self.inner = inner
        self.encoding = encoding
    }

    /// About how many UTF-8 bytes the file makes, for progress and sizing.
    public var totalBytes: Int64? {
        inner.totalBytes.map { encoding == .utf16 ? $0 / 2 : encoding == .utf32 ? $0 / 4 : $0 }
    }

    /// The SHA-256 of the file's own bytes read so far.
    public var originalSHA256: String? { Hex.string(digest.finalize()) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while output.count - outputStart < buffer.count, !finished { try refill() }
        let count = min(buffer.count, output.count - outputStart)
        output.withUnsafeBytes { bytes in buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + outputStart, byteCount: count) }
        outputStart += count
        if outputStart == output.count { output.removeAll(keepingCapacity: true); outputStart = 0 }
        return count
    }

    private func refill() throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let n = try chunk.withUnsafeMutableBytes { try inner.read(into: $0) }
        if n == 0 { finished = true }
        chunk.removeSubrange(n...)
        chunk.withUnsafeBytes { digest.update(bufferPointer: $0) }
        pending += chunk
        if atStart, pending.count >= 4 || finished {
            atStart = false
            let bomLength: Int
            switch encoding {
            case .utf16 where pending.starts(with: [0xFE, 0xFF]): bigEndian = true; bomLength = 2
            case .utf16 where pending.starts(with: [0xFF, 0xFE]): bomLength = 2
            case .utf32 where pending.starts(with: [0, 0, 0xFE, 0xFF]): bigEndian = true; bomLength = 4
            case .utf32 where pending.starts(with: [0xFF, 0xFE, 0, 0]): bomLength = 4
            case .utf8 where pending.starts(with: [0xEF, 0xBB, 0xBF]): bomLength = 3
            default: bomLength = 0
            }
            pending.removeFirst(min(bomLength, pending.count))
        } else if atStart {
            return
        }
        let unit = encoding == .utf16 ? 2 : encoding == .utf32 ? 4 : 1
        let usable = finished ? pending.count : pending.count - pending.count % unit
        var scalars: [Unicode.Scalar] = []
        var index = 0
        func unit16(_ at: Int) -> UInt16 {
            bigEndian ? UInt16(pending[at]) << 8 | UInt16(pending[at + 1]) : UInt16(pending[at + 1]) << 8 | UInt16(pending[at])
        }
        decoding: while index < usable {
            switch encoding {
            case .utf8:
                output += pending[index..<usable]
                index = usable
            case .windows1252:
                scalars.append(TranscodingByteSource.windows1252(pending[index]))
                index += 1
            case .utf16:
                guard index + 1 < usable else { break decoding }
                let first = unit16(index)
                if (0xD800..<0xDC00).contains(first) {
                    guard index + 3 < usable || finished else { break decoding }
                    if index + 3 < usable, case let second = unit16(index + 2), (0xDC00..<0xE000).contains(second) {
                        scalars.append(Unicode.Scalar(0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00))!)
                        index += 4
                        continue
                    }
                    scalars.append("\u{FFFD}")
                } else {
                    scalars.append(Unicode.Scalar(first) ?? "\u{FFFD}")
                }
                index += 2
            case .utf32:
                guard index + 3 < usable else { break decoding }
                let bytes = pending[index..<(index + 4)].map(UInt32.init)
                let value = bigEndian ? bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]
                    : bytes[3] << 24 | bytes[2] << 16 | bytes[1] << 8 | bytes[0]
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                index += 4
            }
        }
        if finished, index < pending.count, encoding != .utf8 { scalars.append("\u{FFFD}"); index = pending.count }
        pending.removeFirst(index)
        for scalar in scalars { UTF8.encode(scalar) { output.append($0) } }
    }

    /// The character a Windows-1252 byte stands for (WHATWG's table: 0x80–0x9F as Windows has them).
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
                              0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
                              0x0153, 0x9D, 0x017E, 0x0178]
        return (0x80...0x9F).contains(byte) ? Unicode.Scalar(high[Int(byte) - 0x80])! : Unicode.Scalar(byte)
    }
}
