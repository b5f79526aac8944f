import AttritionCore
import Crypto
import Foundation
import Testing

/// Files in the encodings real extracts arrive in read as UTF-8, across every chunk boundary,
/// with the file's own fingerprint.
@Suite struct TextEncodingTests {
    private let text = "case_id,reported_date,crime_type,bcu,victim_ethnicity\nA1,2023-01-01,Rape,North,Café owner’s 😀\nA2,2023-02-01,Rape,South,Zoë\n"

    private func encoded(_ encoding: TextEncoding, bigEndian: Bool = false) -> [UInt8] {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .windows1252: return Array(text.replacingOccurrences(of: " 😀", with: "").data(using: .windowsCP1252)!)
        case .utf16:
            let units = text.utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            return (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) + units
        case .utf32:
            let scalars = text.unicodeScalars.flatMap { scalar -> [UInt8] in
                let v = scalar.value
                let little = [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
                return bigEndian ? little.reversed() : little
            }
            return (bigEndian ? [0, 0, 0xFE, 0xFF] : [0xFF, 0xFE, 0, 0]) + scalars
        }
    }

    private func hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined() }

    @Test func encodingsAreToldFromTheFile() {
        #expect(TextEncoding.detect(encoded(.utf8)) == .utf8)
        #expect(TextEncoding.detect(encoded(.windows1252)) == .windows1252)
        #expect(TextEncoding.detect(encoded(.utf16)) == .utf16)
        #expect(TextEncoding.detect(encoded(.utf16, bigEndian: true)) == .utf16)
        #expect(TextEncoding.detect(encoded(.utf32)) == .utf32)
        // A UTF-8 sequence cut by the end of the sample is not taken for Windows-1252.
        #expect(TextEncoding.detect(Array("abc é".utf8).dropLast()) == .utf8)
    }

    @Test(arguments: [1, 2, 3, 5, 64, 1 << 20])
    func everyEncodingReadsBackAcrossChunkBoundaries(chunk: Int) throws {
        for (encoding, bigEndian) in [(TextEncoding.utf16, false), (.utf16, true), (.utf32, false), (.utf32, true), (.windows1252, false)] {
            let bytes = encoded(encoding, bigEndian: bigEndian)
            let source = TranscodingByteSource(MemoryByteSource(bytes, chunkSize: chunk), encoding: encoding)
            let scanner = CSVScanner(source: source, chunkSize: 64)
            var rows: [[String]] = []
            while try scanner.next() { rows.append((0..<scanner.fieldCount).map { String(decoding: scanner.field($0), as: UTF8.self) }) }
            let expected = encoding == .windows1252 ? text.replacingOccurrences(of: " 😀", with: "") : text
            #expect(rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n" == expected, "\(encoding) \(bigEndian) \(chunk)")
            // The fingerprint is the file's own bytes', not the UTF-8 handed on.
            #expect(scanner.sha256 == hex(bytes), "\(encoding)")
        }
    }

    @Test func anUnpairedSurrogateOrAnOddByteBecomesTheReplacementCharacter() throws {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x42, 0x00, 0x43]
        var source = TranscodingByteSource(MemoryByteSource(bytes), encoding: .utf16)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        #expect(String(decoding: buffer[..<n], as: UTF8.self) == "A\u{FFFD}B\u{FFFD}")
    }

    @Test func aFileIsReadInItsEncodingWithOneWarning() throws {
        let folder = TemporaryFolder()
        for encoding in [TextEncoding.windows1252, .utf16, .utf32] {
            let path = folder.file("\(encoding.rawValue).csv")
            try Data(encoded(encoding)).write(to: URL(fileURLWithPath: path))
            let result = try CaseImporter(fileName: path).importFile(atPath: path)
            #expect(result.report.accepted == 2 && result.report.rejected == 0)
            #expect(result.report.warnings.map(\.field) == ["encoding"])
            #expect(result.table.dimension(named: "victim_ethnicity")?.labels.first?.hasPrefix("Café owner’s") == true)
            #expect(result.report.sourceSHA256 == hex(encoded(encoding)))
        }
        // Forced: a Windows-1252 file read as UTF-8 keeps today's U+FFFD warnings instead.
        let path = folder.file("windows-1252.csv")
        var importer = CaseImporter(fileName: path)
        importer.encoding = .utf8
        let forced = try importer.importFile(atPath: path)
        #expect(!forced.report.warnings.contains { $0.field == "encoding" })
        #expect(forced.report.warnings.contains { $0.reason.contains("U+FFFD") })
    }
}
