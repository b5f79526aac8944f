@testable import AttritionCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct ExportTests {
    private var sampleResult: ImportResult { get throws { try importBytes(SampleGenerator.bytes(SampleSpec(cases: 4000, seed: 5))) } }

    /// The fingerprint is worked out from the bytes as they are read: it must equal what the
    /// system's own sha256sum says of the file, at any chunk size.
    @Test(arguments: [1, 7, 1 << 20])
    func importFingerprintIsTheFilesSHA256(chunkSize: Int) throws {
        let folder = TemporaryFolder()
        let path = folder.file("x.csv")
        let bytes = SampleGenerator.bytes(SampleSpec(cases: 300, seed: 1))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = try #require(text.split(separator: " ").first.map(String.init))
        #expect(expected.count == 64)
        let result = try CaseImporter(fileName: path).importCases(from: CSVScanner(source: FileByteSource(path: path), chunkSize: max(chunkSize, 64)))
        #expect(result.report.sourceSHA256 == expected)
        #expect(try importBytes(bytes).report.sourceSHA256 == expected)
    }

    @Test func crc32KnownAnswer() {
        #expect(ZipArchive.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    private func small() -> DataTable {
        let rows = [TableRow([.text("A"), .count(3), .rate(0.3)]), TableRow([.text("B"), .count(10), .rate(0.5)]),
                    TableRow([.text("C"), .count(20), .rate(0.7)]), TableRow([.text("D"), .count(0), .rate(nil)]),
                    TableRow([.text("Total"), .count(33), .rate(0.6)], isTotal: true)]
        return DataTable(title: "t", notes: [], columns: [TableColumn("group", .group), TableColumn("n", .count(parts: [])),
                                                          TableColumn("rate", .derived(from: ["n"]))], rows: rows)
    }

    @Test func primaryAndSecondarySuppression() {
        let result = Suppression(threshold: 5).apply(to: small())
        let table = result.table
        #expect(result.primary == 1)
        #expect(result.secondary == 1)
        #expect(table.rows[0].cells[1] == .suppressed && table.rows[0].cells[2] == .suppressed)
        #expect(table.rows[1].cells[1] == .suppressed && table.rows[1].cells[2] == .suppressed)
        #expect(table.rows[2].cells[1] == .count(20))
        #expect(table.rows[3].cells[1] == .count(0))
        #expect(table.rows[4].cells[1] == .count(33))
    }

    @Test func twoHiddenPartsNeedNoMore() {
        var table = small()
        table.rows[1].cells[1] = .count(2)
        table.rows[4].cells[1] = .count(25)
        let result = Suppression().apply(to: table)
        let suppressed = result.table
        #expect(result.primary == 2 && result.secondary == 0)
        #expect(suppressed.rows[2].cells[1] == .count(20))
    }

    @Test func aSmallTotalIsProtectedFromItsParts() {
        var table = small()
        table.rows = [TableRow([.text("A"), .count(0), .rate(nil)]), TableRow([.text("B"), .count(3), .rate(1)]),
                      TableRow([.text("Total"), .count(3), .rate(1)], isTotal: true)]
        let result = Suppression().apply(to: table)
        let suppressed = result.table
        // Both 3s are small; with both withheld, 0 + x = y leaves each unknown.
        #expect(result.primary == 2 && result.secondary == 0)
        #expect(suppressed.rows[0].cells[1] == .count(0))
    }

    private var sampleQueries: [AnalysisQuery] {
        get throws {
            let filter = try CaseFilter.parse(["crime_type=Rape"], in: try sampleResult.table)
            return AnalysisView.allCases.flatMap { view in
                [RateBasis.all, .closed].map { basis in
                    AnalysisQuery(view: view, dimension: "bcu", columns: "victim_age_band", stage: view == .reasons ? .reported : nil,
                                  filter: filter, basis: basis)
                }
            }
        }
    }

    /// Every table's published relations hold on the figures (so the attack below uses true facts).
    @Test func everyViewsTableAddsUpAsItsColumnsSay() throws {
        let result = try sampleResult
        for query in try sampleQueries {
            let table = try query.table(of: result.table)
            let relations = PublishedArithmetic.equations(of: table, basis: query.basis)
            #expect(!relations.isEmpty || query.view.isOfOneStep, "\(query.view) has relations")
            for equation in relations {
                let values = equation.cells.map { cell -> Int? in
                    if case .count(let n) = table.rows[cell.row].cells[cell.column] { return n }
                    return nil
                }
                guard values.allSatisfy({ $0 != nil }) else { continue }
                #expect(zip(values, equation.signs).reduce(0) { $0 + $1.0! * $1.1 } == 0, "\(query.view): \(equation)")
            }
            // And the relations the code derives from the columns' roles are true of the figures too.
            let value = { (cell: CellAddress) -> Int? in
                if case .count(let n) = table.rows[cell.row].cells[cell.column] { return n }
                return nil
            }
            for sum in DisclosureRelations(table).sums {
                #expect(sum.parts.compactMap(value).reduce(0, +) == value(sum.total), "\(query.view): \(sum)")
            }
            for partial in DisclosureRelations(table).partialSums {
                #expect(partial.parts.compactMap(value).reduce(0, +) <= value(partial.total)!, "\(query.view): \(partial)")
            }
            for copies in DisclosureRelations(table).copies {
                #expect(Set(copies.map(value)).count == 1, "\(query.view): copies differ")
            }
        }
    }

    /// After suppression, an attacker who knows how the table adds up (worked out here from the
    /// column names, not from the code's own relations) cannot narrow any withheld small count to
    /// fewer than 3 whole numbers by linear programming over those equations, in any view.
    @Test func noWithheldCountCanBeWorkedBackInAnyView() throws {
        let result = try sampleResult
        var withheldSomewhere = 0
        for query in try sampleQueries {
            let table = try query.table(of: result.table)
            let applied = Suppression(threshold: 5).apply(to: table)
            let suppressed = applied.table
            withheldSomewhere += applied.primary
            let exposed = PublishedArithmetic.exposed(suppressed, original: table, equations: PublishedArithmetic.equations(of: table, basis: query.basis))
            #expect(exposed.isEmpty, "\(query.view) \(query.basis): exposed \(exposed.prefix(5))")
            #expect(applied.audit.exposed.isEmpty)
            for (row, tableRow) in suppressed.rows.enumerated() {
                for (column, cell) in tableRow.cells.enumerated() {
                    if case .count(let n) = cell { #expect(n == 0 || n >= 5, "\(query.view) row \(row) column \(column)") }
                    // A rate whose counts are withheld is withheld too.
                    if case .rate(let value?) = cell, value > 0, let numerator = PublishedArithmetic.numerator(of: column, in: table),
                       suppressed.rows[row].cells[numerator] == .suppressed {
                        Issue.record("\(query.view): rate in row \(row) column \(column) shown beside a withheld numerator")
                    }
                }
            }
        }
        #expect(withheldSomewhere > 0)
    }

    /// The export tests' file, and its SHA-256 as `printf '%s' … | sha256sum` gives it.
    private static let testText = """
        case_id,reported_date,crime_type,bcu,referred_date
        1,2023-01-01,=SUM(A1),North,
        2,2023-01-01,Rape,North,2023-02-01
        3,2023-01-01,Rape,North,

        """
    private let testTextSHA256 = "c69ab690e60c6fadbf55e976d6104ed7b346728e26a69874262dcfc0db866406"

    private func exported(_ format: ExportFormat, in folder: TemporaryFolder, name: String,
                          suppression: Suppression? = Suppression()) throws -> (paths: [String], table: DataTable) {
        let result = try importText(ExportTests.testText)
        var query = AnalysisQuery(view: .breakdown, dimension: "crime_type")
        query.filter.reportedBy = DayNumber(year: 2023, month: 6, day: 30)
        let table = try query.table(of: result.table)
        let prepared = try Exporter.prepare(table, query: query, source: result.report, suppression: suppression,
                                        created: Date(timeIntervalSince1970: 1_700_000_000))
        let paths = try Exporter.write(prepared, format: format, to: folder.file(name), overwrite: false)
        return (paths, prepared)
    }

    @Test func csvHasASidecarWithEveryMetadataField() throws {
        let folder = TemporaryFolder()
        let (paths, _) = try exported(.csv, in: folder, name: "out.csv")
        #expect(paths == [folder.file("out.csv"), folder.file("out.metadata.txt")])
        let csv = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(csv.contains("\n'=SUM(A1),"))
        let sidecar = try String(contentsOfFile: paths[1], encoding: .utf8)
        for key in ["source: test.csv", "source_sha256: \(testTextSHA256)", "rows_read: 3", "rows_accepted: 3", "rows_rejected: 0", "filters:",
                    "maturity: only cases reported on or before 2023-06-30", "definitions:", "suppression: counts of 1 to 4 withheld",
                    "tool: attrition \(ToolInfo.version)", "created: 2023-11-14T22:13:20Z"] {
            #expect(sidecar.contains(key), "\(key)")
        }
    }

    @Test func markdownHasAFrontBlockAndJSONHasMetadataFields() throws {
        let folder = TemporaryFolder()
        let md = try String(contentsOfFile: exported(.md, in: folder, name: "out.md").paths[0], encoding: .utf8)
        #expect(md.hasPrefix("---\nsource: \"test.csv\"\nsource_sha256: \"\(testTextSHA256)\"\n"))
        #expect(md.contains("| [c] |"))
        let json = try Data(contentsOf: URL(fileURLWithPath: exported(.json, in: folder, name: "out.json").paths[0]))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let metadata = try #require(object["metadata"] as? [String: String])
        #expect(metadata["source_sha256"] == testTextSHA256)
        #expect(metadata["rows_read"] == "3")
    }

    @Test func neverOverwritesUnaskedAndLeavesNoTemporaryFiles() throws {
        let folder = TemporaryFolder()
        let (paths, table) = try exported(.csv, in: folder, name: "out.csv")
        let before = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(throws: OutputError.exists(paths[0])) { try Exporter.write(table, format: .csv, to: paths[0], overwrite: false) }
        // The sidecar alone existing also stops the export, before anything is written.
        try FileManager.default.removeItem(atPath: paths[0])
        #expect(throws: OutputError.exists(paths[1])) { try Exporter.write(table, format: .csv, to: paths[0], overwrite: false) }
        #expect(!FileManager.default.fileExists(atPath: paths[0]))
        try Exporter.write(table, format: .csv, to: paths[0], overwrite: true)
        #expect(try String(contentsOfFile: paths[0], encoding: .utf8) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["out.csv", "out.metadata.txt"])
        for path in paths {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        }
    }

    /// Reads the stored (uncompressed) entries of a ZIP archive.
    private func entries(_ zip: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        var offset = 0
        func le(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 | Int(zip[at + $1]) << (8 * $1) } }
        while offset + 30 <= zip.count, le(offset, 4) == 0x0403_4b50 {
            let size = le(offset + 18, 4), nameLength = le(offset + 26, 2), extra = le(offset + 28, 2)
            let name = String(decoding: zip[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self)
            let start = offset + 30 + nameLength + extra
            result[name] = String(decoding: zip[start..<(start + size)], as: UTF8.self)
            offset = start + size
        }
        return result
    }

    @Test func xlsxHasNumericCellsFormatsAFrozenHeaderAndANotesSheet() throws {
        let folder = TemporaryFolder()
        let path = try exported(.xlsx, in: folder, name: "out.xlsx", suppression: nil).paths[0]
        let files = entries(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(Set(files.keys) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                    "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
        let data = try #require(files["xl/worksheets/sheet1.xml"])
        #expect(data.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(data.contains("<c r=\"B4\" s=\"2\"><v>3</v></c>"))
        #expect(data.contains("'=SUM(A1)"))
        #expect(data.contains("s=\"3\"><v>"))
        #expect(files["xl/styles.xml"]?.contains("formatCode=\"0.0%\"") == true)
        let notes = try #require(files["xl/worksheets/sheet2.xml"])
        #expect(notes.contains(testTextSHA256))
        for (name, xml) in files where name.hasSuffix(".xml") || name.hasSuffix(".rels") {
            let parser = XMLParser(data: Data(xml.utf8))
            #expect(parser.parse(), "\(name) is well-formed XML")
        }
    }

    /// The workbook read back by another program: openpyxl where the Python has it
    /// (ATTRITION_XLSX_PYTHON, set by .ci/run, or python3), else Python's own zipfile and XML
    /// parser reading the same facts from the parts. It always runs.
    @Test func xlsxReadsBackInAnotherProgram() throws {
        let folder = TemporaryFolder()
        let path = try exported(.xlsx, in: folder, name: "out.xlsx", suppression: nil).paths[0]
        let script = """
        import sys, warnings, zipfile, xml.etree.ElementTree as ET
        path = sys.argv[1]
        try:
            import openpyxl
        except ImportError:
            openpyxl = None
        if sys.argv[2:] == ["stdlib"]:
            openpyxl = None
        if openpyxl:
            warnings.simplefilter("error")
            book = openpyxl.load_workbook(path)
            data = book["Data"]
            assert book.sheetnames == ["Data", "Notes"], book.sheetnames
            assert data.freeze_panes == "A2", data.freeze_panes
            header = [c.value for c in data[1]]
            row = {h: c for h, c in zip(header, data[4])}
            assert row["reported"].value == 3 and isinstance(row["reported"].value, (int, float)), row["reported"].value
            assert row["reported"].number_format == "#,##0", row["reported"].number_format
            assert row["reported_to_referred_rate"].number_format == "0.0%"
            assert data["A2"].value == "'=SUM(A1)", data["A2"].value
            notes = {r[0]: r[1] for r in book["Notes"].iter_rows(values_only=True)}
            assert notes["source_sha256"] == "\(testTextSHA256)", notes
            print("openpyxl ok")
        else:
            ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None
                book = ET.fromstring(z.read("xl/workbook.xml"))
                names = [s.get("name") for s in book.find("m:sheets", ns)]
                assert names == ["Data", "Notes"], names
                sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
                pane = sheet.find("m:sheetViews/m:sheetView/m:pane", ns)
                assert pane.get("state") == "frozen" and pane.get("topLeftCell") == "A2"
                styles = ET.fromstring(z.read("xl/styles.xml"))
                formats = {"3": "#,##0", "4": "#,##0.00", "9": "0%", "10": "0.00%"}  # ECMA-376 built-in formats
                formats.update({f.get("numFmtId"): f.get("formatCode") for f in styles.find("m:numFmts", ns)})
                xfs = list(styles.find("m:cellXfs", ns))
                cells = {c.get("r"): c for c in sheet.iter("{%s}c" % ns["m"])}
                header = {c.get("r")[:-1]: "".join(c.itertext()) for r, c in cells.items() if r.endswith("1") and r[:-1].isalpha()}
                column = {v: k for k, v in header.items()}
                reported = cells[column["reported"] + "4"]
                assert reported.get("t") is None and float(reported.find("m:v", ns).text) == 3
                assert formats[xfs[int(reported.get("s"))].get("numFmtId")] == "#,##0"
                rate = cells[column["reported_to_referred_rate"] + "4"]
                assert formats[xfs[int(rate.get("s"))].get("numFmtId")] == "0.0%"
                assert "".join(cells["A2"].itertext()) == "'=SUM(A1)"
                notes = ET.fromstring(z.read("xl/worksheets/sheet2.xml"))
                assert "\(testTextSHA256)" in "".join(notes.itertext())
            print("zipfile ok")
        """
        let python = ProcessInfo.processInfo.environment["ATTRITION_XLSX_PYTHON"] ?? "python3"
        // Once as the Python finds it (openpyxl where installed), once with the standard library only.
        for mode in ["any", "stdlib"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, "-c", script, path, mode]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && text.hasSuffix("ok\n"), "\(mode): \(text)")
        }
    }
}
