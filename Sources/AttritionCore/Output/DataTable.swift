import Foundation

/// One value of a data table, typed so each format can show it properly.
public enum DataCell: Equatable, Sendable {
    /// Text (a group label, a stage, a reason).
    case text(String)
    /// A count of cases.
    case count(Int)
    /// A proportion between 0 and 1, or nil when it has no denominator.
    case rate(Double?)
    /// Days, or nil when nothing was timed.
    case days(Double?)
    /// A ratio (disparity), or nil.
    case ratio(Double?)
    /// Withheld by disclosure control (shown as `[c]`, the convention of UK official statistics).
    case suppressed
}

/// A table of results with a title and notes (filters, basis, method): what every analysis
/// other than the contract's summary produces, in CSV, JSON, Markdown or aligned text.
public struct DataTable: Sendable {
    /// What the table shows.
    public let title: String
    /// Lines that qualify it: filters, maturity, basis, definitions.
    public let notes: [String]
    /// Column names (snake_case, used as CSV header and JSON keys).
    public let columns: [String]
    /// One array of cells per row, as many as `columns`.
    public var rows: [[DataCell]]
    /// Which counts could identify people and how the cells add up, for disclosure control.
    public var disclosure: DisclosureLayout
    /// Where the table came from and how it was made (source, its fingerprint, rows, settings, version, time).
    public var metadata: [(String, String)] = []

    /// A table with these parts.
    public init(title: String, notes: [String], columns: [String], rows: [[DataCell]],
                disclosure: DisclosureLayout = DisclosureLayout()) {
        self.title = title
        self.notes = notes
        self.columns = columns
        self.rows = rows
        self.disclosure = disclosure
    }
}

/// The formats a data table is written in.
public enum DataTableFormat: String, CaseIterable, Sendable {
    /// Aligned columns for reading in a terminal.
    case table
    /// CSV, one header line and a line per row.
    case csv
    /// One JSON object with title, metadata, notes, columns and rows.
    case json
    /// A Markdown pipe table with its title and notes.
    case md

    /// The table written in this format, ending with a line break.
    public func render(_ table: DataTable) -> String {
        switch self {
        case .csv:
            let lines = [CSVText.line(table.columns)] + table.rows.map { CSVText.line($0.map(DataTableFormat.machine)) }
            return lines.joined(separator: "\n") + "\n"
        case .json:
            return JSON.object([
                ("title", .string(table.title)),
                ("metadata", .object(table.metadata.map { ($0.0, .string($0.1)) })),
                ("notes", .array(table.notes.map(JSON.string))),
                ("columns", .array(table.columns.map(JSON.string))),
                ("rows", .array(table.rows.map { row in .object(zip(table.columns, row.map(DataTableFormat.json)).map { ($0, $1) }) })),
            ]).text + "\n"
        case .md:
            let escape = { (text: String) in text.replacingOccurrences(of: "|", with: "\\|") }
            var lines = ["**\(escape(DisplayText.sanitized(table.title)))**", ""] + table.notes.map { DisplayText.sanitized($0) + "  " } + [""]
            lines.append("| " + table.columns.map(escape).joined(separator: " | ") + " |")
            let alignment = table.rows.first?.map { cell -> String in
                if case .text = cell { return "---|" }
                return "---:|"
            }.joined() ?? String(repeating: "---|", count: table.columns.count)
            lines.append("|" + alignment)
            lines += table.rows.map { "| " + $0.map { escape(DataTableFormat.human($0)) }.joined(separator: " | ") + " |" }
            return lines.joined(separator: "\n") + "\n"
        case .table:
            let cells = table.rows.map { $0.map(DataTableFormat.human) }
            let widths = table.columns.indices.map { column in ([table.columns[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0 }
            func format(_ row: [String], _ kinds: [DataCell]?) -> String {
                row.enumerated().map { index, text in
                    let pad = String(repeating: " ", count: widths[index] - text.count)
                    if let kinds, case .text = kinds[index] { return text + pad }
                    return kinds == nil ? text + pad : pad + text
                }.joined(separator: "  ")
            }
            var lines = [DisplayText.sanitized(table.title)] + table.notes.map(DisplayText.sanitized) + [""]
            lines.append(format(table.columns, nil))
            lines += zip(cells, table.rows).map { format($0, $1) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Full precision for machines: rates to 4 decimals, days to 1.
    private static func machine(_ cell: DataCell) -> String {
        switch cell {
        case .text(let text): text
        case .count(let n): String(n)
        case .rate(let value), .ratio(let value): value.map { String(format: "%.4f", $0) } ?? ""
        case .days(let value): value.map { String(format: "%.1f", $0) } ?? ""
        case .suppressed: "[c]"
        }
    }

    private static func json(_ cell: DataCell) -> JSON {
        switch cell {
        case .text(let text): .string(text)
        case .count(let n): .int(n)
        case .rate(let value), .ratio(let value): value.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null
        case .days(let value): value.map { .number(($0 * 10).rounded() / 10) } ?? .null
        case .suppressed: .string("[c]")
        }
    }

    /// For people: rates as percentages, counts with separators, days whole.
    private static func human(_ cell: DataCell) -> String {
        switch cell {
        case .text(let text): DisplayText.sanitized(text)
        case .count(let n): NumberText.thousands(n)
        case .rate(let value): NumberText.percent(value)
        case .ratio(let value): value.map { String(format: "%.2f", $0) } ?? "–"
        case .days(let value): value.map { String(format: "%.0f", $0) } ?? "–"
        case .suppressed: "[c]"
        }
    }
}
