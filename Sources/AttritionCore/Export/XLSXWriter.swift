import Foundation

/// Writes a data table as an Office Open XML workbook (.xlsx): a data sheet with real numeric
/// cells, percentage and thousands formats and a frozen header row, and a notes sheet with the
/// title, notes and metadata. Strings are inline; text that a spreadsheet could read as a formula
/// is neutralised as in CSV.
public enum XLSXWriter {
    /// The workbook's bytes.
    public static func workbook(_ table: DataTable) -> [UInt8] {
        var zip = ZipArchive()
        zip.add("[Content_Types].xml", Array(contentTypes.utf8))
        zip.add("_rels/.rels", Array(rootRelationships.utf8))
        zip.add("xl/workbook.xml", Array(workbookXML.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(workbookRelationships.utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(dataSheet(table).utf8))
        zip.add("xl/worksheets/sheet2.xml", Array(notesSheet(table).utf8))
        return zip.finished()
    }

    // Style indices in styles.xml: 0 plain, 1 bold header, 2 #,##0, 3 0.0%, 4 0.0, 5 0.00.
    private enum Style: Int { case plain = 0, header, count, percent, days, ratio }

    private static func dataSheet(_ table: DataTable) -> String {
        let names = table.columnNames
        var rows = [row(1, names.enumerated().map { inlineString(column: $0.offset, row: 1, $0.element, style: .header) })]
        for (index, tableRow) in table.rows.enumerated() {
            let number = index + 2
            rows.append(row(number, tableRow.cells.enumerated().map { cell(column: $0.offset, row: number, $0.element) }))
        }
        let widths = names.indices.map { column -> Int in
            let longest = ([names[column]] + table.rows.map { text(of: $0.cells[column]) }).map(\.count).max() ?? 8
            return min(max(longest + 2, 8), 60)
        }
        let columns = widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }
        return sheet(views: """
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>
            """, columns: "<cols>" + columns.joined() + "</cols>", rows: rows)
    }

    private static func notesSheet(_ table: DataTable) -> String {
        var lines: [(String, String)] = [("Title", table.title)]
        lines += table.notes.map { ("Note", $0) }
        lines += table.metadata
        let rows = lines.enumerated().map { index, line in
            row(index + 1, [inlineString(column: 0, row: index + 1, line.0, style: .header),
                            inlineString(column: 1, row: index + 1, line.1, style: .plain)])
        }
        return sheet(views: "", columns: "<cols><col min=\"1\" max=\"1\" width=\"24\" customWidth=\"1\"/><col min=\"2\" max=\"2\" width=\"110\" customWidth=\"1\"/></cols>", rows: rows)
    }

    private static func sheet(views: String, columns: String, rows: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\(views)\(columns)<sheetData>\(rows.joined())</sheetData></worksheet>
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
        return "<c r=\"\(reference(column, row))\" s=\"\(style.rawValue)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(value))</t></is></c>"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        </Types>
        """

    private static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    private static let workbookXML = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Notes" sheetId="2" r:id="rId2"/></sheets></workbook>
        """

    private static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="6">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
