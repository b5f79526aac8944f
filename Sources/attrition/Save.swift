import ArgumentParser
import AttritionCore
import Foundation

/// `attrition save`: the imported cases kept as a snapshot that opens in a moment.
struct Save: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a case file (or police.uk data, or an extract through its mapping) once and save the cases as a snapshot.",
        discussion: """
        The snapshot holds the table column by column as attrition holds it, with the import's \
        account, the mapping used and the source's SHA-256. Every command and the interface open it \
        in place of the data, in a moment however large: its columns are mapped into memory, not read \
        again. It records the files it was built from, and says it is not current when one has changed \
        since. A snapshot cut short, damaged or of a newer format is refused. Written whole or not at \
        all, readable by you only, and never over an existing file without --force (docs/snapshot-format.md).

        Examples:
          attrition save cases.csv --out cases.attrition
          attrition save extract.csv --mapping extract.toml --out extract.attrition
          attrition summary cases.attrition --by bcu
        """
    )

    @Argument(help: "The data to read (the built-in London sample when omitted).")
    var file: String?
    @OptionGroup var reading: ReadOptions
    @Option(help: "The snapshot file to write.") var out: String
    @Flag(help: "Replace an existing file.") var force = false

    func run() throws {
        try reportingFailures {
            let result = try loadCases(path: file, reading: reading)
            let sources = file == nil ? [] : result.report.inputFiles.filter { FileManager.default.fileExists(atPath: $0) }
            try AtomicFile.refuseInput(out, inputs: sources)
            try SnapshotFile.save(result, to: out, overwrite: force, sources: sources)
            reportWritten([out], detail: " (\(result.table.rowCount) rows)", from: result)
        }
    }
}
