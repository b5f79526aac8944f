import ArgumentParser
import AttritionCore
import Foundation

/// `attrition ledger`: the tables published from a source, as its release ledger records them.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "List the tables published from a data file, as its release ledger records them.",
        discussion: """
        Every suppressed table (csv, md, xlsx, svg, the board pack, every export) is audited with \
        the tables already published from the same data (by its SHA-256) and then recorded in \
        the ledger: by default DATA.ledger.json beside the data, or --ledger FILE.

        Examples:
          attrition ledger cases.csv
          attrition ledger --ledger board-2024-q3.ledger.json
        """)

    @Argument(help: "The data file whose ledger to list (its default ledger, beside it).") var file: String?
    @Option(help: ArgumentHelp("The ledger file to list.", valueName: "FILE.json")) var ledger: String?

    func validate() throws {
        if file == nil, ledger == nil { throw ValidationError("give the data file, or --ledger FILE") }
    }

    func run() throws {
        try reportingFailures {
            guard let path = ledger ?? file.flatMap(ReleaseLedger.defaultPath(for:)) else {
                throw QueryError.notAnswerable("\(file ?? "") has no ledger of its own: give --ledger FILE")
            }
            let tables = try ReleaseLedger(path: path).tables
            var lines = ["\(path): \(tables.count) table\(tables.count == 1 ? "" : "s") released"]
            for (index, table) in tables.enumerated() {
                let withheld = table.cells.filter { $0.value == nil }.count
                lines.append("\(index + 1). \(table.created)  \(table.title)  (\(table.source), SHA-256 \(table.sourceSHA256.prefix(12))…): "
                    + "\(table.cells.count) linked counts, \(withheld) withheld; \(table.unlinked) other counts")
            }
            print(lines.map(DisplayText.sanitized).joined(separator: "\n"))
        }
    }
}
