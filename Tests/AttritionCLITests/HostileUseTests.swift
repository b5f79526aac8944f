import AttritionCore
import Foundation
import Testing

/// What an attacker or an unlucky user does to the command line: each finding of the hostile-use
/// review, as the real binary answers it.
@Suite struct HostileUseTests {
    private static let cases = """
    case_id,reported_date,crime_type,bcu,referred_date
    1,2023-01-01,Rape,North,2023-02-01
    2,2023-01-01,Stalking,North,
    3,not a date,Rape,South,

    """

    @Test func noCommandWritesOverItsOwnInputForceOrNot() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", HostileUseTests.cases)
        let link = scratch.path + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        let attempts: [[String]] = [
            ["validate", file, "--rejects", file, "--force"],
            ["validate", file, "--rejects", link, "--force"],
            ["export", file, "--format", "csv", "--out", file, "--force"],
            ["export", file, "--format", "xlsx", "--out", link, "--force"],
            ["export", link, "--format", "md", "--out", file, "--force"],
        ]
        for arguments in attempts {
            let result = try attrition(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.err.contains("will not write") && result.err.contains("being read"), "\(result.err)")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == HostileUseTests.cases, "\(arguments) changed the input")
        }
    }

    /// Starts `arguments`, waits for its temporary file to appear in `folder`, and sends `signal`.
    private func interrupt(_ arguments: [String], in folder: String, with signal: Int32) throws -> Process {
        let process = Process()
        process.executableURL = attritionExecutable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 where temporaries(in: folder).isEmpty && process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        #expect(!temporaries(in: folder).isEmpty, "no temporary file appeared for \(arguments)")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process
    }

    private func temporaries(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".tmp") }
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1])
    func aSignalDuringAWriteLeavesNoCaseDataBehind(signal: Int32) throws {
        let scratch = TemporaryFolder()
        let big = scratch.path + "/big.csv"
        let writers: [[String]] = [
            ["sample", "--cases", "20000000", "--out", big],
        ]
        for arguments in writers {
            let process = try interrupt(arguments, in: scratch.path, with: signal)
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
            #expect(temporaries(in: scratch.path).isEmpty, "\(arguments) left \(temporaries(in: scratch.path))")
            #expect(!FileManager.default.fileExists(atPath: big))
        }
    }

    @Test func aTemporaryLeftByAKilledRunIsRemovedByTheNextWriter() throws {
        let scratch = TemporaryFolder()
        let process = try interrupt(["sample", "--cases", "20000000", "--out", scratch.path + "/big.csv"], in: scratch.path, with: SIGKILL)
        #expect(process.terminationStatus == SIGKILL)
        let left = temporaries(in: scratch.path)
        #expect(left.count == 1)
        // Temporaries are private from the moment they exist.
        if let name = left.first {
            let mode = try FileManager.default.attributesOfItem(atPath: scratch.path + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        #expect(try attrition(["sample", "--cases", "10", "--out", scratch.path + "/small.csv"]).status == 0)
        #expect(temporaries(in: scratch.path).isEmpty)
    }

    @Test func aCSVExportAndItsMetadataAreCheckedAsAPair() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", HostileUseTests.cases)
        let first = scratch.path + "/a.csv", second = scratch.path + "/b.csv"
        #expect(try attrition(["export", file, "--by", "bcu", "--format", "csv", "--out", first, "--no-suppress"]).status == 0)
        #expect(try attrition(["export", file, "--by", "crime_type", "--format", "csv", "--out", second, "--no-suppress"]).status == 0)
        let sidecar = try String(contentsOfFile: scratch.path + "/a.metadata.txt", encoding: .utf8)
        #expect(sidecar.contains("data_file: a.csv\n"))
        let matching = try attrition(["verify", first])
        #expect(matching.status == 0 && matching.out.contains("matches"))
        // A new CSV beside the old metadata, as a kill between the two renames would leave it.
        try FileManager.default.removeItem(atPath: first)
        try FileManager.default.copyItem(atPath: second, toPath: first)
        let mismatched = try attrition(["verify", first])
        #expect(mismatched.status == 1)
        #expect(mismatched.err.contains("does not match"))
    }

    @Test func markdownCarriesNoLiveHTMLOrLinks() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("evil.csv", """
            case_id,reported_date,crime_type,bcu,police_outcome
            1,2023-01-01,<img src=x onerror=alert(1)>,North,16
            2,2023-01-01,[click](javascript:alert(1)),North,16
            3,2023-01-01,<script>alert(1)</script>,South,16

            """)
        let out = scratch.path + "/t.md"
        #expect(try attrition(["export", file, "--format", "md", "--out", out, "--no-suppress"]).status == 0)
        let summary = try attrition(["summary", file, "--format", "md"])
        let reasons = try attrition(["reasons", file, "--format", "md"])
        for text in [try String(contentsOfFile: out, encoding: .utf8), summary.out, reasons.out] {
            #expect(!text.contains("<img") && !text.contains("<script") && !text.contains("](javascript"), "\(text)")
            #expect(text.contains("&lt;img src=x onerror=alert\\(1\\)&gt;"))
            #expect(text.contains("\\[click\\]\\(javascript:alert\\(1\\)\\)"))
        }
    }

    @Test func escapeSequencesAndBidiOverridesInArgumentsNeverReachTheTerminal() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", HostileUseTests.cases)
        let hostile = "\u{1B}[2J\u{1B}]0;owned\u{07}\u{202E}\u{2066}\u{9B}"
        let runs = [
            try attrition(["summary", scratch.path + "/" + hostile + ".csv"]),
            try attrition(["summary", file, "--by", hostile]),
            try attrition(["summary", file, "--filter", "bcu=" + hostile]),
            try attrition(["summary", file, "--as-of", hostile]),
            try attrition(["summary", file, "--" + hostile]),
            try attrition(["export", file, "--format", "csv", "--out", scratch.path + "/" + hostile + "/x.csv"]),
            try attrition(["verify", scratch.path + "/" + hostile + ".csv"]),
        ]
        for run in runs {
            #expect(run.status != 0)
            let bad = (run.err + run.out).unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                    || (0x2066...0x2069).contains($0.value)
            }
            #expect(bad.isEmpty, "\(run.err.debugDescription)")
        }
    }

    @Test func aClosedPipeOnStandardOutputEndsTheCommandQuietly() throws {
        let scratch = TemporaryFolder()
        let errors = scratch.path + "/err.txt"
        let command = "'\(attritionExecutable.path)' sample --cases 300000 2>'\(errors)' | head -c 100 >/dev/null"
        #expect(system(command) == 0)
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "")
    }

    @Test func endlessInputIsRefusedAtOnce() throws {
        let started = Date()
        let result = try attrition(["validate", "/dev/zero"])
        #expect(result.status == 1)
        #expect(result.err == "attrition: /dev/zero is not UTF-8 text: it holds NUL bytes (a binary file, or UTF-16 or UTF-32 text without a byte-order mark: give --encoding utf-16 or utf-32)\n")
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func optionErrorsExitTwoAndAsOfIsAlwaysChecked() throws {
        let scratch = TemporaryFolder()
        let file = scratch.write("cases.csv", HostileUseTests.cases)
        for arguments in [["summary", file, "--as-of", "soon"], ["summary", file, "--mature", "x"], ["export", file, "--format", "pdf", "--out", "x"],
                          ["validate", file, "--max-distinct", "0"], ["summary", file, "--max-memory", "1"]] {
            let result = try attrition(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
        }
    }
}

/// Every command refuses an edited snapshot with "damaged" and exit status 1: none ends on a signal.
@Suite struct EditedSnapshotCommandTests {
    @Test(arguments: EditedSnapshots.edits.keys.sorted())
    func everyCommandRefusesAnEditedSnapshot(edit: String) throws {
        let scratch = TemporaryFolder()
        let path = EditedSnapshots.file(edit, in: scratch)
        for command in AnalysisView.allCases.map({ $0.descriptor.command.name }) + ["validate", "export --format csv --out -", "browse"] {
            let run = try attrition(command.split(separator: " ").map(String.init) + [path])
            #expect(run.reason == .exit && run.status == 1, "\(edit), \(command): status \(run.status)")
            #expect(run.err.contains("damaged"), "\(edit), \(command): \(run.err)")
        }
    }
}
