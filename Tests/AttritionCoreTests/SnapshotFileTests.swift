@testable import AttritionCore
import Foundation
import Testing

/// A snapshot opens to exactly the import it was saved from, refuses to open when cut short,
/// damaged or newer, and says when the data it was built from has changed.
@Suite struct SnapshotFileTests {
    /// Saves `result` (built from `sources`) and opens it again.
    private func roundTrip(_ result: ImportResult, sources: [String] = [], in folder: TemporaryFolder) throws -> ImportResult {
        let path = folder.file("cases.attrition")
        try? FileManager.default.removeItem(atPath: path)
        try SnapshotFile.save(result, to: path, overwrite: false, sources: sources)
        #expect(try CaseSource.detect(path: path) == .snapshot(path))
        return try CaseSource.detect(path: path).load()
    }

    /// Everything the two imports say, and their funnels by every dimension, are the same.
    private func expectSame(_ opened: ImportResult, _ original: ImportResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if let first = firstDifference(importAccount(opened), importAccount(original)) { Issue.record("\(first)", sourceLocation: sourceLocation) }
        #expect(opened.report.accountLines.filter { !$0.hasPrefix("Snapshot") } == original.report.accountLines, sourceLocation: sourceLocation)
        #expect(opened.report.mapping?.sha256 == original.report.mapping?.sha256, sourceLocation: sourceLocation)
        for dimension in original.table.dimensions.map(\.name) {
            let a = try FunnelAnalysis.funnel(of: opened.table, by: opened.table.requireDimension(dimension))
            let b = try FunnelAnalysis.funnel(of: original.table, by: original.table.requireDimension(dimension))
            #expect(a.groups.map(\.counts) == b.groups.map(\.counts), "\(dimension)", sourceLocation: sourceLocation)
        }
    }

    @Test func aCaseFileWithRefusalsAndWarningsComesBackExactly() throws {
        let folder = TemporaryFolder()
        let csv = folder.file("cases.csv")
        var text = String(decoding: SampleGenerator.bytes(SampleSpec(cases: 3000, seed: 9)), as: UTF8.self)
        text += "C0000001,2024-01-01,Rape,North East,,Female,30,,,,,,,,,,,\nX1,not a date,Rape,North East,,,,,,,,,,,,,,\nX2,2024-02-02,Rape,North East,,Female,old,,,,,,,,,,,\n"
        FileManager.default.createFile(atPath: csv, contents: Data(text.utf8))
        let original = try CaseSource.detect(path: csv).load()
        #expect(original.report.rejected == 2 && original.report.warningCount > 0)
        let opened = try roundTrip(original, sources: [csv], in: folder)
        try expectSame(opened, original)
        #expect(opened.report.snapshot?.changedSources == [])
        // The columns are mapped, not copied onto the heap.
        #expect(opened.table.footprint < original.table.footprint / 20)
    }

    @Test func policeUKDataAndAMappedEventLogComeBackExactly() throws {
        let folder = TemporaryFolder()
        let archive = folder.file("police.zip")
        try PoliceUKSampleOutput.write(PoliceUKSampleSpec(forces: 2, months: 4, rowsPerForceMonth: 60), to: archive, overwrite: false)
        let police = try CaseSource.detect(path: archive).load()
        try expectSame(try roundTrip(police, in: folder), police)
        try EventSample.write(SampleSpec(cases: 400, seed: 2), toFolder: folder.file("export"))
        let mapping = try Mapping.load(path: folder.file("export/attrition.toml"))
        let events = try CaseSource.detect(path: folder.file("export/cases.csv")).load(mapping: mapping)
        #expect(events.report.events != nil)
        try expectSame(try roundTrip(events, in: folder), events)
    }

    @Test func aSnapshotCutShortDamagedOrNewerIsRefusedWithAReason() throws {
        let folder = TemporaryFolder()
        let path = folder.file("good.attrition")
        try SnapshotFile.save(try importBytes(SampleGenerator.bytes(SampleSpec(cases: 200, seed: 1))), to: path, overwrite: false, sources: [])
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        func refusal(_ bytes: [UInt8]) -> String? {
            let bad = folder.file("bad.attrition")
            FileManager.default.createFile(atPath: bad, contents: Data(bytes))
            do {
                _ = try SnapshotFile.open(path: bad)
                return nil
            } catch let ImportError.badSnapshot(_, reason) {
                return reason
            } catch {
                return "\(error)"
            }
        }
        for length in [0, 5, 8, 40, 64, 65, good.count / 2, good.count - 1] {
            let reason = refusal(Array(good[..<length]))
            #expect(reason?.contains(length < 8 ? "not a snapshot" : "cut short") == true, "\(length) bytes: \(reason ?? "opened")")
        }
        var flipped = good
        flipped[good.count / 3] ^= 0x10
        #expect(refusal(flipped)?.contains("CRC-32") == true)
        #expect(refusal(good + [0])?.contains("longer than written") == true)
        var newer = good
        newer[8] = 2
        #expect(refusal(newer)?.contains("format 2, written by a newer attrition") == true)
        // Sealed afresh (length and checksum right) with a group code past the dimension's groups.
        let manifestOffset = good[24..<32].reversed().reduce(0) { $0 << 8 | Int($1) }
        let manifest = try JSONSerialization.jsonObject(with: Data(good[manifestOffset...])) as! [String: Any]
        let bcu = (manifest["dimensions"] as! [[String: Any]]).first { $0["name"] as? String == "bcu" }!
        let codes = bcu["codes"] as! [String: Any]
        #expect(codes["width"] as? Int == 1)
        var outOfRange = good
        outOfRange[codes["offset"] as! Int] = 0xFF
        let resealed = SnapshotFile.sealed(body: Array(outOfRange[64...]), manifestOffset: UInt64(manifestOffset))
        #expect(refusal(resealed)?.contains("out of range") == true)
        #expect(refusal(SnapshotFile.sealed(body: Array(good[64...]), manifestOffset: UInt64(manifestOffset))) == nil)
    }

    @Test func aSnapshotSaysWhenItsSourceHasChangedOrGone() throws {
        let folder = TemporaryFolder()
        let csv = folder.file("cases.csv")
        FileManager.default.createFile(atPath: csv, contents: Data(SampleGenerator.bytes(SampleSpec(cases: 100, seed: 4))))
        let path = folder.file("cases.attrition")
        try SnapshotFile.save(try CaseSource.detect(path: csv).load(), to: path, overwrite: false, sources: [csv])
        #expect(try SnapshotFile.open(path: path).report.snapshot?.changedSources == [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: csv))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("C9999999,2024-01-01,Rape,North East,,,,,,,,,,,,,,\n".utf8))
        try handle.close()
        let changed = try SnapshotFile.open(path: path).report.snapshot?.changedSources ?? []
        #expect(changed.count == 1 && changed[0].contains("has changed since this snapshot was saved"))
        try FileManager.default.removeItem(atPath: csv)
        #expect(try SnapshotFile.open(path: path).report.snapshot?.changedSources.first?.contains("no longer there") == true)
    }

    @Test func aSnapshotIsPrivateAndNeverReplacesAFileUnasked() throws {
        let folder = TemporaryFolder()
        let path = folder.file("cases.attrition")
        let result = try importBytes(SampleGenerator.bytes(SampleSpec(cases: 50, seed: 1)))
        try SnapshotFile.save(result, to: path, overwrite: false, sources: [])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: OutputError.exists(path)) { try SnapshotFile.save(result, to: path, overwrite: false, sources: []) }
        try SnapshotFile.save(result, to: path, overwrite: true, sources: [])
        let csv = folder.file("cases.csv")
        FileManager.default.createFile(atPath: csv, contents: Data(SampleGenerator.bytes(SampleSpec(cases: 5, seed: 1))))
        #expect(throws: OutputError.self) { try SnapshotFile.save(result, to: csv, overwrite: true, sources: [csv]) }
    }
}

/// Snapshots whose manifest was edited and checksummed afresh: each is refused as damaged before
/// anything uses it (every one of these once ended in SIGILL).
@Suite struct EditedSnapshotTests {
    @Test(arguments: EditedSnapshots.edits.keys.sorted())
    func anEditedManifestIsRefusedAsDamaged(edit: String) throws {
        let folder = TemporaryFolder()
        let path = EditedSnapshots.file(edit, in: folder)
        #expect(throws: ImportError.self) { try SnapshotFile.open(path: path) }
        do {
            _ = try SnapshotFile.open(path: path)
        } catch let ImportError.badSnapshot(_, reason) {
            #expect(reason.contains("damaged"), "\(edit): \(reason)")
        }
    }

    /// A snapshot is held as a copy: overwritten or cut short once open, the figures stay those of the file as opened.
    @Test func aSnapshotOverwrittenWhileOpenKeepsItsFigures() throws {
        let folder = TemporaryFolder()
        let path = folder.file("open.attrition")
        FileManager.default.createFile(atPath: path, contents: Data(EditedSnapshots.saved.bytes))
        let opened = try SnapshotFile.open(path: path)
        let before = DataTableFormat.csv.render(try AnalysisQuery(view: .breakdown, dimension: "bcu").table(of: opened.table))
        // Overwritten in place with as many bytes of rubbish, then cut short.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: EditedSnapshots.saved.bytes.count))
        try handle.truncate(atOffset: 100)
        try handle.close()
        for view in AnalysisView.allCases {
            _ = try AnalysisQuery(view: view, dimension: "bcu").table(of: opened.table)
        }
        #expect(DataTableFormat.csv.render(try AnalysisQuery(view: .breakdown, dimension: "bcu").table(of: opened.table)) == before)
    }
}
