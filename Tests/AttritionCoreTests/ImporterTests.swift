import AttritionCore
import Foundation
import Testing

@Suite struct ImporterTests {
    @Test func everyRejectionReasonWithItsLine() throws {
        let text = """
        case_id,reported_date,crime_type,bcu
        C1,2023-01-01,Rape,North
        ,2023-01-01,Rape,North
        C3,,Rape,North
        C4,2023-02-30,Rape,North
        C5,2023-01-01,,North
        C1,2023-01-02,Rape,North
        C7,2023-01-01,Rape
        C8,"2023-01-01",Rape,"North"x
        C9,2023-01-01,Rape,"North

        """
        let result = try importText(text)
        let report = result.report
        #expect(report.rows == 9)
        #expect(report.accepted == 1)
        #expect(report.rows == report.accepted + report.rejected)
        let byLine = Dictionary(uniqueKeysWithValues: report.rejections.map { ($0.line, $0.reason) })
        #expect(byLine[3] == "missing case_id")
        #expect(byLine[4] == "missing reported_date")
        #expect(byLine[5] == "reported_date '2023-02-30' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")
        #expect(byLine[6] == "missing crime_type")
        #expect(byLine[7] == "duplicate case_id 'C1' (first seen on line 2)")
        #expect(byLine[8] == "has 3 fields, the header has 4")
        #expect(byLine[9] == "malformed quoting in field 4: text follows the closing quote")
        #expect(byLine[10] == "unterminated quote: a quoted field is still open at the end of the file")
    }

    /// One stray quote that a later quote closes: only its line is lost, at every chunk size, and
    /// the rejects file holds that line's exact bytes.
    @Test func aStrayQuoteCostsOnlyItsOwnLine() throws {
        let lines = ["case_id,reported_date,crime_type,bcu\n", "1,2023-01-01,Rape,\"North\n"]
            + (2...300).map { "\($0),2023-01-02,Rape,South\n" } + ["301,2023-01-04,Rape,\"South\"\n", "302,2023-01-05,Stalking,North\n"]
        let text = lines.joined()
        for chunk in [1, 3, 64, 1 << 20] {
            let rejects = CollectingRejects()
            let result = try importText(text, chunkSize: chunk, rejectSink: rejects)
            #expect(result.report.rows == 302, "chunk \(chunk)")
            #expect(result.report.accepted == 301, "chunk \(chunk)")
            #expect(result.report.rejections == [Rejection(line: 2, reason: "a quote opened on this line is closed only on line 302; "
                + "this line alone is rejected and the 300 lines after it are read as rows of their own")], "chunk \(chunk)")
            #expect(String(decoding: rejects.bytes, as: UTF8.self) == lines[0] + lines[1], "chunk \(chunk)")
            #expect(result.table.sourceLines.first == 3 && result.table.sourceLines.last == 303)
        }
    }

    /// A real multi-line field in a row with the wrong field count stays one rejected record:
    /// the lines inside it do not read as rows.
    @Test func aMultiLineFieldIsNotTakenForAStrayQuote() throws {
        let text = "case_id,reported_date,crime_type,bcu\n1,2023-01-01,\"Rape\nand more\nstill\",North,extra\n2,2023-01-02,Rape,North\n"
        let result = try importText(text)
        #expect(result.report.rows == 2 && result.report.accepted == 1)
        #expect(result.report.rejections == [Rejection(line: 2, reason: "has 5 fields, the header has 4")])
    }

    @Test func severalProblemsInOneRowAreAllNamed() throws {
        let result = try importText("case_id,reported_date,crime_type,bcu\n,,,North\n")
        #expect(result.report.rejections == [Rejection(line: 2, reason: "missing case_id; missing reported_date; missing crime_type")])
    }

    @Test func everyWarningReasonWithItsLineAndField() throws {
        let rows = [
            "W1,2023-01-10,Rape,North,,X,23,,maybe,,Y,2023-01-05,,,,,,",
            "W2,2023-01-10,Rape,North,,F,130,,N,,sometimes,,2023-02-30,,,99,won,",
            "W3,2023-01-10,Rape,North,,M,old,,,,,,,,,,discontinued,0",
        ]
        let result = try importText(([fullHeader] + rows).joined(separator: "\n") + "\n")
        #expect(result.report.accepted == 3)
        let warnings = result.report.warnings.map { "\($0.line) \($0.field): \($0.reason)" }
        #expect(warnings == [
            "2 referred_date: 2023-01-05 is before reported_date 2023-01-10",
            "2 victim_sex: 'X' is not Female, Male or Other; treated as Unknown",
            "2 victim_disability: 'maybe' is not Yes/No/Y/N/true/false; treated as Unknown",
            "3 charged_date: '2023-02-30' is not a date (expected YYYY-MM-DD or DD/MM/YYYY); treated as not given",
            "3 police_outcome: '99' is not a Home Office outcome code (1 to 22) or name; treated as not given",
            "3 court_outcome: 'won' is not one of convicted, acquitted, discontinued, other",
            "3 victim_age: 130 is outside 0 to 120; treated as Unknown",
            "3 repeat_victim: 'sometimes' is not Yes/No/Y/N/true/false; treated as Unknown",
            "4 court_outcome: discontinued but no charge is recorded (no charged_date, police_outcome 1 or court stage)",
            "4 count: '0' is not a whole number of at least 1; counted as 1",
            "4 victim_age: 'old' is neither an age (0 to 120) nor an age band such as 18-24; treated as Unknown",
        ])
        let sex = try #require(result.table.dimension(named: "victim_sex"))
        #expect(sex.labels[Int(sex.codes[0])] == "Unknown")
        #expect(sex.labels[Int(sex.codes[1])] == "Female")
    }

    @Test func rejectedRowsAreWrittenByteForByte() throws {
        let header = "case_id,reported_date,crime_type,bcu\r\n"
        let bad1 = "B1,not a date,Rape,North\r\n"
        let bad2 = "\"B2\",2023-01-01,\"Rape\",\"two\r\nlines\",extra\r\n"
        let good = "G1,2023-01-01,Rape,North\r\n"
        let rejects = CollectingRejects()
        let result = try importText(header + good + bad1 + bad2 + good.replacingOccurrences(of: "G1", with: "G2"),
                                    chunkSize: 5, rejectSink: rejects)
        #expect(result.report.rejections.map(\.line) == [3, 4])
        #expect(String(decoding: rejects.bytes, as: UTF8.self) == header + bad1 + bad2)
    }

    @Test func rejectsFileIsWrittenAndNeverReplacedUnasked() throws {
        let folder = TemporaryFolder()
        let input = folder.file("in.csv"), out = folder.file("rejects.csv")
        try "case_id,reported_date,crime_type,bcu\nX,bad,Rape,North\nY,2023-01-01,Rape,North".write(toFile: input, atomically: true, encoding: .utf8)
        let sink = try RejectsFile(path: out, overwrite: false)
        var importer = CaseImporter(fileName: input)
        importer.rejectSink = sink
        _ = try importer.importFile(atPath: input)
        try sink.commit()
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "case_id,reported_date,crime_type,bcu\nX,bad,Rape,North\n")
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: OutputError.exists(out)) { try RejectsFile(path: out, overwrite: false) }
        let replacement = try RejectsFile(path: out, overwrite: true)
        try replacement.commit()
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["in.csv", "rejects.csv"])
    }

    @Test func missingRequiredColumnIsOneClearError() throws {
        #expect(throws: ImportError.missingColumn(file: "test.csv", column: "crime_type", header: ["case_id", "reported_date", "bcu"])) {
            try importText("case_id,reported_date,bcu\n1,2023-01-01,North\n")
        }
        #expect(throws: ImportError.missingColumn(file: "test.csv", column: "bcu' or 'borough", header: ["case_id", "reported_date", "crime_type"])) {
            try importText("case_id,reported_date,crime_type\n1,2023-01-01,Rape\n")
        }
        #expect(throws: ImportError.duplicateColumn(file: "test.csv", column: "BCU", positions: [4, 5])) {
            try importText("case_id,reported_date,crime_type,bcu,BCU\n")
        }
        #expect(throws: ImportError.empty(file: "test.csv")) { try importText("") }
        let error = ImportError.missingColumn(file: "cases.csv", column: "crime_type", header: ["case_id"])
        #expect(error.description == "cases.csv, line 1: missing required column 'crime_type' (the header has 'case_id'); "
            + "if the file names it differently, map it: attrition map cases.csv > attrition.toml")
    }

    @Test func unreadableFileNamesTheFile() {
        #expect(throws: ImportError.unreadable(file: "/no/such/file.csv", reason: "No such file or directory")) {
            try CaseImporter(fileName: "/no/such/file.csv").importFile(atPath: "/no/such/file.csv")
        }
    }

    @Test func categoriesAreTrimmedGroupedIgnoringCaseAndShownAsFirstSeen() throws {
        let text = "case_id,reported_date,crime_type,bcu\n1,2023-01-01,  Rape ,North\n2,2023-01-01,RAPE,north\n3,2023-01-01,rape,\n"
        let table = try importText(text).table
        let crime = try #require(table.dimension(named: "crime_type"))
        #expect(crime.labels == ["Rape"])
        let bcu = try #require(table.dimension(named: "BCU"))
        #expect(bcu.labels == ["North", "Unknown"])
        #expect(bcu.codes.values == [0, 0, 1])
    }

    @Test func boroughGivesBcuWhenBcuIsBlank() throws {
        let text = """
        case_id,reported_date,crime_type,bcu,borough
        1,2023-01-01,Rape,,Kensington & Chelsea
        2,2023-01-01,Rape,,KINGSTON UPON THAMES
        3,2023-01-01,Rape,North West,Camden
        4,2023-01-01,Rape,,Leeds
        5,2023-01-01,Rape,,kensington and chelsea
        """
        let table = try importText(text).table
        let bcu = try #require(table.dimension(named: "bcu"))
        let borough = try #require(table.dimension(named: "borough"))
        #expect(table.rowLabels(bcu) == ["Central West", "South West", "North West", "Unknown", "Central West"])
        #expect(table.rowLabels(borough) == ["Kensington and Chelsea", "Kingston upon Thames", "Camden", "Leeds", "Kensington and Chelsea"])
    }

    @Test func ageBandsFromAgesAndFromBands() throws {
        let ages = ["0", "17", "18", "24", "25", "34", "35", "44", "45", "54", "55", "64", "65", "120", "18-24", "16 – 17", "under 18", "", "Unknown"]
        let rows = ages.enumerated().map { "\($0.offset),2023-01-01,Rape,North,\($0.element)" }
        let table = try importText((["case_id,reported_date,crime_type,bcu,victim_age"] + rows).joined(separator: "\n")).table
        let band = try #require(table.dimension(named: "victim_age_band"))
        #expect(table.rowLabels(band) == ["Under 18", "Under 18", "18-24", "18-24", "25-34", "25-34", "35-44", "35-44", "45-54",
                                          "45-54", "55-64", "55-64", "65+", "65+", "18-24", "16-17", "Under 18", "Unknown", "Unknown"])
        #expect(band.labels == ["Under 18", "16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "Unknown"])
    }

    @Test func reportPeriodsAreDerivedInTimeOrder() throws {
        let text = "case_id,reported_date,crime_type,bcu\n1,2024-01-15,Rape,N\n2,30/06/2023,Rape,N\n3,1/4/2023,Rape,N\n4,2023-12-31,Rape,N\n"
        let table = try importText(text).table
        #expect(table.dimension(named: "reported_year")?.labels == ["2023", "2024"])
        #expect(table.dimension(named: "reported_quarter")?.labels == ["2023-Q2", "2023-Q4", "2024-Q1"])
        #expect(table.dimension(named: "reported_month")?.labels == ["2023-04", "2023-06", "2023-12", "2024-01"])
        #expect(table.rowLabels(table.dimension(named: "reported_quarter")!) == ["2024-Q1", "2023-Q2", "2023-Q2", "2023-Q4"])
    }

    @Test func extraColumnsBecomeDimensions() throws {
        let text = "case_id,reported_date,crime_type,bcu,Team,reported_year\n1,2023-01-01,Rape,N,A,x\n2,2023-01-01,Rape,N,b,y\n"
        let result = try importText(text)
        #expect(result.report.extraDimensions == ["Team", "reported_year_extra"])
        #expect(result.table.dimension(named: "team")?.labels == ["A", "b"])
        #expect(result.table.dimension(named: "reported_year")?.labels == ["2023"])
    }

    @Test func countColumnWeightsCases() throws {
        let text = "case_id,reported_date,crime_type,bcu,count\n1,2023-01-01,Rape,N,5\n2,2023-01-01,Rape,N,\n"
        let table = try importText(text).table
        #expect(table.weights.values == [5, 1])
        #expect(table.caseCount == 6)
    }

    @Test func invalidUTF8IsWarnedAboutNotFatal() throws {
        var bytes = Array("case_id,reported_date,crime_type,bcu\n1,2023-01-01,Rape,".utf8)
        bytes += [0x4E, 0xFF, 0x0A]
        let result = try importBytes(bytes)
        #expect(result.report.accepted == 1)
        #expect(result.report.warnings == [ImportWarning(line: 2, field: "bcu", reason: "not valid UTF-8; shown with U+FFFD")])
        #expect(result.table.dimension(named: "bcu")?.labels == ["N\u{FFFD}"])
    }

    @Test func controlCharactersNeverReachLabels() throws {
        let text = "case_id,reported_date,crime_type,bcu\n1,2023-01-01,\"Rape\u{1B}[31m\",\"North\nWest\"\n"
        let table = try importText(text).table
        #expect(table.dimension(named: "crime_type")?.labels == ["Rape\u{FFFD}[31m"])
        #expect(table.dimension(named: "bcu")?.labels == ["North West"])
    }

    @Test func stagesTheFileCannotSpeakToAreNamed() throws {
        let result = try importText("case_id,reported_date,crime_type,bcu,charged_date\n1,2023-01-01,Rape,N,2023-02-01\n")
        #expect(result.report.unavailableStages == [.referred, .prosecuted, .convicted])
        #expect(result.table.availableStages == [.reported, .charged])
    }
}

extension CaseTable {
    /// Each row's group label in `column`.
    func rowLabels(_ column: DimensionColumn) -> [String] { column.codes.map { column.labels[Int($0)] } }
}

/// Memory follows what is kept: limits on distinct values, listed problems, columns, record size,
/// memory, and files that are not text.
@Suite struct ImportLimitTests {
    private func importing(_ text: String, limits: ImportLimits, rejectSink: RejectSink? = nil) throws -> ImportResult {
        var importer = CaseImporter(fileName: "test.csv")
        importer.limits = limits
        importer.rejectSink = rejectSink
        return try importer.importCases(from: CSVScanner(source: MemoryByteSource(text)))
    }

    @Test func anExtraColumnWithTooManyDistinctValuesIsLeftOutWithAWarning() throws {
        let rows = (1...30).map { "\($0),2023-01-01,Rape,North,ref-\($0),\($0 % 3)" }
        let result = try importing((["case_id,reported_date,crime_type,bcu,reference,group"] + rows).joined(separator: "\n") + "\n",
                                   limits: ImportLimits(maxDistinct: 10))
        #expect(result.report.accepted == 30)
        #expect(result.report.droppedColumns == ["reference"])
        #expect(result.table.dimension(named: "reference") == nil)
        #expect(result.table.dimension(named: "group")?.labels == ["0", "1", "2"])
        #expect(result.report.extraDimensions == ["group"])
        // Unknown and the first nine references make ten groups; the eleventh group is the tenth reference, on line 11.
        #expect(result.report.warnings.map(\.line) == [11] && result.report.warnings.first?.field == "reference")
    }

    @Test func aCountBeyondItsLimitIsToldTheLimit() throws {
        let result = try importing("case_id,reported_date,crime_type,bcu,count\n1,2023-01-01,Rape,North,1000000000\n2,2023-01-01,Rape,North,x\n",
                                   limits: ImportLimits())
        #expect(result.report.warnings.map(\.reason) == [
            "'1000000000' is more than 999,999,999, the most cases one row may stand for; counted as 1",
            "'x' is not a whole number of at least 1; counted as 1",
        ])
        #expect(result.table.caseCount == 2)
    }

    @Test func problemsPastTheListedLimitAreCountedAndEveryRejectedRowIsWrittenOut() throws {
        let rows = (1...20).map { "\($0),not a date,Rape,North" }
        let sink = CollectingRejects()
        let result = try importing((["case_id,reported_date,crime_type,bcu"] + rows).joined(separator: "\n") + "\n",
                                   limits: ImportLimits(listed: 5), rejectSink: sink)
        #expect(result.report.rejected == 20)
        #expect(result.report.rejections.map(\.line) == [2, 3, 4, 5, 6])
        #expect(result.report.unlisted == 15)
        #expect(String(decoding: sink.bytes, as: UTF8.self).split(separator: "\n").count == 21)
        #expect(ValidationFormat.text.render(result.report).contains("… and 15 more"))
    }

    @Test func aHeaderWiderThanTheLimitIsOneClearError() {
        let header = "case_id,reported_date,crime_type,bcu," + (1...ImportLimits.maxColumns).map { "c\($0)" }.joined(separator: ",")
        #expect(throws: ImportError.tooManyColumns(file: "test.csv", count: ImportLimits.maxColumns + 4)) {
            try importing(header + "\n", limits: ImportLimits())
        }
    }

    @Test func aFileWithNULBytesIsNotTakenForText() {
        var bytes = Array("case_id,reported_date,crime_type,bcu\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        bytes.insert(contentsOf: [0xFF, 0xFE], at: 0)
        #expect(throws: ImportError.notText(file: "test.csv")) {
            try CaseImporter(fileName: "test.csv").importCases(from: CSVScanner(source: MemoryByteSource(bytes)))
        }
    }

    @Test func aLineLongerThanTheLimitIsRejectedAndSkippedToItsEnd() throws {
        let long = "2," + String(repeating: "x", count: ImportLimits.maxRecordBytes + 10) + ",Rape,North\n"
        let text = "case_id,reported_date,crime_type,bcu\n1,2023-01-01,Rape,North\n" + long + "3,2023-01-03,Rape,South\n"
        let sink = CollectingRejects()
        let result = try importing(text, limits: ImportLimits(), rejectSink: sink)
        #expect(result.report.rows == 3 && result.report.accepted == 2)
        #expect(result.report.rejections.map(\.line) == [3])
        #expect(result.report.rejections.first?.reason.contains("runs past 16 MiB") == true)
        #expect(result.table.sourceLines == [2, 4])
        // The line is not kept, so only the header reaches the rejects file.
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "case_id,reported_date,crime_type,bcu\n")
    }

    @Test func anImportThatWouldPassTheMemoryLimitStopsWithAMessage() {
        let rows = (1...70_000).map { "\($0),2023-01-01,Rape,North" }
        let text = (["case_id,reported_date,crime_type,bcu"] + rows).joined(separator: "\n") + "\n"
        #expect {
            try importing(text, limits: ImportLimits(maxMemory: 1 << 20))
        } throws: { error in
            guard case let .memoryLimit(_, rows, bytes, limit)? = error as? ImportError else { return false }
            return rows == 65_536 && bytes > limit && limit == 1 << 20
        }
    }
}

@Suite struct OutcomeDateTests {
    /// `outcome_date` is read, warned about when before the report, and counts towards the as-of date.
    @Test func outcomeDateIsReadWarnedAboutAndSetsTheAsOfDate() throws {
        let text = """
        case_id,reported_date,crime_type,borough,police_outcome,outcome_date
        A,2023-01-10,Rape,Camden,16,2023-05-02
        B,2023-02-10,Rape,Camden,16,2023-01-31
        C,2023-03-10,Rape,Camden,,
        D,2023-03-11,Rape,Camden,14,soon
        """
        let result = try importText(text)
        #expect(result.table.rowCount == 4)
        #expect(result.table.outcomeDate(ofRow: 0)?.iso == "2023-05-02")
        #expect(result.table.outcomeDate(ofRow: 2) == nil)
        #expect(result.table.outcomeDate(ofRow: 3) == nil)
        #expect(result.report.warnings.map { [String($0.line), $0.field] } == [["3", "outcome_date"], ["5", "outcome_date"]])
        #expect(result.report.warnings[0].reason.contains("before reported_date 2023-02-10"))
        #expect(result.table.latestDate?.iso == "2023-05-02")
    }
}
