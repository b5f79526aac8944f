import CZlib

/// Writes a ZIP archive of stored or deflated entries (APPNOTE 6.3): an XLSX workbook, or a
/// synthetic police.uk download. Entries are written with CRC-32 and sizes, then a central
/// directory and an end record. The bytes can be taken as they are made (`drain`), so a large
/// archive never sits in memory whole.
struct ZipArchive {
    private var pending: [UInt8] = []
    private var drained = 0
    private var directory: [UInt8] = []
    private var count = 0

    /// The most an archive may hold without ZIP64 records, which this writer does not write.
    static let largest = Int(UInt32.max) - (1 << 20)

    /// Bytes written so far.
    var size: Int { drained + pending.count }

    /// Adds a file called `name` holding `data`, deflated when `compress` is set.
    mutating func add(_ name: String, _ data: [UInt8], compress: Bool = false) {
        let nameBytes = Array(name.utf8)
        let crc = ZipArchive.crc32(data)
        let stored = compress ? ZipArchive.deflate(data) : data
        let method: UInt16 = compress ? 8 : 0
        let offset = UInt32(size)
        // Local file header.
        pending += le32(0x0403_4b50) + le16(20) + le16(0x0800) + le16(method) + le16(0) + le16(0x21)
        pending += le32(crc) + le32(UInt32(stored.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
        pending += nameBytes + stored
        // Central directory entry.
        directory += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0x0800) + le16(method) + le16(0) + le16(0x21)
        directory += le32(crc) + le32(UInt32(stored.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count))
        directory += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        count += 1
    }

    /// The bytes made since the last call, to be written out in order.
    mutating func drain() -> [UInt8] {
        defer {
            drained += pending.count
            pending = []
        }
        return pending
    }

    /// The rest of the archive: bytes not yet drained, the central directory and the end record.
    mutating func finished() -> [UInt8] {
        let directoryOffset = UInt32(size)
        var out = drain() + directory
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
        out += le32(UInt32(directory.count)) + le32(directoryOffset) + le16(0)
        return out
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }

    /// The CRC-32 (IEEE 802.3) of `data`, by zlib.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        UInt32(data.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    /// `data` as raw deflate (no zlib header), as ZIP entries hold it; zlib's fastest level.
    static func deflate(_ data: [UInt8]) -> [UInt8] {
        // zlib keeps a pointer back to its stream, so the stream must not move between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard cz_deflate_init_raw(stream, 1) == Z_OK else { fatalError("zlib could not start deflating: out of memory") }
        defer { deflateEnd(stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(data.count))))
        let written = data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = uInt(output.count)
                // deflateBound guarantees room for the whole stream in one call.
                let status = CZlib.deflate(stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib deflate failed with room for the whole stream")
                return output.count - Int(stream.pointee.avail_out)
            }
        }
        out.removeSubrange(written...)
        return out
    }
}
