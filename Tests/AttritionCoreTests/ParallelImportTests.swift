@testable import AttritionCore
import Foundation
import PropertyBased
import Testing

/// A case file read in pieces on several threads gives exactly what reading it row by row gives:
/// the same cases in the same order, the same refusals and warnings on the same lines, the same
/// rejects file byte for byte — wherever the pieces are cut, however broken the file.
@Suite struct ParallelImportTests {
    /// Kinds of record a messy file holds, beside plain cases.
    private enum Mess: CaseIterable {
        case plain, duplicate, strayQuote, quotedLineBreak, blankLine, badUTF8, missingCrime, wrongFieldCount, crlf, badAge
    }

    /// A messy case file from `seed`: `rows` records of every kind, with an extra free-text column.
    private static func messyFile(rows: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix(seed: seed)
        var text: [UInt8] = Array("case_id,reported_date,crime_type,bcu,victim_age,charged_date,police_outcome,note\n".utf8)
        var ids: [String] = []
        let crimes = ["Rape", "Stalking", "Domestic abuse", "rape "]
        for index in 0..<rows {
            let id = "C\(index)"
            let crime = crimes[Int(random.next() % 4)]
            let note = "n\(random.next() % 40)"
            var row = "\(id),2024-0\(1 + random.next() % 9)-1\(random.next() % 10),\(crime),North,\(random.next() % 90),,\(random.next() % 3 == 0 ? "1" : "15"),\(note)\n"
            switch Mess.allCases[Int(random.next() % UInt64(Mess.allCases.count))] {
            case .plain: break
            case .duplicate where !ids.isEmpty: row = "\(ids[Int(random.next() % UInt64(ids.count))]),2024-02-02,Rape,South,30,,,dup\n"
            case .duplicate: break
            case .strayQuote: row = "\(id),2024-03-03,Rape,\"North,40,,,x\n"
            case .quotedLineBreak: row = "\(id),2024-04-04,Stalking,East,25,2024-05-05,1,\"two\nlines, \"\"quoted\"\"\"\n"
            case .blankLine: row = "\n" + row
            case .badUTF8: text += Array("\(id),2024-05-05,Rape,West,".utf8) + [0xFF, 0xFE] + Array(",31,,,bad\n".utf8); continue
            case .missingCrime: row = "\(id),2024-06-06,,North,20,,,m\n"
            case .wrongFieldCount: row = "\(id),2024-07-07,Rape\n"
            case .crlf: row = row.replacingOccurrences(of: "\n", with: "\r\n")
            case .badAge: row = "\(id),2024-08-08,Rape,North,old,,,age\n"
            }
            ids.append(id)
            text += Array(row.utf8)
        }
        if random.next() % 2 == 0 { text += Array("Z1,2024-09-09,Rape,North,33,,,\"never closed\n".utf8) }
        return text
    }

    /// The import of `path`, and its rejects file, read in pieces of `pieceBytes` (0: row by row).
    private static func read(_ path: String, pieceBytes: Int64, maxDistinct: Int) throws -> (ImportResult, [UInt8]) {
        let rejects = CollectingRejects()
        var importer = CaseImporter(fileName: "messy.csv")
        importer.rejectSink = rejects
        importer.limits.maxDistinct = maxDistinct
        importer.encoding = .utf8
        if pieceBytes == 0 {
            importer.streamBatchRecords = 7
            return (try importer.importCases(from: CSVScanner(source: try FileByteSource(path: path), chunkSize: 64)), rejects.bytes)
        }
        importer.casePieceBytes = pieceBytes
        return (try importer.importFile(atPath: path), rejects.bytes)
    }

    @Test func piecesGiveExactlyWhatRowByRowGives() async throws {
        let folder = TemporaryFolder()
        await propertyCheck(count: 25, input: Gen.int(in: 0...Int(Int32.max)), Gen.int(in: 40...900)) { seed, pieceBytes in
            let path = folder.file("messy-\(seed).csv")
            FileManager.default.createFile(atPath: path, contents: Data(ParallelImportTests.messyFile(rows: 300, seed: UInt64(seed))))
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let (single, singleRejects) = try ParallelImportTests.read(path, pieceBytes: 0, maxDistinct: 25)
                let (pieces, pieceRejects) = try ParallelImportTests.read(path, pieceBytes: Int64(pieceBytes), maxDistinct: 25)
                let expected = importAccount(single), got = importAccount(pieces)
                if let first = firstDifference(got, expected) { Issue.record("seed \(seed), pieces of \(pieceBytes) bytes: \(first)") }
                if pieceRejects != singleRejects { Issue.record("seed \(seed), pieces of \(pieceBytes) bytes: the rejects file differs") }
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test func theMessyFileReallyIsMessy() throws {
        let folder = TemporaryFolder()
        let path = folder.file("messy.csv")
        FileManager.default.createFile(atPath: path, contents: Data(ParallelImportTests.messyFile(rows: 300, seed: 3)))
        let (result, _) = try ParallelImportTests.read(path, pieceBytes: 200, maxDistinct: 25)
        let reasons = result.report.rejections.map(\.reason)
        #expect(reasons.contains { $0.hasPrefix("duplicate case_id") })
        #expect(reasons.contains { $0.contains("closed only on line") })
        #expect(reasons.contains { $0.hasPrefix("has 3 fields") })
        #expect(result.report.blankLines > 0 && result.report.droppedColumns == ["note"])
        #expect(result.report.warnings.contains { $0.field == "note" && $0.reason.contains("distinct values") })
    }
}
