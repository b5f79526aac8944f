@testable import AttritionCore
import Foundation
import Testing

/// The second hostile-use review's findings, each as the real binary answers it.
@Suite struct HostileUseRoundTwoTests {
    /// Whether `text` holds a control character or bidirectional control that would reach a terminal raw.
    private func holdsControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" }
    }

    private static let streetHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    private static let streetRow = "abc123,2023-01,Met,Met,0,0,x,E01000001,Camden 001A,Violence and sexual offences,Under investigation,\n"

    /// An archive entry named with an escape sequence and a right-to-left override, holding a
    /// Crime ID seen before: the duplicate's message names it sanitised everywhere.
    @Test func aHostileArchiveEntryNameNeverReachesTheTerminalRaw() throws {
        let scratch = TemporaryFolder()
        var zip = ZipArchive()
        zip.add("2023-01/2023-01-metropolitan-street.csv", Array((Self.streetHeader + Self.streetRow).utf8))
        zip.add("2023-01/2023-01-\u{1B}]0;pwned\u{07}\u{202E}met-street.csv", Array((Self.streetHeader + Self.streetRow).utf8))
        let archive = scratch.file("evil.zip")
        FileManager.default.createFile(atPath: archive, contents: Data(zip.finished()))
        let rejects = scratch.file("rejects.csv")
        let validate = try attrition(["validate", archive, "--rejects", rejects])
        #expect(validate.status == 0)
        #expect(validate.out.contains("duplicate Crime ID"))
        #expect(!holdsControls(validate.out) && !holdsControls(validate.err))
        let summary = try attrition(["summary", archive])
        #expect(!holdsControls(summary.out) && !holdsControls(summary.err))
        // The rejects file: the program's own columns sanitised (the record itself is kept byte for byte).
        let written = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(written.count == 1)
        #expect(written.allSatisfy { !holdsControls(String($0.split(separator: ",\"abc123")[0])) })
    }

    /// A police.uk rejects file's `file` column is guarded against formulas like every other cell.
    @Test func theRejectsFilesFileColumnIsFormulaGuarded() throws {
        let scratch = TemporaryFolder()
        var zip = ZipArchive()
        zip.add("=HYPERLINK(1)/2023-01-metropolitan-street.csv", Array((Self.streetHeader + Self.streetRow + Self.streetRow).utf8))
        let archive = scratch.file("formula.zip")
        FileManager.default.createFile(atPath: archive, contents: Data(zip.finished()))
        let rejects = scratch.file("rejects.csv")
        #expect(try attrition(["validate", archive, "--rejects", rejects]).status == 0)
        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("'=HYPERLINK(1)/"))
    }

    /// The snapshot's `saved` field, edited to hold an escape sequence, is shown sanitised.
    @Test func aSnapshotsSavedFieldIsShownSanitised() throws {
        let scratch = TemporaryFolder()
        let path = scratch.file("saved.attrition")
        FileManager.default.createFile(atPath: path, contents: Data(EditedSnapshots.edited { $0["saved"] = "\u{1B}]0;pwned\u{07}\u{202E}" }))
        let run = try attrition(["summary", path])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("snapshot"))
        #expect(!holdsControls(run.err))
    }

    /// Header names printed by `attrition map` carry no raw control character, and the mapping it
    /// writes is one it then reads and applies.
    @Test func attritionMapEscapesHostileHeadersAndReadsItsOwnMapping() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("extract.csv", "Ref\u{1B}]0;x\u{07},Date \u{202E}reported,Offence,Area\n1,2023-01-01,Rape,North West\n")
        let proposal = try attrition(["map", file])
        #expect(proposal.status == 0)
        #expect(!holdsControls(proposal.out) && !holdsControls(proposal.err))
        #expect(proposal.out.contains("\\u202E"))
        let mapping = scratch.write("attrition.toml", proposal.out + "\n")
        // The mapping is read (its hostile header names are valid TOML): any refusal is of the data, never of the mapping.
        let run = try attrition(["summary", file, "--mapping", mapping])
        #expect(!run.err.contains("mapping \(mapping), line"), "\(run.err)")
        #expect(!holdsControls(run.err))
    }

    /// `--force` replaces files, never a device or a FIFO.
    @Test func forceReplacesOnlyRegularFiles() throws {
        let scratch = TemporaryFolder()
        let fifo = scratch.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        for out in ["/dev/null", fifo] {
            let run = try attrition(["export", "--view", "funnel", "--format", "csv", "--out", out, "--force"])
            #expect(run.status == 1)
            #expect(run.err.contains("is not a regular file"), "\(run.err)")
        }
        let link = scratch.file("null-link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        #expect(try attrition(["export", "--view", "funnel", "--format", "md", "--out", link, "--force"]).err.contains("is not a regular file"))
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    /// A disk that fills while the CSV's metadata is written leaves neither file: a file-size limit
    /// lets the CSV through and stops its longer metadata.
    @Test func aFullDiskOnTheMetadataRemovesTheCSVToo() throws {
        let scratch = TemporaryFolder()
        let out = scratch.file("funnel.csv")
        let probe = try attrition(["export", "--view", "funnel", "--format", "csv", "--out", scratch.file("probe.csv")])
        #expect(probe.status == 0)
        let csvSize = try FileManager.default.attributesOfItem(atPath: scratch.file("probe.csv"))[.size] as! Int
        let metadataSize = try FileManager.default.attributesOfItem(atPath: scratch.file("probe.metadata.txt"))[.size] as! Int
        #expect(csvSize < 1024 && metadataSize > 1024, "the CSV (\(csvSize)) must fit the limit and its metadata (\(metadataSize)) not")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" export --view funnel --format csv --out \"$1\"",
                             attritionExecutable.path, out]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("funnel.metadata.txt")))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func cubeRefusesATableNameWithALineEnd() throws {
        for table in ["cases\n; DROP TABLE x", "ca\u{1B}ses", "a\rb"] {
            let run = try attrition(["cube", "--engine", "duckdb", "--table", table])
            #expect(run.status == 2)
            #expect(run.out.isEmpty)
            #expect(run.err.contains("control character"))
        }
    }

    /// One error line never echoes a huge value whole.
    @Test func anErrorLineNeverEchoesAHugeValue() throws {
        let scratch = TemporaryFolder()
        let huge = String(repeating: "x", count: 3_000_000)
        let file = scratch.write("wide.csv", "case_id,reported_date,crime_type,bcu,\(huge)\n1,2023-01-01,Rape,North,a\n")
        let run = try attrition(["summary", file, "--by", "nothere"])
        #expect(run.status == 2)
        #expect(run.err.split(separator: "\n").allSatisfy { $0.count < 4_000 }, "a line of \(run.err.count) characters")
        #expect(run.err.contains("characters left out"))
    }

    @Test func droppingTheCaseReferenceIsAMappingError() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", "case_id,reported_date,crime_type,bcu\n1,2023-01-01,Rape,North\n")
        let mapping = scratch.write("drop.toml", "[drop]\ncolumns = [\"case_id\"]\n")
        let run = try attrition(["summary", file, "--mapping", mapping])
        #expect(run.status == 2)
        #expect(run.err.contains("mapping \(mapping), line 2: 'case_id' is the case_id column attrition reads, so it cannot be dropped"))
    }
}

/// A stream named as a file is read from its start; a FIFO nobody writes to is an error, not a hang.
@Suite struct StreamInputTests {
    private func shell(_ script: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, attritionExecutable.path] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile(), errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test func aPipeAndStandardInputAreReadFromTheirStart() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", "case_id,reported_date,crime_type,bcu,referred_date\n1,2023-01-01,Rape,North,2023-02-01\n2,2023-01-02,Stalking,South,\n")
        let direct = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--no-suppress"])
        #expect(direct.status == 0)
        let substituted = try shell("\"$0\" summary <(cat \"$1\") --by bcu --format csv --no-suppress", [file])
        #expect(substituted.status == 0, "\(substituted.err)")
        #expect(substituted.out == direct.out)
        let standardInput = try shell("cat \"$1\" | \"$0\" summary /dev/stdin --by bcu --format csv --no-suppress", [file])
        #expect(standardInput.status == 0, "\(standardInput.err)")
        #expect(standardInput.out == direct.out)
        #expect(standardInput.err.contains("/dev/stdin: 2 rows read, 2 accepted"))
    }

    @Test func aFIFONobodyWritesToIsAnErrorAfterTheTimeout() throws {
        let scratch = TemporaryFolder()
        let fifo = scratch.file("cases.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        let run = try attrition(["summary", fifo, "--stream-timeout", "1"])
        #expect(run.status == 1)
        #expect(run.err.contains("nothing came from it for 1 seconds"))
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

/// A table of thousands of groups is refused with a clear message before the audit runs away.
@Suite struct GroupCountTests {
    /// Ten cases in each of `groups` crime types, some referred and charged.
    private func manyGroups(_ groups: Int, in scratch: TemporaryFolder) -> String {
        var text = "case_id,reported_date,crime_type,bcu,referred_date,charged_date\n"
        for index in 0..<(groups * 10) {
            let stage = (index / groups) % 5
            text += "\(index),2023-01-0\(1 + index % 9),Type \(index % groups),North,\(stage < 2 ? "2023-02-01" : ""),\(stage < 1 ? "2023-03-01" : "")\n"
        }
        return scratch.write("groups.csv", text)
    }

    @Test func maxDistinctHoldsForEveryDimension() throws {
        let scratch = TemporaryFolder()
        let file = manyGroups(300, in: scratch)
        let run = try attrition(["summary", file, "--max-distinct", "100"])
        #expect(run.status == 1)
        #expect(run.err.contains("crime_type has 300 distinct values, more than --max-distinct 100"))
        #expect(try attrition(["summary", file, "--max-distinct", "300"]).status == 0)
    }

    @Test func aTableTooLargeToAuditIsRefusedAtOnce() throws {
        let scratch = TemporaryFolder()
        let file = manyGroups(1_000, in: scratch)
        let started = Date()
        let published = try attrition(["summary", file, "--format", "csv"])
        #expect(published.status == 1)
        #expect(published.out.isEmpty)
        #expect(published.err.contains("more than the disclosure audit checks in reasonable time"))
        #expect(Date().timeIntervalSince(started) < 20)
        let unsuppressed = try attrition(["summary", file, "--format", "csv", "--no-suppress"])
        #expect(unsuppressed.status == 0)
        #expect(unsuppressed.out.split(separator: "\n").count == 1_002)
    }
}
