import Foundation

/// One sheet of a workbook: a table, and optionally a bar chart of two of its columns.
public struct WorkbookSheet: Sendable {
    /// The sheet's name (at most 31 characters, as Excel allows).
    public let name: String
    /// Its table.
    public let table: DataTable
    /// A native bar chart drawn beside the table.
    public let chart: BarChart?

    /// A sheet called `name` holding `table`, with `chart` if given.
    public init(name: String, table: DataTable, chart: BarChart? = nil) {
        self.name = String(name.prefix(31))
        self.table = table
        self.chart = chart
    }
}

/// A native (DrawingML) horizontal bar chart of a sheet's rows: labels from one column, bar
/// lengths from a numeric one; a blank value leaves a gap, never a zero.
public struct BarChart: Sendable {
    /// The chart's title.
    public let title: String
    /// The column of the bars' labels.
    public let labels: Int
    /// The column of their values.
    public let values: Int
    /// The value axis's title.
    public let axisTitle: String
    /// Whether the values are proportions (shown as percentages).
    public let percent: Bool
    /// The table rows charted (a total row is usually left out).
    public let rows: [Int]

    /// A chart titled `title` of `rows`' `values` column against their `labels` column.
    public init(title: String, labels: Int, values: Int, axisTitle: String, percent: Bool, rows: [Int]) {
        self.title = title
        self.labels = labels
        self.values = values
        self.axisTitle = axisTitle
        self.percent = percent
        self.rows = rows
    }
}

/// Writes data tables as an Office Open XML workbook (.xlsx): data sheets with real numeric
/// cells, percentage and thousands formats, a frozen header row and any native bar chart, and a
/// notes sheet with the titles, notes and metadata. Strings are inline; text that a spreadsheet
/// could read as a formula is neutralised as in CSV.
public enum XLSXWriter {
    /// The workbook of one table: a Data sheet and its notes.
    public static func workbook(_ table: DataTable) -> [UInt8] {
        workbook(sheets: [WorkbookSheet(name: "Data", table: table)], notes: [("Title", table.title)] + table.notes.map { ("Note", $0) } + table.metadata)
    }

    /// The workbook of `sheets`, then a Notes sheet of `notes` (heading, text).
    public static func workbook(sheets: [WorkbookSheet], notes: [(String, String)]) -> [UInt8] {
        var zip = ZipArchive()
        let names = sheets.map(\.name) + ["Notes"]
        let charted = sheets.indices.filter { sheets[$0].chart != nil }
        zip.add("[Content_Types].xml", Array(contentTypes(sheets: names.count, charts: charted.count).utf8))
        zip.add("_rels/.rels", Array(rootRelationships.utf8))
        zip.add("xl/workbook.xml", Array(workbookXML(names).utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(workbookRelationships(sheets: names.count).utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        for (index, sheet) in sheets.enumerated() {
            let chartNumber = charted.firstIndex(of: index).map { $0 + 1 }
            zip.add("xl/worksheets/sheet\(index + 1).xml", Array(dataSheet(sheet.table, drawing: chartNumber != nil).utf8))
            if let chartNumber, let chart = sheet.chart {
                zip.add("xl/worksheets/_rels/sheet\(index + 1).xml.rels", Array(relationships([(
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing", "../drawings/drawing\(chartNumber).xml")]).utf8))
                zip.add("xl/drawings/drawing\(chartNumber).xml", Array(drawing(below: sheet.table.rows.count + 2).utf8))
                zip.add("xl/drawings/_rels/drawing\(chartNumber).xml.rels", Array(relationships([(
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart", "../charts/chart\(chartNumber).xml")]).utf8))
                zip.add("xl/charts/chart\(chartNumber).xml", Array(chartXML(chart, sheet: sheet).utf8))
            }
        }
        zip.add("xl/worksheets/sheet\(names.count).xml", Array(notesSheet(notes).utf8))
        return zip.finished()
    }

    // Style indices in styles.xml: 0 plain, 1 bold header, 2 #,##0, 3 0.0%, 4 0.0, 5 0.00, 6 text aligned right (a figure written as text).
    private enum Style: Int { case plain = 0, header, count, percent, days, ratio, figureText }

    private static func dataSheet(_ table: DataTable, drawing: Bool) -> String {
        let names = table.columnNames
        var rows = [row(1, names.enumerated().map { inlineString(column: $0.offset, row: 1, $0.element, style: .header) })]
        for (index, tableRow) in table.rows.enumerated() {
            let number = index + 2
            rows.append(row(number, tableRow.cells.enumerated().map { column, value in
                if case .derived = table.columns[column].role, case .text(let text) = value {
                    return inlineString(column: column, row: number, text, style: .figureText)
                }
                return cell(column: column, row: number, value)
            }))
        }
        let widths = names.indices.map { column -> Int in
            let longest = ([names[column]] + table.rows.map { text(of: $0.cells[column]) }).map(\.count).max() ?? 8
            return min(max(longest + 2, 8), 60)
        }
        let columns = widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }
        return sheet(views: """
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>
            """, columns: "<cols>" + columns.joined() + "</cols>", rows: rows, drawing: drawing)
    }

    private static func notesSheet(_ lines: [(String, String)]) -> String {
        let rows = lines.enumerated().map { index, line in
            row(index + 1, [inlineString(column: 0, row: index + 1, line.0, style: .header),
                            inlineString(column: 1, row: index + 1, line.1, style: .plain)])
        }
        return sheet(views: "", columns: "<cols><col min=\"1\" max=\"1\" width=\"24\" customWidth=\"1\"/><col min=\"2\" max=\"2\" width=\"110\" customWidth=\"1\"/></cols>", rows: rows, drawing: false)
    }

    private static func sheet(views: String, columns: String, rows: [String], drawing: Bool) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\(views)\(columns)<sheetData>\(rows.joined())</sheetData>\
        \(drawing ? "<drawing r:id=\"rId1\"/>" : "")</worksheet>
        """
    }

    /// A drawing anchoring the sheet's chart below its table, from row `below`.
    private static func drawing(below: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>\
        <xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>\(below)</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>\
        <xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>\(below + 22)</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>\
        <xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>\
        <xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>\
        <a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">\
        <c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>\
        </a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>
        """
    }

    /// The chart part: a clustered horizontal bar chart referring to the sheet's cells, with
    /// their values cached for readers that do not recalculate.
    private static func chartXML(_ chart: BarChart, sheet: WorkbookSheet) -> String {
        let quoted = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
        let range = { (column: Int) -> String in
            let rows = chart.rows.map { $0 + 2 }
            let first = reference(column, rows.first ?? 2), last = reference(column, rows.last ?? 2)
            return XMLText.escaped("\(quoted)!$\(first.filter(\.isLetter))$\(first.filter(\.isNumber)):$\(last.filter(\.isLetter))$\(last.filter(\.isNumber))")
        }
        let labels = chart.rows.enumerated().map { index, row in
            "<c:pt idx=\"\(index)\"><c:v>\(XMLText.escaped(text(of: sheet.table.rows[row].cells[chart.labels])))</c:v></c:pt>"
        }
        let values = chart.rows.enumerated().compactMap { index, row -> String? in
            switch sheet.table.rows[row].cells[chart.values] {
            case .count(let n): "<c:pt idx=\"\(index)\"><c:v>\(n)</c:v></c:pt>"
            case .rate(let value?), .ratio(let value?) where value.isFinite: "<c:pt idx=\"\(index)\"><c:v>\(value)</c:v></c:pt>"
            default: nil
            }
        }
        let format = chart.percent ? "0%" : "#,##0"
        let rich = { (words: String) in
            "<c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>\(XMLText.escaped(words))</a:t></a:r></a:p></c:rich></c:tx>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" \
            xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:chart>\
            <c:title>\(rich(chart.title))<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>\
            <c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>\
            <c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>\(XMLText.escaped(chart.axisTitle))</c:v></c:tx>\
            <c:spPr><a:solidFill><a:srgbClr val="1F4E79"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>\
            <c:cat><c:strRef><c:f>\(range(chart.labels))</c:f><c:strCache><c:ptCount val="\(chart.rows.count)"/>\(labels.joined())</c:strCache></c:strRef></c:cat>\
            <c:val><c:numRef><c:f>\(range(chart.values))</c:f><c:numCache><c:formatCode>\(format)</c:formatCode>\
            <c:ptCount val="\(chart.rows.count)"/>\(values.joined())</c:numCache></c:numRef></c:val></c:ser>\
            <c:gapWidth val="60"/><c:axId val="1"/><c:axId val="2"/></c:barChart>\
            <c:catAx><c:axId val="1"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>\
            <c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="2"/><c:crosses val="autoZero"/>\
            <c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>\
            <c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="t"/>\
            <c:majorGridlines/><c:title>\(rich(chart.axisTitle))<c:overlay val="0"/></c:title><c:numFmt formatCode="\(format)" sourceLinked="0"/>\
            <c:tickLblPos val="nextTo"/><c:crossAx val="1"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>\
            </c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>
            """
    }

    private static func row(_ number: Int, _ cells: [String]) -> String { "<row r=\"\(number)\">\(cells.joined())</row>" }

    private static func cell(column: Int, row: Int, _ value: DataCell) -> String {
        switch value {
        case .text(let text): return inlineString(column: column, row: row, text, style: .plain)
        case .count(let n): return number(column: column, row: row, String(n), style: .count)
        case .rate(let value): return value.map { number(column: column, row: row, decimal($0), style: .percent) } ?? empty(column, row)
        case .days(let value): return value.map { number(column: column, row: row, decimal($0), style: .days) } ?? empty(column, row)
        case .ratio(let value?) where value.isInfinite: return inlineString(column: column, row: row, "∞", style: .plain)
        case .ratio(let value): return value.map { number(column: column, row: row, decimal($0), style: .ratio) } ?? empty(column, row)
        case .suppressed: return inlineString(column: column, row: row, "[c]", style: .plain)
        case .notRecorded: return empty(column, row)
        }
    }

    private static func text(of cell: DataCell) -> String {
        if case .text(let text) = cell { return text }
        return "0,000,000.0"
    }

    private static func reference(_ column: Int, _ row: Int) -> String {
        var name = ""
        var index = column + 1
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return "\(name)\(row)"
    }

    private static func empty(_ column: Int, _ row: Int) -> String { "<c r=\"\(reference(column, row))\"/>" }

    private static func decimal(_ value: Double) -> String { value.isFinite ? String(value) : "0" }

    private static func number(column: Int, row: Int, _ value: String, style: Style) -> String {
        "<c r=\"\(reference(column, row))\" s=\"\(style.rawValue)\"><v>\(value)</v></c>"
    }

    private static func inlineString(column: Int, row: Int, _ text: String, style: Style) -> String {
        var value = DisplayText.sanitized(text)
        if let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { value = "'" + value }
        return "<c r=\"\(reference(column, row))\" s=\"\(style.rawValue)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escaped(value))</t></is></c>"
    }

    private static func contentTypes(sheets: Int, charts: Int) -> String {
        let sheetParts = (1...sheets).map {
            "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        let chartParts = (0..<charts).flatMap { index in [
            "<Override PartName=\"/xl/drawings/drawing\(index + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawing+xml\"/>",
            "<Override PartName=\"/xl/charts/chart\(index + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>",
        ] }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \((sheetParts + chartParts).joined())</Types>
            """
    }

    /// A relationships part of `targets` (type, target), numbered rId1 on.
    private static func relationships(_ targets: [(String, String)]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        \(targets.enumerated().map { "<Relationship Id=\"rId\($0.offset + 1)\" Type=\"\($0.element.0)\" Target=\"\($0.element.1)\"/>" }.joined())\
        </Relationships>
        """
    }

    private static let rootRelationships = relationships([
        ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml")])

    private static func workbookXML(_ names: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets>\(names.enumerated().map { "<sheet name=\"\(XMLText.escaped($0.element))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())\
        </sheets></workbook>
        """
    }

    /// The workbook's parts: its sheets, then its styles.
    private static func workbookRelationships(sheets: Int) -> String {
        relationships((1...sheets).map { ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", "worksheets/sheet\($0).xml") }
            + [("http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml")])
    }

    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="7">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
