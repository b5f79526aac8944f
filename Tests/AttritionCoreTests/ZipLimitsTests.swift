@testable import AttritionCore
import Foundation
import Testing

/// Decompression bombs are refused from what an archive's directory declares, before any byte is inflated.
@Suite struct ZipLimitsTests {
    /// A ZIP archive of stored entries written by hand, each declaring `declared` bytes unpacked
    /// (with `sharing`, every entry's directory record points at the first entry's data).
    private func archive(entries: Int, data: [UInt8], declared: UInt32, sharing: Bool = false) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
        var bytes: [UInt8] = [], directory: [UInt8] = []
        for index in 0..<entries {
            let name = Array("file\(index).csv".utf8)
            let offset = UInt32(bytes.count)
            let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(data.count)) + le32(declared)
                + le16(name.count) + le16(0)
            bytes += le32(0x0403_4B50) + common + name + data
            directory += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(sharing ? 0 : offset) + name
        }
        let start = UInt32(bytes.count)
        bytes += directory
        bytes += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries) + le16(entries) + le32(UInt32(directory.count)) + le32(start) + le16(0)
        return bytes
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "attrition-zip-\(UUID().uuidString).zip"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func anEntryThatWouldUnpackPastTheRatioIsRefused() throws {
        let path = try write(archive(entries: 1, data: Array("abc".utf8), declared: 16 << 20))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ZipReader(path: path)
        #expect(throws: ImportError.self) { try reader.source(for: reader.entries[0]) }
        do { _ = try reader.source(for: reader.entries[0]) } catch {
            #expect("\(error)".contains("refused as a possible decompression bomb"))
        }
    }

    @Test func entriesDeclaringTooMuchInAllAreRefusedOnOpening() throws {
        let path = try write(archive(entries: 130, data: Array("abc".utf8), declared: 0xFFFF_FFFE))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ZipReader(path: path)
            Issue.record("opened")
        } catch {
            #expect("\(error)".contains("more than the 512 GiB allowed: refused as a possible decompression bomb"))
        }
    }

    @Test func anHonestArchiveStillOpens() throws {
        let path = try write(archive(entries: 3, data: Array("abc".utf8), declared: 3))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ZipReader(path: path)
        #expect(reader.entries.count == 3)
        var source = try reader.source(for: reader.entries[0])
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        #expect(Array(buffer[..<n]) == Array("abc".utf8))
    }
}

/// A file that changes while it is read is caught when the read ends.
@Suite struct ChangedFileTests {
    @Test func growingShrinkingRewrittenAndReplacedFilesAreNoticed() throws {
        let folder = TemporaryFolder()
        let path = folder.file("cases.csv")
        let text = "case_id,reported_date,crime_type,bcu\nA1,2023-01-01,Rape,North\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let unchanged = try FileByteSource(path: path)
        #expect(unchanged.changedSinceOpened() == nil)
        let growing = try FileByteSource(path: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("A2,2023-01-02,Rape,South\n".utf8))
        try handle.close()
        #expect(growing.changedSinceOpened()?.hasPrefix("it grew from") == true)
        let replaced = try FileByteSource(path: path)
        try text.write(toFile: path, atomically: true, encoding: .utf8)  // a new file renamed over the old
        #expect(replaced.changedSinceOpened() == "it was replaced by another file while it was read")
        let removed = try FileByteSource(path: path)
        try FileManager.default.removeItem(atPath: path)
        #expect(removed.changedSinceOpened() == "it was removed while it was read")
        // The import's message names the file and says what to do.
        let message = "\(ImportError.changedWhileRead(file: path, change: "it shrank from 10 to 5 bytes while it was read"))"
        #expect(message.hasPrefix("\(path): it shrank") && message.hasSuffix("read it again once it is complete"))
    }
}

/// The other readers notice a changed file too: an archive's entries, police.uk files, and text read through another encoding.
@Suite struct ChangedSourceTests {
    /// A source over bytes whose file "changed" while it was read.
    struct ChangingSource: ByteSource {
        var inner: MemoryByteSource
        var totalBytes: Int64? { inner.totalBytes }
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try inner.read(into: buffer) }
        func changedSinceOpened() -> String? { "it grew from 10 to 20 bytes while it was read" }
    }

    @Test func archiveEntriesAndTranscodedTextReportTheirFilesChange() throws {
        let folder = TemporaryFolder()
        let path = folder.file("police.zip")
        var archive = ZipArchive()
        archive.add("2024-06/2024-06-kent-street.csv", Array("Crime ID,Month\n".utf8))
        try Data(archive.finished()).write(to: URL(fileURLWithPath: path))
        let reader = try ZipReader(path: path)
        let entry = try reader.source(for: reader.entries[0])
        #expect(entry.changedSinceOpened() == nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("more".utf8))
        try handle.close()
        #expect(entry.changedSinceOpened()?.hasPrefix("it grew from") == true)
        let transcoded = TranscodingByteSource(ChangingSource(inner: MemoryByteSource("a,b\n")), encoding: .windows1252)
        #expect(transcoded.changedSinceOpened() == "it grew from 10 to 20 bytes while it was read")
    }

    @Test func aPoliceUKFileThatChangedIsRefusedByName() throws {
        let text = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
            + "abc,2024-06,Kent Police,Kent Police,0.5,51.2,On or near X,E01024000,Maidstone 001A,Violence and sexual offences,Under investigation,\n"
        let file = PoliceUKFile(name: "2024-06/2024-06-kent-street.csv", size: Int64(text.utf8.count)) {
            ChangingSource(inner: MemoryByteSource(text))
        }
        #expect(throws: ImportError.changedWhileRead(file: "2024-06/2024-06-kent-street.csv", change: "it grew from 10 to 20 bytes while it was read")) {
            _ = try PoliceUKParsing.parse(file, crimes: nil, keepingRecords: false)
        }
    }
}

extension ZipLimitsTests {
    /// Entries that share one stream (thousands of directory records over one deflated run, a few
    /// KB that would inflate to gigabytes) are refused before anything is inflated.
    @Test func entriesSharingTheirBytesAreRefused() throws {
        let data = Array("Crime ID,Month\n".utf8)
        let shared = try write(archive(entries: 2_500, data: data, declared: UInt32(data.count), sharing: true))
        defer { try? FileManager.default.removeItem(atPath: shared) }
        #expect {
            _ = try ZipReader(path: shared)
        } throws: { error in
            "\(error)".contains("share their bytes")
        }
        let apart = try write(archive(entries: 3, data: data, declared: UInt32(data.count)))
        defer { try? FileManager.default.removeItem(atPath: apart) }
        #expect(try ZipReader(path: apart).entries.count == 3)
    }

    /// Under a memory limit, entries are inflated whole only within an eighth of it, and files are
    /// read ahead only within half of it.
    @Test func theMemoryLimitBoundsWhatArchiveReadingHolds() {
        let small = ImportLimits(maxMemory: 256 << 20)
        #expect(small.wholeEntryBytes == 32 << 20)
        #expect(small.filesInFlight(largest: 200 << 20, workers: 2) == 1)
        #expect(small.filesInFlight(largest: 10 << 20, workers: 2) == 4)
        let large = ImportLimits(maxMemory: 16 << 30)
        #expect(large.wholeEntryBytes == ZipEntrySource.wholeEntryLimit)
        #expect(large.filesInFlight(largest: 200 << 20, workers: 2) == 4)
    }
}
