@testable import AttritionCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The board layout, the board pack and its charts, read back by LibreOffice.
@Suite struct BoardExportTests {
    private var sample: ImportResult { get throws { try importBytes(SampleGenerator.bytes(SampleSpec(cases: 4000, seed: 5))) } }

    /// The breakdown as the screen shows it: plain headings, each step's rate written with the
    /// very counts of the tidy table (worked out here from its cells), one Total row.
    @Test func boardBreakdownWritesEachRateWithItsCounts() throws {
        let result = try sample
        let query = AnalysisQuery(view: .breakdown, dimension: "bcu")
        let tidy = try Exporter.prepare(try query.table(of: result.table), query: query, source: result.report, suppression: nil)
        let board = BoardLayout.table(tidy, view: .breakdown)
        #expect(Array(board.columnNames.prefix(6)) == ["BCU", "Reported", "Referred to CPS", "95% CI", "Charged", "95% CI"])
        #expect(board.rows.filter(\.isTotal).count == 1 && board.rows.count == tidy.rows.count)
        let names = tidy.columnNames
        for (row, tidyRow) in tidy.rows.enumerated() {
            guard case .count(let n) = tidyRow.cells[names.firstIndex(of: "reported_to_referred_numerator")!],
                  case .count(let d) = tidyRow.cells[names.firstIndex(of: "reported_to_referred_denominator")!] else { continue }
            let tenths = Int((Double(n) / Double(d) * 1000).rounded())
            guard case .text(let cell) = board.rows[row].cells[2] else { Issue.record("not text"); continue }
            #expect(cell.hasPrefix("\(tenths / 10).\(tenths % 10)% (\(NumberText.thousands(n))/\(NumberText.thousands(d)))"), "\(cell)")
        }
    }

    /// The funnel of all cases: its stages as rows, no second Total.
    @Test func boardFunnelHasStagesAsRows() throws {
        let result = try sample
        let query = AnalysisQuery(view: .funnel)
        let board = BoardLayout.table(try query.table(of: result.table), view: .funnel)
        #expect(board.rows.map { $0.cells[0] } == Stage.allCases.map { .text($0.title) })
        #expect(board.rows.allSatisfy { !$0.isTotal })
        #expect(board.rows[0].cells[1] == .count(4000))
    }

    /// The pack: every sheet suppressed and audited with nothing exposed, two native charts, all
    /// parts well-formed; LibreOffice (Debian's, headless) opens it, prints it to PDF and finds
    /// both charts with the funnel's figures in them.
    @Test func packIsAuditedAndLibreOfficeOpensItWithItsCharts() throws {
        let result = try sample
        let filter = try CaseFilter.parse(["crime_type=Rape"], in: result.table)
        let folder = TemporaryFolder()
        let path = folder.file("pack.xlsx")
        let (sheets, notes) = try BoardPack.sheets(of: result.table, base: AnalysisQuery(view: .funnel, filter: filter), source: result.report,
                                                   suppression: Suppression())
        #expect(sheets.map(\.name) == ["Funnel", "By BCU", "By crime type", "Reasons", "Timing", "Scorecard"])
        try Data(XLSXWriter.workbook(sheets: sheets, notes: notes)).write(to: URL(fileURLWithPath: path))
        let audits = notes.filter { $0.0 == "disclosure_audit" }.map(\.1)
        #expect(audits.count == sheets.count)
        #expect(audits.allSatisfy { $0.contains("no withheld small count can be narrowed") }, "\(audits)")
        #expect(sheets.contains { sheet in sheet.table.rows.contains { row in row.cells.contains(DataCell.suppressed) } })

        let files: [String: String] = try zipTexts(path)
        #expect(files.keys.filter { $0.hasPrefix("xl/charts/") }.sorted() == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"])
        for (name, xml) in files where name.hasSuffix(".xml") || name.hasSuffix(".rels") {
            #expect(XMLParser(data: Data(xml.utf8)).parse(), "\(name) is well-formed XML")
        }

        let soffice = ProcessInfo.processInfo.environment["ATTRITION_SOFFICE"] ?? "soffice"
        let profile = "-env:UserInstallation=file://" + folder.file("profile")
        for format in ["pdf", "ods"] {
            let status = try run(soffice, [profile, "--headless", "--convert-to", format, "--outdir", folder.path, path])
            #expect(status == 0, "LibreOffice (Debian's libreoffice-calc-nogui; bash .ci/run installs it) converts to \(format)")
        }
        let pdf = try Data(contentsOf: URL(fileURLWithPath: folder.file("pack.pdf")))
        #expect(pdf.starts(with: Array("%PDF".utf8)) && pdf.count > 10_000)
        // LibreOffice's own spreadsheet holds each chart it read as an embedded object with its data.
        let ods: [String: String] = try zipTexts(folder.file("pack.ods"))
        let charts = ods.filter { $0.key.hasSuffix("/content.xml") && $0.value.contains("<chart:chart") }
        #expect(charts.count == 2, "\(ods.keys.sorted())")
        let funnel = sheets[0].table
        guard case .count(let reported) = funnel.rows[0].cells[1] else { Issue.record("no reported count"); return }
        #expect(charts.values.contains { $0.contains("office:value=\"\(reported)\"") }, "the funnel chart holds \(reported)")
    }

    private func run(_ command: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The SVG charts: well-formed XML holding the table's own figures.
@Suite struct SVGChartTests {
    /// The text of every `<text class="value">` element of an SVG document, in order.
    final class ValueTexts: NSObject, XMLParserDelegate {
        var values: [String] = []
        private var inValue = false
        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            inValue = element == "text" && attributes["class"] == "value"
            if inValue { values.append("") }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { values[values.count - 1] += string } }
        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) { inValue = false }
    }

    private func chart(_ view: AnalysisView, suppression: Suppression?) throws -> (svg: String, values: [String], published: DataTable) {
        let result = try importBytes(SampleGenerator.bytes(SampleSpec(cases: 4000, seed: 5)))
        let filter = try CaseFilter.parse(["crime_type=Rape"], in: result.table)
        let query = AnalysisQuery(view: view, dimension: "bcu", filter: filter)
        let analysis = try query.analysis(of: result.table)
        let published = try Exporter.prepare(AnalysisTables.table(analysis, query: query), query: query, source: result.report,
                                             suppression: suppression)
        let svg = try SVGChart.render(published, analysis: analysis, query: query)
        let parser = XMLParser(data: Data(svg.utf8))
        let reader = ValueTexts()
        parser.delegate = reader
        #expect(parser.parse(), "\(view): well-formed")
        return (svg, reader.values, published)
    }

    /// The breakdown's bars are labelled with each group's rate and counts exactly as the board
    /// table writes them, withheld groups as [c]; the title, axis, filter and source are in it.
    @Test func breakdownHoldsTheTablesFigures() throws {
        let (svg, values, published) = try chart(.breakdown, suppression: Suppression())
        let board = BoardLayout.table(published, view: .breakdown)
        let expected = board.rows.filter { !$0.isTotal }.map { row -> String in
            if case .text(let text) = row.cells[2] { return text }
            return "[c]"
        }
        #expect(values == expected)
        #expect(values.contains("[c]"))
        for part in ["Reported → Referred to CPS, by BCU", "Filters: crime_type = Rape", "Source: test.csv", "Step rate", "0%"] {
            #expect(svg.contains(part), "\(part)")
        }
    }

    /// The funnel's bars carry the stage counts; the funnel plot a point per shown group.
    @Test func funnelAndFunnelPlotHoldTheirFigures() throws {
        let funnel = try chart(.funnel, suppression: nil)
        let counts = Stage.allCases.compactMap { stage -> String? in
            guard case .count(let n) = funnel.published.rows[0].cells[funnel.published.columnNames.firstIndex(of: stage.name)!] else { return nil }
            return NumberText.thousands(n)
        }
        #expect(funnel.values.map { String($0.prefix { $0 != " " }) } == counts)
        #expect(funnel.svg.contains("NOT FOR PUBLICATION"))
        let plot = try chart(.compare, suppression: Suppression())
        let shown = plot.published.rows.filter { if case .rate(_?) = $0.cells[3] { true } else { false } }
        #expect(plot.values == shown.map { if case .text(let name) = $0.cells[0] { name } else { "" } })
        #expect(plot.svg.contains("<polyline") && plot.svg.contains("99.8% limits"))
        #expect(throws: QueryError.self) { try SVGChart.render(plot.published, analysis: .funnel(try FunnelAnalysis.funnel(
            of: importBytes(SampleGenerator.bytes(SampleSpec(cases: 10, seed: 1))).table, by: nil)), query: AnalysisQuery(view: .reasons)) }
    }
}
