import Foundation

/// One value of a data table, typed so each format can show it properly.
public enum DataCell: Hashable, Sendable {
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
    /// The data cannot speak to it (a stage no column records): empty in CSV, null in JSON, never 0.
    case notRecorded
}

/// What a column of a data table holds, and how its cells relate to other columns: what
/// disclosure control, metadata and every format read instead of knowing the table's layout.
/// Other columns are named by their keys.
public enum ColumnRole: Equatable, Sendable {
    /// The groups of the dimension the table is broken down by. A total row's counts add up the
    /// counts of the other rows that share its other labels.
    case group
    /// Another label identifying a row: a stage, a reason, a quarter, a column group.
    case label
    /// A count of cases; when `parts` is not empty, the same row's counts in those columns add up to it.
    case count(parts: [ColumnKey])
    /// A count that stands the same on every row sharing all labels but `across` (the cases closed
    /// at a stage beside each reason); with `sumOf`, the sum of that column over those rows.
    case repeated(across: ColumnKey, sumOf: ColumnKey?)
    /// A proportion: the row's `numerator` column over its `denominator` column.
    case rate(numerator: ColumnKey, denominator: ColumnKey)
    /// A bound of the confidence interval of a rate column.
    case interval(of: ColumnKey)
    /// A low/high flag on a rate column.
    case flag(of: ColumnKey)
    /// Any other figure computed from counts of the row (quartiles of days, limits, ratios, reliability).
    case derived(from: [ColumnKey])

    /// Whether the column holds counts of cases (the cells disclosure control may withhold).
    public var isCount: Bool {
        switch self {
        case .count, .repeated: true
        case .group, .label, .rate, .interval, .flag, .derived: false
        }
    }

    /// The columns a cell of this column is computed from, in the same row.
    public var sources: [ColumnKey] {
        switch self {
        case .group, .label, .count, .repeated: []
        case let .rate(numerator, denominator): [numerator, denominator]
        case .interval(let rate), .flag(let rate): [rate]
        case .derived(let counts): counts
        }
    }
}

/// A column of a data table: its key (and so its machine name, the CSV header and JSON key) and its role.
public struct TableColumn: Equatable, Sendable {
    /// What it holds.
    public let key: ColumnKey
    /// What it holds, and how it relates to other columns.
    public let role: ColumnRole

    /// A column holding `key`'s figures in `role`.
    public init(_ key: ColumnKey, _ role: ColumnRole) {
        self.key = key
        self.role = role
    }

    /// The machine name, in snake_case (a board table's heading as written).
    public var name: String { key.name }
}

/// A row of a data table.
public struct TableRow: Equatable, Sendable {
    /// One cell per column.
    public var cells: [DataCell]
    /// Whether this is a total row (its counts add up the other rows').
    public let isTotal: Bool

    /// A row of `cells`, a total row when `isTotal`.
    public init(_ cells: [DataCell], isTotal: Bool = false) {
        self.cells = cells
        self.isTotal = isTotal
    }
}

/// A table of results with a title and notes: what every analysis produces, for the command
/// line, exports and the interface alike, in CSV, JSON, Markdown, XLSX or aligned text.
public struct DataTable: Sendable {
    /// What the table shows.
    public let title: String
    /// Lines that qualify it: filters, basis, definitions.
    public let notes: [String]
    /// The columns, each with its role.
    public let columns: [TableColumn]
    /// The rows, each with as many cells as there are columns.
    public var rows: [TableRow]
    /// Where the table came from and how it was made (source, its fingerprint, rows, settings, version, time).
    public var metadata: [(String, String)] = []

    /// A table with these parts.
    public init(title: String, notes: [String], columns: [TableColumn], rows: [TableRow]) {
        self.title = title
        self.notes = notes
        self.columns = columns
        self.rows = rows
    }

    /// Column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// Each column's index by key (the first, should two share one).
    public var columnIndex: [ColumnKey: Int] {
        Dictionary(columns.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
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
            let lines = [CSVText.line(table.columnNames)] + table.rows.map { CSVText.line($0.cells.map(DataTableFormat.machine)) }
            return lines.joined(separator: "\n") + "\n"
        case .json:
            return JSON.object([
                ("title", .string(table.title)),
                ("metadata", .object(table.metadata.map { ($0.0, .string($0.1)) })),
                ("notes", .array(table.notes.map(JSON.string))),
                ("columns", .array(table.columnNames.map(JSON.string))),
                ("rows", .array(table.rows.map { row in .object(zip(table.columnNames, row.cells.map(DataTableFormat.json)).map { ($0, $1) }) })),
            ]).text + "\n"
        case .md:
            let escape = MarkdownText.escaped
            var lines = ["**\(escape(table.title))**", ""] + table.notes.map { escape($0) + "  " } + [""]
            lines.append("| " + table.columnNames.map(escape).joined(separator: " | ") + " |")
            lines.append("|" + table.columns.indices.map { DataTableFormat.isWords(table, column: $0) ? "---|" : "---:|" }.joined())
            // Labels come from the file and are escaped; figures (a board's written as text too) and [c] are the tool's own.
            let derived = table.columns.map { if case .derived = $0.role { true } else { false } }
            lines += table.rows.map { row in
                "| " + row.cells.enumerated().map { column, cell in
                    if case .text(let text) = cell { return derived[column] ? DisplayText.sanitized(text) : escape(text) }
                    return DataTableFormat.human(cell)
                }.joined(separator: " | ") + " |"
            }
            return lines.joined(separator: "\n") + "\n"
        case .table:
            let cells = table.rows.map { $0.cells.map(DataTableFormat.human) }
            let names = table.columnNames
            let widths = names.indices.map { column in ([names[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0 }
            func format(_ row: [String], header: Bool) -> String {
                row.enumerated().map { index, text in
                    let pad = String(repeating: " ", count: widths[index] - text.count)
                    return header || DataTableFormat.isWords(table, column: index) ? text + pad : pad + text
                }.joined(separator: "  ")
            }
            var lines = [DisplayText.sanitized(table.title)] + table.notes.map(DisplayText.sanitized) + [""]
            lines.append(format(names, header: true))
            lines += cells.map { format($0, header: false) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Full precision for machines: rates to 4 decimals, days to 1.
    private static func machine(_ cell: DataCell) -> String {
        switch cell {
        case .text(let text): text
        case .count(let n): String(n)
        case .ratio(let value?) where value.isInfinite: "Inf"
        case .rate(let value), .ratio(let value): value.map { String(format: "%.4f", $0) } ?? ""
        case .days(let value): value.map { String(format: "%.1f", $0) } ?? ""
        case .suppressed: "[c]"
        case .notRecorded: ""
        }
    }

    private static func json(_ cell: DataCell) -> JSON {
        switch cell {
        case .text(let text): .string(text)
        case .count(let n): .int(n)
        case .rate(let value), .ratio(let value): value.flatMap { $0.isFinite ? .number(($0 * 10_000).rounded() / 10_000) : nil } ?? .null
        case .days(let value): value.map { .number(($0 * 10).rounded() / 10) } ?? .null
        case .suppressed: .string("[c]")
        case .notRecorded: .null
        }
    }

    /// For people: rates as percentages, counts with separators, days whole.
    private static func human(_ cell: DataCell) -> String {
        switch cell {
        case .text(let text): DisplayText.sanitized(text)
        case .count(let n): NumberText.thousands(n)
        case .rate(let value): NumberText.percent(value)
        case .ratio(let value): value.map { $0.isInfinite ? "∞" : String(format: "%.2f", $0) } ?? "–"
        case .days(let value): value.map { String(format: "%.0f", $0) } ?? "–"
        case .suppressed: "[c]"
        case .notRecorded: "n/r"
        }
    }
}

extension DataTableFormat {
    /// Whether a column holds words (left-aligned) rather than figures: text in a column of
    /// labels or flags (a board table's figures written as text are in derived columns).
    fileprivate static func isWords(_ table: DataTable, column: Int) -> Bool {
        switch table.columns[column].role {
        case .group, .label, .flag: break
        default: return false
        }
        guard let first = table.rows.first else { return true }
        if case .text = first.cells[column] { return true }
        return false
    }
}
